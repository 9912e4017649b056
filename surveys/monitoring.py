"""Monitoring indicators (DOMAIN.md §f), each one aggregate query in SQL.

Everything is scoped by `visible_to(user)` and limited to one academic year
(1 September – 31 August). The averages and before/after figures read the
roll-ups of the answers (surveys.rollups: sums and counts per school, month
and question, kept by the database as answers arrive), not the answers.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import (
    academic_months,
    academic_year,
    academic_year_label,
    academic_year_start,
)
from mentoring.models import (
    MentoringForm,
    Organization,
    Pair,
    Participation,
    Person,
    Role,
    User,
    scope_by_role,
)

from .models import (
    AnswerRollup,
    Question,
    Questionnaire,
    QuestionRollup,
    RespondentRollup,
    Response,
)
from .rollups import MeetingCounts, figures_are_current, meeting_counts
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
    # All the people and pairs compared, when the lists above hold only the
    # first of them (the page).
    participants_total: int = 0
    pairs_total: int = 0
    # False when the roll-ups may miss answers (their triggers were off):
    # the page says the figures are behind until they are rebuilt.
    current: bool = True


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


def rolled_answers(
    *,
    user: User,
    period: Period,
    organization: Organization | None = None,
    model=AnswerRollup,
) -> QuerySet:
    """The roll-up rows (of `model`: AnswerRollup, QuestionRollup or
    RespondentRollup) of the answers `scoped_responses` would give."""
    qs = model.objects.visible_to(user).filter(
        month__gte=period.starts.date(), month__lt=period.ends.date()
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs


def average(filter: Q | None = None):
    """The mean of the numbers the roll-up rows hold (None without numbers)."""
    return ExpressionWrapper(
        Sum("total", filter=filter) / NullIf(Sum("numbers", filter=filter), 0),
        output_field=DecimalField(),
    )


def monitoring(
    *,
    user: User,
    period: Period,
    organization: Organization | None = None,
    rows: int | None = None,
) -> Monitoring:
    """The indicators; with `rows`, the before/after lists by person and by
    pair hold only their first `rows` (the page), else all (XLSX, PDF)."""
    responses = scoped_responses(user=user, period=period, organization=organization)
    scope = {"user": user, "period": period, "organization": organization}
    answers = rolled_answers(**scope)
    by_question = rolled_answers(**scope, model=QuestionRollup)
    by_respondent = rolled_answers(**scope, model=RespondentRollup)
    # The schools whose meetings the user counts (a participant: none).
    schools = scope_by_role(
        Organization.objects.all(), user, org="pk", district="district_id"
    )
    pairs = Pair.objects.visible_to(user)
    if organization is not None:
        schools = schools.filter(pk=organization.pk)
        pairs = pairs.filter(organization=organization)
    # Meetings that have happened (or should have): the whole months from
    # their roll-up, the month not over yet from the meetings.
    held = meeting_counts(
        organizations=schools,
        starts=period.starts,
        ends=min(period.ends, timezone.now()),
        statuses=DUE_STATUSES,
    )[None]
    result = Monitoring(period=period)
    result.rates = _rates(held=held, pairs=pairs, responses=responses, period=period)
    result.question_averages, result.trend = _scale_averages(by_question, period)
    result.form_averages = _form_averages(by_respondent)
    _deltas(answers, by_question, by_respondent, result, rows=rows)
    result.current = figures_are_current()
    if user.role == Role.METHODOLOGIST and not user.is_superuser:
        hide_names(result)
    return result


def hide_names(result: Monitoring) -> Monitoring:
    """Participants by their number, not their name: for what leaves the
    school (the district's view, the printed report). A report with no
    personal data needs no consent to transfer (156-ФЗ)."""
    # Translated once: per row, gettext cost the district's 500 rows more
    # than building them.
    label = _("Участник № %(pk)s")
    result.deltas_by_participant = [
        {**row, "name": label % {"pk": row["person"]}}
        for row in result.deltas_by_participant
    ]
    return result


def _rates(*, held: MeetingCounts, pairs, responses, period: Period) -> dict:
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
    # The questionnaires' ids as values, not a join: the planner then sees
    # from the ids' statistics that they are a few of the responses and
    # reads them by index, not the whole year (issue 15).
    satisfaction = list(
        Questionnaire.objects.filter(kind=Questionnaire.Kind.SATISFACTION).values_list(
            "pk", flat=True
        )
    )
    answered = (
        responses.filter(questionnaire__in=satisfaction)
        .order_by()
        .aggregate(n=Count("respondent_id", distinct=True))["n"]
    )
    return {
        "meetings": held.meetings,
        "mentor_feedback": held.by_mentor,
        "mentee_feedback": held.by_mentee,
        "mentor_feedback_rate": _percent(held.by_mentor, held.meetings),
        "mentee_feedback_rate": _percent(held.by_mentee, held.meetings),
        "asked": asked,
        "satisfaction_answered": answered,
        "satisfaction_rate": _percent(answered, asked),
    }


def _scale_averages(answers, period: Period) -> tuple[list[dict], dict]:
    """The averages of each scale question and the monthly trend, from one
    read of the roll-up per question (`answers`): its sums per question and
    month, added up here (a mean is a sum over a count, so the parts add)."""
    rows = (
        answers.filter(
            question__kind=SCALE,
            questionnaire__kind__in=(
                Questionnaire.Kind.SATISFACTION,
                Questionnaire.Kind.MEETING_FEEDBACK,
                Questionnaire.Kind.PROGRAM_QUALITY,
            ),
        )
        .values(
            "questionnaire_id",
            "questionnaire__title",
            "questionnaire__kind",
            "question__code",
            "question__text",
            "question__position",
            "question__scale_max",
            "month",
        )
        .annotate(
            points=Sum("total"), numbers=Sum("numbers"), answer_count=Sum("answers")
        )
        .order_by()
    )
    questions: dict[tuple, dict] = {}
    months: dict[tuple, list] = {}
    for r in rows:
        key = (r["questionnaire_id"], r["questionnaire__title"], r["question__code"])
        q = questions.setdefault(
            key,
            {
                "text": r["question__text"],
                "position": r["question__position"],
                "scale_max": r["question__scale_max"],
                "points": 0,
                "numbers": 0,
                "answers": 0,
            },
        )
        # As Max(text), Min(position), Max(scale_max) over the versions.
        q["text"] = max(q["text"], r["question__text"])
        q["position"] = min(q["position"], r["question__position"])
        q["scale_max"] = max(q["scale_max"], r["question__scale_max"])
        q["points"] += r["points"]
        q["numbers"] += r["numbers"]
        q["answers"] += r["answer_count"]
        if r["questionnaire__kind"] != Questionnaire.Kind.PROGRAM_QUALITY:
            sums = months.setdefault((r["month"], r["questionnaire__kind"]), [0, 0])
            sums[0] += r["points"]
            sums[1] += r["numbers"]
    averages = [
        {
            "questionnaire": title,
            "code": code,
            "text": q["text"],
            "average": _mean(q["points"], q["numbers"]),
            "answers": q["answers"],
            "scale_max": q["scale_max"],
        }
        for (_pk, title, code), q in sorted(
            questions.items(), key=lambda item: (item[0][1], item[1]["position"])
        )
    ]
    by_kind: dict[str, dict[datetime.date, Decimal]] = {}
    for (month, kind), (points, numbers) in months.items():
        if numbers:
            by_kind.setdefault(kind, {})[month] = _mean(points, numbers)
    return averages, _trend(by_kind, period)


def _mean(points, numbers) -> Decimal | None:
    return _round(Decimal(points) / numbers) if numbers else None


def _form_averages(answers) -> list[dict]:
    """Average satisfaction score per form of mentoring, and in percent (×10),
    from the roll-up of each respondent's scale answers (`answers`)."""
    rows = (
        answers.filter(
            questionnaire__kind=Questionnaire.Kind.SATISFACTION,
            pair__isnull=False,
        )
        .values("pair__form__name", "pair__form__position")
        .annotate(
            average=average(),
            respondents=Count("respondent_id", distinct=True),
        )
        .order_by("pair__form__position", "pair__form__name")
    )
    return [
        {
            "form": r["pair__form__name"],
            "average": _round(r["average"]),
            "percent": _round(r["average"] * 10),
            "respondents": r["respondents"],
        }
        for r in rows
    ]


def _trend(by_kind: dict, period: Period) -> dict:
    """Monthly average of scale answers: meeting feedback and satisfaction."""
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


def _deltas(
    answers, by_question, by_respondent, result: Monitoring, *, rows: int | None
) -> None:
    """Before/after: mean(after) − mean(before), per question, person and pair.

    Questions count every numeric answer: their sums from the roll-up per
    question, the people who answered each from the answers' roll-up.
    People and pairs compare on the scale questions only (counts of lessons
    and a 1–10 self-assessment do not average together): from the roll-up
    of each respondent's scale answers, a row per questionnaire answered,
    read once and grouped two ways (issue 15). With `rows`, the first that
    many people and pairs; their totals are counted all the same.
    """
    impact = Q(questionnaire__kind=Questionnaire.Kind.IMPACT)
    numeric = Q(question__kind__in=Question.NUMERIC_KINDS)
    before, after = Q(moment=Response.Moment.BEFORE), Q(moment=Response.Moment.AFTER)
    label = {"title": F("questionnaire__title"), "code": F("question__code")}
    questions = list(
        by_question.filter(impact, numeric)
        .values(**label)
        .annotate(
            text=Max("question__text"),
            first_position=Min("question__position"),
            ids=ArrayAgg("question_id", distinct=True),
            **_sums(before, after),
        )
        .order_by("title", "first_position", "code")
    )
    people = _people(answers, [r["ids"] for r in questions])
    result.deltas_by_question = [
        {
            "questionnaire": r["title"],
            "text": r["text"],
            **_before_after(*(r[k] for k in SUMS)),
            "people": people.get(i, 0),
        }
        for i, r in enumerate(questions)
    ]
    try:
        base, params = (
            by_respondent.filter(impact)
            .values(
                person=F("respondent_id"),
                unit=F("pair_id"),
                before=before,
                after=after,
                points=F("total"),
                count=F("numbers"),
            )
            .order_by()
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return
    sums = ", ".join(
        f"sum(b.{column}) FILTER (WHERE b.{moment})"
        for moment in ("before", "after")
        for column in ("points", "count")
    )
    # Each set ranked in the page's order, with its size: a page showing
    # `rows` of the people and pairs reads those, not the district's
    # thousands (issue 15).
    shown = "" if rows is None else "WHERE s.place <= %s"
    # `place` is each set's order: the rows come sorted by it, set by set.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
SELECT * FROM (
SELECT g.*, p.last_name, p.first_name, p.patronymic, f.name AS form,
       row_number() OVER (PARTITION BY g.by_person
                          ORDER BY p.last_name, p.first_name, f.name, g.unit,
                                   g.person) AS place,
       count(*) OVER (PARTITION BY g.by_person) AS size
  FROM (SELECT GROUPING(b.person) = 0 AS by_person, b.person, b.unit, {sums}
          FROM ({base}) AS b
         GROUP BY GROUPING SETS ((b.person), (b.unit))) AS g
  LEFT JOIN {Person._meta.db_table} p ON p.id = g.person
  LEFT JOIN {Pair._meta.db_table} u ON u.id = g.unit
  LEFT JOIN {MentoringForm._meta.db_table} f ON f.id = u.form_id
 -- Answers about no pair make no pair's row.
 WHERE g.by_person OR g.unit IS NOT NULL) AS s
 {shown}
 ORDER BY s.by_person, s.place
""",
            [*params, rows] if rows is not None else params,
        )
        found = cursor.fetchall()
    # The sets' rows leave the other set's column NULL: one window sorts
    # each set its own way (people by name, pairs by form and number), in
    # the database's collation.
    people_rows, pairs = [], []
    for row in found:
        by_person, person, unit = row[:3]
        figures = row[3:7]
        last_name, first_name, patronymic, form, _place, size = row[7:]
        if by_person:
            result.participants_total = size
            name = " ".join(p for p in (last_name, first_name, patronymic) if p)
            people_rows.append(
                {"person": person, "name": name, **_before_after(*figures)}
            )
        else:
            result.pairs_total = size
            pairs.append({"pair": unit, "form": form, **_before_after(*figures)})
    result.deltas_by_participant = people_rows
    result.deltas_by_pair = pairs


def _people(answers, groups: list[list[int]]) -> dict[int, int]:
    """The people who answered any question of each group (a question's
    versions), by the group's place in `groups`.

    Counted on the ids, not the questionnaires' titles and the questions'
    codes: the district's thousands of rows sort faster by numbers than by
    text in the Russian collation (issue 15).
    """
    ids = [pk for group in groups for pk in group]
    if not ids:
        return {}
    try:
        base, params = (
            answers.filter(question_id__in=ids, respondent__isnull=False)
            .values("question_id", "respondent_id")
            .distinct()
            .order_by()
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return {}
    places = [place for place, group in enumerate(groups) for _pk in group]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT m.place, count(DISTINCT d.respondent_id)
  FROM ({base}) AS d
  JOIN unnest(%s::bigint[], %s::int[]) AS m (question_id, place)
    ON m.question_id = d.question_id
 GROUP BY m.place""",
            [*params, ids, places],
        )
        return dict(cursor.fetchall())


SUMS = ("before_points", "before_numbers", "after_points", "after_numbers")


def _sums(before: Q, after: Q) -> dict:
    return {
        "before_points": Sum("total", filter=before),
        "before_numbers": Sum("numbers", filter=before),
        "after_points": Sum("total", filter=after),
        "after_numbers": Sum("numbers", filter=after),
    }


def _before_after(before_points, before_numbers, after_points, after_numbers) -> dict:
    before = Decimal(before_points) / before_numbers if before_numbers else None
    after = Decimal(after_points) / after_numbers if after_numbers else None
    delta = after - before if before is not None and after is not None else None
    return {"before": _round(before), "after": _round(after), "delta": _round(delta)}
