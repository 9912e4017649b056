"""Demo answers for the demo gymnasium (called by `manage.py load_demo`).

Most past meetings have their feedback, the last ones of some pairs do not
(so «feedback owed» shows), finished pairs answered the satisfaction survey,
and mentees the before/after questionnaires, so the monitoring charts show
something real.
"""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring.models import (
    BankStatus,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Organization,
    Pair,
    Person,
)
from mentoring.services import ensure_may_record_about
from surveys.models import Question, Questionnaire, Response
from surveys.services import current_version, submit_response

SEED = 5
TEXTS = {
    "done": [
        "Разобрали технологическую карту урока",
        "Посетили урок наставляемого, обсудили",
        "Подготовили выступление на методобъединении",
        "Составили план работы с родителями",
    ],
    "next_steps": [
        "Провести урок по карте и обсудить",
        "Подготовить самоанализ урока",
        "Посетить урок наставника",
    ],
    "request": ["Хочу научиться выстраивать дисциплину без крика"],
    "about": ["Опыт подготовки к ОГЭ и олимпиадам, наставничество с 2018 года"],
}


def fill_demo_surveys(*, organization: Organization, now: datetime.datetime) -> int:
    """Answer the standard questionnaires as the demo school's people would."""
    rng = random.Random(SEED)
    forms = {
        q.code: (q, list(current_version(q).questions.all()))
        for q in Questionnaire.objects.filter(is_standard=True)
    }
    made = 0

    def answer(code, person, moment_at, lift=0.0, **about):
        nonlocal made
        questionnaire, questions = forms[code]
        raw = {q.pk: _value(q, rng, lift) for q in questions}
        response = submit_response(
            questionnaire=questionnaire, respondent=person, raw=raw, by=None, **about
        )
        Response.objects.filter(pk=response.pk).update(submitted_at=min(moment_at, now))
        made += 1

    pairs = (
        Pair.objects.filter(organization=organization)
        .exclude(status__in=(Pair.Status.DRAFT, Pair.Status.APPROVED))
        .prefetch_related("participations__person", "meetings")
        .order_by("pk")
    )
    for index, pair in enumerate(pairs):
        # The demo writes its history today, through the services: a pair whose
        # participant has since withdrawn their consent gets no new answers.
        try:
            ensure_may_record_about(pair=pair)
        except ValidationError:
            continue
        mentors = [p.person for p in pair.participations.all() if p.role == "mentor"]
        mentees = [p.person for p in pair.participations.all() if p.role == "mentee"]
        held = sorted(
            (m for m in pair.meetings.all() if m.starts_at < now),
            key=lambda m: m.starts_at,
        )
        # Every other working pair leaves its last meeting without feedback.
        owing = pair.status == Pair.Status.ACTIVE and index % 2 == 0
        for number, meeting in enumerate(held):
            if meeting.status != Meeting.Status.HELD:
                continue
            last = number == len(held) - 1
            after = meeting.starts_at + datetime.timedelta(hours=20)
            lift = number / max(len(held), 1)
            if not (owing and last):
                for mentor in mentors:
                    answer(
                        "meeting-feedback-mentor", mentor, after, lift, meeting=meeting
                    )
            for mentee in mentees:
                if rng.random() < 0.65 and not last:
                    answer(
                        "meeting-feedback-mentee", mentee, after, lift, meeting=meeting
                    )
        if not held:
            continue
        start = timezone.make_aware(
            datetime.datetime.combine(pair.starts_on, datetime.time(16))
        )
        finished = pair.status == Pair.Status.COMPLETED
        end = (
            timezone.make_aware(
                datetime.datetime.combine(pair.closed_on, datetime.time(16))
            )
            if finished
            else held[-1].starts_at + datetime.timedelta(days=1)
        )
        for mentee in mentees:
            impact = (
                "impact-student"
                if mentee.category == Person.Category.STUDENT
                else "impact-teacher"
            )
            answer(impact, mentee, start + datetime.timedelta(days=3), 0.0,
                   pair=pair, moment=Response.Moment.BEFORE)  # fmt: skip
            if finished or index % 3 == 0:
                answer(impact, mentee, end, 0.9, pair=pair,
                       moment=Response.Moment.AFTER)  # fmt: skip
        if finished or index % 2 == 1:
            for person in mentees:
                answer("satisfaction-mentee", person, end, 0.7, pair=pair)
            for person in mentors:
                answer("satisfaction-mentor", person, end, 0.8, pair=pair)
    for profile in MentorProfile.objects.filter(
        person__organization=organization, status=BankStatus.IN_BANK
    ).select_related("person")[:8]:
        answer(
            "mentor-candidate",
            profile.person,
            timezone.make_aware(
                datetime.datetime.combine(profile.entered_on, datetime.time(12))
            ),
        )
    for profile in MenteeProfile.objects.filter(
        person__organization=organization,
        status=BankStatus.IN_BANK,
        person__category=Person.Category.TEACHER,
    ).select_related("person"):
        answer(
            "mentee-request",
            profile.person,
            timezone.make_aware(
                datetime.datetime.combine(profile.entered_on, datetime.time(12))
            ),
        )
    return made


def _value(question: Question, rng: random.Random, lift: float):
    """A plausible answer; `lift` (0–1) moves scale answers up over time."""
    if question.kind == Question.Kind.SCALE:
        low = question.scale_min + 3 + round(3 * lift)
        return min(question.scale_max, rng.randint(low, low + 3))
    if question.kind == Question.Kind.NUMBER:
        if question.code == "average_grade":
            return round(3.4 + lift + rng.random() * 0.6, 1)
        return rng.randint(0, 2) + round(3 * lift)
    if question.kind == Question.Kind.SINGLE:
        yes = "да" in question.choices and rng.random() < 0.8
        return "да" if yes else rng.choice(question.choices)
    if question.kind == Question.Kind.MULTIPLE:
        return rng.sample(question.choices, k=min(2, len(question.choices)))
    if not question.is_required and rng.random() < 0.6:
        return ""
    return rng.choice(TEXTS.get(question.code, ["Всё по плану"]))
