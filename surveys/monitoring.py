"""Monitoring indicators (DOMAIN.md §f), each one aggregate query in SQL.

Everything is scoped by `visible_to(user)` and limited to one academic year
(1 September – 31 August).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import (
    academic_months,
    academic_year,
    academic_year_label,
    academic_year_start,
)
from mentoring.models import Meeting, Organization, Pair, Participation, Role, User

from .models import Answer, Question, Questionnaire, Response
from .selectors import DUE_STATUSES

SCALE = Question.Kind.SCALE
MONTHS = [
    "сен", "окт", "ноя", "дек", "янв", "фев", "мар", "апр", "май", "июн", "июл", "авг",
]  # fmt: skip


@dataclass
class Period:
    """An academic year: 1 September of `start_year` to 31 August after it."""

    start_year: int

    @classmethod
    def current(cls, day: datetime.date | None = None) -> Period:
        return cls(academic_year(day))

    @property
    def starts(self) -> datetime.datetime:
        return _midnight(academic_year_start(self.start_year))

    @property
    def ends(self) -> datetime.datetime:
        """The moment the next year starts (the period excludes it)."""
        return _midnight(academic_year_start(self.start_year + 1))

    @property
    def label(self) -> str:
        return academic_year_label(self.start_year)

    def months(self) -> list[datetime.date]:
        return academic_months(self.start_year)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@dataclass
class Monitoring:
    period: Period
    rates: dict = field(default_factory=dict)
    question_averages: list = field(default_factory=list)
    form_averages: list = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    deltas_by_question: list = field(default_factory=list)
    deltas_by_participant: list = field(default_factory=list)
    deltas_by_pair: list = field(default_factory=list)


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _percent(part: int, whole: int) -> Decimal | None:
    return _round(Decimal(part) * 100 / whole) if whole else None


def scoped_responses(
    *, user: User, period: Period, organization: Organization | None = None
) -> QuerySet[Response]:
    qs = Response.objects.visible_to(user).filter(
        submitted_at__gte=period.starts, submitted_at__lt=period.ends
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs


def monitoring(
    *, user: User, period: Period, organization: Organization | None = None
) -> Monitoring:
    responses = scoped_responses(user=user, period=period, organization=organization)
    answers = Answer.objects.filter(response__in=responses)
    meetings = Meeting.objects.visible_to(user).filter(
        starts_at__gte=period.starts,
        starts_at__lt=min(period.ends, timezone.now()),
        status__in=DUE_STATUSES,
    )
    pairs = Pair.objects.visible_to(user)
    if organization is not None:
        meetings = meetings.filter(pair__organization=organization)
        pairs = pairs.filter(organization=organization)
    result = Monitoring(period=period)
    result.rates = _rates(
        meetings=meetings, pairs=pairs, responses=responses, period=period
    )
    result.question_averages = _question_averages(answers)
    result.form_averages = _form_averages(answers)
    result.trend = _trend(answers, period)
    _deltas(answers, result)
    if user.role == Role.METHODOLOGIST and not user.is_superuser:
        hide_names(result)
    return result


def hide_names(result: Monitoring) -> Monitoring:
    """Participants by their number, not their name: for what leaves the
    school (the district's view, the printed report). A report with no
    personal data needs no consent to transfer (156-ФЗ)."""
    result.deltas_by_participant = [
        {**row, "name": _("Участник № %(pk)s") % {"pk": row["person"]}}
        for row in result.deltas_by_participant
    ]
    return result


def _feedback_by(audience: str) -> Exists:
    return Exists(
        Response.objects.filter(
            meeting_id=OuterRef("pk"),
            questionnaire__kind=Questionnaire.Kind.MEETING_FEEDBACK,
            questionnaire__audience=audience,
        )
    )


def _rates(*, meetings, pairs, responses, period: Period) -> dict:
    held = meetings.annotate(
        by_mentor=_feedback_by(Questionnaire.Audience.MENTOR),
        by_mentee=_feedback_by(Questionnaire.Audience.MENTEE),
    ).aggregate(
        total=Count("pk"),
        mentor=Count("pk", filter=Q(by_mentor=True)),
        mentee=Count("pk", filter=Q(by_mentee=True)),
    )
    # Satisfaction: everyone in a pair that worked during the year is asked.
    worked = pairs.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.starts.date()),
        status__in=(Pair.Status.ACTIVE, Pair.Status.COMPLETED),
        starts_on__lt=period.ends.date(),
    )
    asked = (
        Participation.objects.filter(pair__in=worked)
        .order_by()
        .aggregate(n=Count("person_id", distinct=True))["n"]
    )
    answered = (
        responses.filter(questionnaire__kind=Questionnaire.Kind.SATISFACTION)
        .order_by()
        .aggregate(n=Count("respondent_id", distinct=True))["n"]
    )
    return {
        "meetings": held["total"],
        "mentor_feedback": held["mentor"],
        "mentee_feedback": held["mentee"],
        "mentor_feedback_rate": _percent(held["mentor"], held["total"]),
        "mentee_feedback_rate": _percent(held["mentee"], held["total"]),
        "asked": asked,
        "satisfaction_answered": answered,
        "satisfaction_rate": _percent(answered, asked),
    }


def _question_averages(answers) -> list[dict]:
    """Average of each scale question, by questionnaire and stable question code.

    Versions may reword a question; its code (or text) keeps it one row.
    """
    rows = (
        answers.filter(
            question__kind=SCALE,
            response__questionnaire__kind__in=(
                Questionnaire.Kind.SATISFACTION,
                Questionnaire.Kind.MEETING_FEEDBACK,
                Questionnaire.Kind.PROGRAM_QUALITY,
            ),
        )
        .values(
            "response__questionnaire_id",
            "response__questionnaire__title",
            "question__code",
        )
        .annotate(
            text=Max("question__text"),
            position=Min("question__position"),
            average=Avg("number_value"),
            answers=Count("pk"),
            scale_max=Max("question__scale_max"),
        )
        .order_by("response__questionnaire__title", "position")
    )
    return [
        {
            "questionnaire": r["response__questionnaire__title"],
            "code": r["question__code"],
            "text": r["text"],
            "average": _round(r["average"]),
            "answers": r["answers"],
            "scale_max": r["scale_max"],
        }
        for r in rows
    ]


def _form_averages(answers) -> list[dict]:
    """Average satisfaction score per form of mentoring, and in percent (×10)."""
    rows = (
        answers.filter(
            question__kind=SCALE,
            response__questionnaire__kind=Questionnaire.Kind.SATISFACTION,
            response__pair__isnull=False,
        )
        .values("response__pair__form__name", "response__pair__form__position")
        .annotate(
            average=Avg("number_value"),
            respondents=Count("response__respondent_id", distinct=True),
        )
        .order_by("response__pair__form__position", "response__pair__form__name")
    )
    return [
        {
            "form": r["response__pair__form__name"],
            "average": _round(r["average"]),
            "percent": _round(r["average"] * 10),
            "respondents": r["respondents"],
        }
        for r in rows
    ]


def _trend(answers, period: Period) -> dict:
    """Monthly average of scale answers: meeting feedback and satisfaction."""
    rows = (
        answers.filter(
            question__kind=SCALE,
            response__questionnaire__kind__in=(
                Questionnaire.Kind.MEETING_FEEDBACK,
                Questionnaire.Kind.SATISFACTION,
            ),
        )
        .annotate(month=TruncMonth("response__submitted_at"))
        .values("month", "response__questionnaire__kind")
        .annotate(average=Avg("number_value"))
        .order_by("month")
    )
    by_kind: dict[str, dict[datetime.date, Decimal]] = {}
    for r in rows:
        month = timezone.localtime(r["month"]).date()
        by_kind.setdefault(r["response__questionnaire__kind"], {})[month] = _round(
            r["average"]
        )
    months = period.months()
    return {
        # The year only where it starts or changes, so twelve labels fit.
        "labels": [
            f"{MONTHS[i]} {m:%y}" if m.month in (9, 1) else MONTHS[i]
            for i, m in enumerate(months)
        ],
        "months": months,
        "feedback": [
            by_kind.get(Questionnaire.Kind.MEETING_FEEDBACK, {}).get(m) for m in months
        ],
        "satisfaction": [
            by_kind.get(Questionnaire.Kind.SATISFACTION, {}).get(m) for m in months
        ],
    }


def _deltas(answers, result: Monitoring) -> None:
    """Before/after: mean(after) − mean(before), per question, person and pair."""
    impact = answers.filter(
        question__kind__in=Question.NUMERIC_KINDS,
        response__questionnaire__kind=Questionnaire.Kind.IMPACT,
    )
    before = Avg("number_value", filter=Q(response__moment=Response.Moment.BEFORE))
    after = Avg("number_value", filter=Q(response__moment=Response.Moment.AFTER))

    def with_delta(qs):
        return qs.annotate(before=before, after=after).annotate(
            delta=F("after") - F("before")
        )

    result.deltas_by_question = [
        {
            "questionnaire": r["response__questionnaire__title"],
            "text": r["text"],
            "before": _round(r["before"]),
            "after": _round(r["after"]),
            "delta": _round(r["delta"]),
            "people": r["people"],
        }
        for r in with_delta(
            impact.values("response__questionnaire__title", "question__code").annotate(
                text=Max("question__text"),
                position=Min("question__position"),
                people=Count("response__respondent_id", distinct=True),
            )
        ).order_by("response__questionnaire__title", "position")
    ]
    # People and pairs compare on the scale questions only: counts of lessons
    # and a 1–10 self-assessment do not average together.
    scale = impact.filter(question__kind=SCALE)
    result.deltas_by_participant = [
        {
            "person": r["response__respondent_id"],
            "name": " ".join(
                p
                for p in (
                    r["response__respondent__last_name"],
                    r["response__respondent__first_name"],
                    r["response__respondent__patronymic"],
                )
                if p
            ),
            "before": _round(r["before"]),
            "after": _round(r["after"]),
            "delta": _round(r["delta"]),
        }
        for r in with_delta(
            scale.values(
                "response__respondent_id",
                "response__respondent__last_name",
                "response__respondent__first_name",
                "response__respondent__patronymic",
            )
        ).order_by(
            "response__respondent__last_name", "response__respondent__first_name"
        )
    ]
    result.deltas_by_pair = [
        {
            "pair": r["response__pair_id"],
            "form": r["response__pair__form__name"],
            "before": _round(r["before"]),
            "after": _round(r["after"]),
            "delta": _round(r["delta"]),
        }
        for r in with_delta(
            scale.filter(response__pair__isnull=False).values(
                "response__pair_id", "response__pair__form__name"
            )
        ).order_by("response__pair__form__name", "response__pair_id")
    ]
