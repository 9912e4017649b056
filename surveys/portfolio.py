"""The feedback a mentor received, for their portfolio (mentoring/portfolio.py).

Per pair the mentor led: how many questionnaires the pair's mentees filled
about it (after meetings, on satisfaction, on the program's quality) and the
mentees' average score on their scale questions. Counts and averages only:
the portfolio goes to an attestation commission, the mentees' answers stay
at school.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from mentoring.models import Pair, Participation
from mentoring.personal_data import Section

from .models import Answer, Question, Questionnaire, Response

FEEDBACK_KINDS = (
    Questionnaire.Kind.MEETING_FEEDBACK,
    Questionnaire.Kind.SATISFACTION,
    Questionnaire.Kind.PROGRAM_QUALITY,
)


def _mentees_responses(pair_ids: list[int]):
    """Feedback questionnaires a pair's own mentees filled about it."""
    return (
        Response.objects.filter(
            Q(pair_id__in=pair_ids) | Q(meeting__pair_id__in=pair_ids),
            questionnaire__kind__in=FEEDBACK_KINDS,
        )
        .annotate(about=Coalesce("pair_id", "meeting__pair_id"))
        .filter(
            Exists(
                Participation.objects.filter(
                    pair_id=OuterRef("about"),
                    person_id=OuterRef("respondent_id"),
                    role=Participation.Role.MENTEE,
                )
            )
        )
    )


def mentor_feedback(*, person) -> list[Section]:
    pairs = list(
        Pair.objects.filter(
            participations__person=person,
            participations__role=Participation.Role.MENTOR,
        )
        .select_related("form")
        .order_by("starts_on", "pk")
    )
    if not pairs:
        return []
    ids = [pair.pk for pair in pairs]
    # The responses are few (one mentor's pairs): read them first, then their
    # answers by primary key. Asked as one statement (answers IN the
    # responses' subquery) the planner, misled by a table's stale statistics
    # inside a long transaction, once chose nested loops that ran for minutes.
    about = dict(_mentees_responses(ids).values_list("pk", "about"))
    counts: dict[int, int] = {}
    for pair_id in about.values():
        counts[pair_id] = counts.get(pair_id, 0) + 1
    sums: dict[int, list] = {}
    for row in (
        Answer.objects.filter(
            response_id__in=list(about), question__kind=Question.Kind.SCALE
        )
        .order_by()
        .values("response_id")
        .annotate(total=Sum("number_value"), n=Count("number_value"))
    ):
        bucket = sums.setdefault(about[row["response_id"]], [0, 0])
        if row["n"]:
            bucket[0] += row["total"]
            bucket[1] += row["n"]
    averages = {pair_id: total / n for pair_id, (total, n) in sums.items() if n}
    section = Section(
        title=_("Обратная связь наставляемых"),
        columns=[
            _("Пара/группа"),
            _("Форма наставничества"),
            _("Анкет от наставляемых"),
            _("Средняя оценка (из 10)"),
        ],
    )
    for pair in pairs:
        average = averages.get(pair.pk)
        section.rows.append(
            [
                _("№ %(pk)s") % {"pk": pair.pk},
                pair.form.name,
                counts.get(pair.pk, 0),
                Decimal(average).quantize(Decimal("0.1"), ROUND_HALF_UP)
                if average is not None
                else "—",
            ]
        )
    return [section]
