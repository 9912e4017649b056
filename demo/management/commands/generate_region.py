"""Generate a region: districts of schools, as generate_district makes them,
with the mentees' and mentors' answers the region's table reads.

For benchmarks, not for demos (see generate_district). Each district comes
from generate_district with the same options; then, in bulk, the feedback
forms after most held meetings and the satisfaction survey of most working
pairs' mentees, so the region's feedback and satisfaction figures have rows
to read.
"""

from __future__ import annotations

import datetime
import io
import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from mentoring.models import District, Meeting, Participation, Region
from surveys.models import (
    Answer,
    AnswerRollup,
    MeetingFeedback,
    MeetingRollup,
    Question,
    Questionnaire,
    QuestionRollup,
    RespondentRollup,
    Response,
)
from surveys.services import current_version

from .generate_district import BATCH_SIZE, _seconds

DEFAULT_REGION_NAME = "Модельный регион"
# Shares of held meetings with each side's feedback form, and of working
# pairs whose mentee answered the satisfaction survey.
MENTOR_FEEDBACK = 0.85
MENTEE_FEEDBACK = 0.7
SATISFACTION = 0.6
HELD = (Meeting.Status.HELD,)


class Command(BaseCommand):
    help = (
        "Создаёт субъект РФ с районами (как generate_district), обратной связью "
        "после встреч и анкетами удовлетворённости для нагрузочных тестов. "
        "Данные условные."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--districts", type=int, default=10, help="Сколько районов создать."
        )
        parser.add_argument(
            "--organizations",
            type=int,
            default=40,
            help="Организаций в каждом районе.",
        )
        for name, default, text in (
            ("staff", 80, "Педагогов в организации."),
            ("students", 800, "Обучающихся в организации."),
            ("pairs", 30, "Пар и групп в организации."),
            ("meetings", 8, "Встреч у каждой начатой пары."),
        ):
            parser.add_argument(f"--{name}", type=int, default=default, help=text)
        parser.add_argument(
            "--region-name",
            help=(
                "Название; если такой субъект РФ уже есть, районы добавляются в "
                f"него. По умолчанию первое свободное «{DEFAULT_REGION_NAME} N»."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            help="Зерно генератора: с тем же зерном в тот же день те же данные.",
        )

    def handle(self, *args, **options):
        if options["districts"] < 1:
            raise CommandError("Нужен хотя бы один район.")
        seed = options["seed"]
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        started = time.perf_counter()
        region = self._region(options["region_name"])
        rng = random.Random(seed)
        answers = 0
        # Districts added to a region go on from its last number.
        first = region.districts.count() + 1
        for n in range(first, first + options["districts"]):
            name = f"{region.name}: район {n}"
            call_command(
                "generate_district",
                organizations=options["organizations"],
                staff=options["staff"],
                students=options["students"],
                pairs=options["pairs"],
                meetings=options["meetings"],
                district_name=name,
                region=region.name,
                seed=seed + n,
                # Its own summary of each district only when asked for.
                stdout=self.stdout if options["verbosity"] > 1 else io.StringIO(),
            )
            answers += self._answers(District.objects.get(name=name), rng)
            self.stdout.write(
                f"  Район {n - first + 1} из {options['districts']}: "
                + _seconds(time.perf_counter() - started)
            )
        # generate_district analyses what it fills; the region's own tables
        # and the answers (with their roll-ups, filled by triggers) are
        # analysed here, so the region's plans are sound.
        tables = [
            Region,
            District,
            Response,
            Answer,
            AnswerRollup,
            MeetingFeedback,
            MeetingRollup,
            QuestionRollup,
            RespondentRollup,
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(m._meta.db_table for m in tables)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Субъект РФ «{region.name}» (зерно {seed}): районов — "
                f"{options['districts']}, организаций — "
                f"{options['districts'] * options['organizations']}, анкет — "
                f"{answers}; за {_seconds(time.perf_counter() - started)}."
            )
        )

    def _region(self, name: str | None) -> Region:
        if name:
            return Region.objects.get_or_create(name=name)[0]
        taken = set(
            Region.objects.filter(name__startswith=DEFAULT_REGION_NAME).values_list(
                "name", flat=True
            )
        )
        n = 1
        while f"{DEFAULT_REGION_NAME} {n}" in taken:
            n += 1
        return Region.objects.create(name=f"{DEFAULT_REGION_NAME} {n}")

    @transaction.atomic
    def _answers(self, district: District, rng: random.Random) -> int:
        """Feedback after held meetings and the mentees' satisfaction, in bulk."""
        sheets = {
            code: current_version(Questionnaire.objects.get(code=code))
            for code in (
                "meeting-feedback-mentor",
                "meeting-feedback-mentee",
                "satisfaction-mentee",
            )
        }
        if any(version is None for version in sheets.values()):
            raise CommandError("Нет стандартных анкет: выполните migrate.")
        people: dict[int, dict[str, int]] = {}
        for pair_id, person_id, role in Participation.objects.filter(
            pair__organization__district=district
        ).values_list("pair_id", "person_id", "role"):
            people.setdefault(pair_id, {}).setdefault(role, person_id)
        organization_of: dict[int, int] = {}
        last_meeting: dict[int, datetime.datetime] = {}
        responses = []

        def respond(code, person_id, organization_id, at, **about):
            version = sheets[code]
            responses.append(
                Response(
                    questionnaire_id=version.questionnaire_id,
                    version=version,
                    organization_id=organization_id,
                    respondent_id=person_id,
                    submitted_at=at,
                    **about,
                )
            )

        meetings = Meeting.objects.filter(
            pair__organization__district=district, status__in=HELD
        ).values_list("pk", "pair_id", "pair__organization_id", "starts_at")
        for meeting_id, pair_id, organization_id, starts_at in meetings:
            organization_of[pair_id] = organization_id
            last_meeting[pair_id] = max(starts_at, last_meeting.get(pair_id, starts_at))
            pair = people.get(pair_id, {})
            at = starts_at + datetime.timedelta(hours=20)
            if Participation.Role.MENTOR in pair and rng.random() < MENTOR_FEEDBACK:
                respond(
                    "meeting-feedback-mentor",
                    pair[Participation.Role.MENTOR],
                    organization_id,
                    at,
                    meeting_id=meeting_id,
                )
            if Participation.Role.MENTEE in pair and rng.random() < MENTEE_FEEDBACK:
                respond(
                    "meeting-feedback-mentee",
                    pair[Participation.Role.MENTEE],
                    organization_id,
                    at,
                    meeting_id=meeting_id,
                )
        satisfied = len(responses)
        for pair_id, organization_id in organization_of.items():
            mentee = people.get(pair_id, {}).get(Participation.Role.MENTEE)
            if mentee is not None and rng.random() < SATISFACTION:
                respond(
                    "satisfaction-mentee",
                    mentee,
                    organization_id,
                    last_meeting[pair_id] + datetime.timedelta(days=1),
                    pair_id=pair_id,
                )
        Response.objects.bulk_create(responses, batch_size=BATCH_SIZE)
        scale = [
            q
            for q in sheets["satisfaction-mentee"].questions.all()
            if q.kind == Question.Kind.SCALE
        ]
        Answer.objects.bulk_create(
            (
                Answer(response=response, question=q, number_value=rng.randint(5, 10))
                for response in responses[satisfied:]
                for q in scale
            ),
            batch_size=BATCH_SIZE,
        )
        return len(responses)
