"""The indicators of the report (DOMAIN.md §f), per organization and summed.

Every figure is a SQL aggregate grouped by organization: one query per
source table whatever the number of organizations, so a school, a district
and a region cost the same number of queries. Python only adds the groups
up (a person belongs to one organization, so per-organization counts of
distinct people sum to the district's) and divides for the shares.

The answers' figures (satisfaction, before/after) read the roll-ups of
surveys.rollups when the period is whole months, the answers themselves
otherwise; the meetings' feedback joins the forms counted per meeting.

Nothing here names a person: the report leaves the school (156-ФЗ).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.dates import academic_year, academic_year_bounds, short_date
from mentoring.models import Meeting, Organization, Pair, Participation, Person
from surveys.models import (
    Answer,
    AnswerRollup,
    Question,
    Questionnaire,
    Response,
)
from surveys.rollups import meeting_counts

# The experience (full years) up to which a teacher is a young specialist
# (DOMAIN.md §a: «стаж 0–3 года»), and the age under which one is counted
# among the young teachers («до 35 лет»).
YOUNG_EXPERIENCE_YEARS = 3
YOUNG_AGE = 35
# The 1–10 item «satisfaction» of the standard questionnaires (§f: its mean
# × 10 is the satisfaction in percent).
SATISFACTION_QUESTION = "satisfaction"


@dataclass(frozen=True)
class ReportPeriod:
    """Days from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def academic(cls, start_year: int) -> ReportPeriod:
        return cls(*academic_year_bounds(start_year))

    @classmethod
    def current(cls) -> ReportPeriod:
        return cls.academic(academic_year())

    @property
    def label(self) -> str:
        """«2025/2026 учебный год», or «с 01.09.2025 по 31.12.2025»."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (
            9,
            1,
            8,
            31,
        ) and self.end.year == self.start.year + 1:
            return f"{self.start.year}/{self.end.year} учебный год"
        return f"с {short_date(self.start)} по {short_date(self.end)}"

    @property
    def starts(self) -> datetime.datetime:
        return _midnight(self.start)

    @property
    def ends(self) -> datetime.datetime:
        """The moment after its last day."""
        return _midnight(self.end + datetime.timedelta(days=1))

    @property
    def whole_months(self) -> bool:
        """From a first of the month to a last: the roll-ups cover it."""
        return self.start.day == 1 and (self.end + datetime.timedelta(days=1)).day == 1


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass
class Indicators:
    """The counts of one organization (or a sum of several); shares derive."""

    teachers: int = 0
    young_teachers: int = 0
    teachers_under_35: int = 0
    mentors: int = 0
    mentees: int = 0
    mentors_by_category: Counter = field(default_factory=Counter)
    mentees_by_category: Counter = field(default_factory=Counter)
    mentor_teachers: int = 0
    young_mentees: int = 0
    mentees_under_35: int = 0
    participants: int = 0
    pairs: int = 0
    groups: int = 0
    # form name → [pairs, groups]; the forms' catalogue order
    by_form: dict = field(default_factory=dict)
    by_format: Counter = field(default_factory=Counter)
    completed: int = 0
    terminated: int = 0
    overdue: int = 0
    terminated_by_reason: Counter = field(default_factory=Counter)
    meetings: int = 0
    meetings_mentor_feedback: int = 0
    meetings_mentee_feedback: int = 0
    meetings_full_feedback: int = 0
    # Satisfaction in percent of the scale: sums and counts, so they add up.
    mentee_satisfaction_sum: float = 0
    mentee_satisfaction_answers: int = 0
    mentor_satisfaction_sum: float = 0
    mentor_satisfaction_answers: int = 0
    satisfaction_respondents: int = 0
    impact_before_sum: float = 0
    impact_before_answers: int = 0
    impact_after_sum: float = 0
    impact_after_answers: int = 0

    # ------------------------------------------------------------ shares
    @property
    def young_share(self) -> Decimal | None:
        return percent(self.young_mentees, self.young_teachers)

    @property
    def under_35_share(self) -> Decimal | None:
        return percent(self.mentees_under_35, self.teachers_under_35)

    @property
    def mentor_share(self) -> Decimal | None:
        return percent(self.mentor_teachers, self.teachers)

    @property
    def mentees_per_mentor(self) -> Decimal | None:
        return ratio(self.mentees, self.mentors)

    @property
    def completion_rate(self) -> Decimal | None:
        return percent(self.completed, self.completed + self.terminated + self.overdue)

    @property
    def feedback_rate(self) -> Decimal | None:
        """Meetings with the forms of both sides, of the meetings held."""
        return percent(self.meetings_full_feedback, self.meetings)

    @property
    def mentee_satisfaction(self) -> Decimal | None:
        return ratio(self.mentee_satisfaction_sum, self.mentee_satisfaction_answers)

    @property
    def mentor_satisfaction(self) -> Decimal | None:
        return ratio(self.mentor_satisfaction_sum, self.mentor_satisfaction_answers)

    @property
    def satisfaction(self) -> Decimal | None:
        return ratio(
            self.mentee_satisfaction_sum + self.mentor_satisfaction_sum,
            self.mentee_satisfaction_answers + self.mentor_satisfaction_answers,
        )

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.satisfaction_respondents, self.participants)

    @property
    def impact_before(self) -> Decimal | None:
        return ratio(self.impact_before_sum, self.impact_before_answers)

    @property
    def impact_after(self) -> Decimal | None:
        return ratio(self.impact_after_sum, self.impact_after_answers)

    @property
    def growth(self) -> Decimal | None:
        if self.impact_before is None or self.impact_after is None:
            return None
        return self.impact_after - self.impact_before

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the period: no pair worked, no meeting, no answer."""
        return not (
            self.participants
            or self.meetings
            or self.mentee_satisfaction_answers
            or self.mentor_satisfaction_answers
            or self.impact_before_answers
            or self.impact_after_answers
        )

    # ------------------------------------------------------------ sums
    def add(self, other: Indicators) -> None:
        for name, value in vars(other).items():
            mine = getattr(self, name)
            if name == "by_form":
                for form, (pairs, groups) in value.items():
                    row = mine.setdefault(form, [0, 0])
                    row[0] += pairs
                    row[1] += groups
            elif isinstance(value, Counter):
                mine.update(value)
            else:
                setattr(self, name, mine + value)

    def as_dict(self) -> dict:
        """Plain JSON: what a sent report keeps, frozen."""
        # Not dataclasses.asdict: it rebuilds a Counter from (key, value)
        # pairs, counting the pairs themselves.
        return {
            name: {key: value[key] for key in value}
            if isinstance(value, dict)
            else value
            for name, value in vars(self).items()
        }

    @classmethod
    def from_dict(cls, data: dict) -> Indicators:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        result = cls(**known)
        for name in (
            "mentors_by_category",
            "mentees_by_category",
            "by_format",
            "terminated_by_reason",
        ):
            setattr(result, name, Counter(getattr(result, name)))
        return result


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def ratio(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(str(part)) / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class GroupedIndicators:
    """The indicators of each organization (by id) and their sum."""

    period: ReportPeriod
    per_organization: dict[int, Indicators]
    total: Indicators


# A pair «worked» in the period when it was under way on some day of it: it
# started by its end and was not closed before its start. A draft, an order
# not yet in force, and a draft suspended before approval never worked.
WORKED_STATUSES = (
    Pair.Status.ACTIVE,
    Pair.Status.SUSPENDED,
    Pair.Status.COMPLETED,
    Pair.Status.TERMINATED,
)


def worked_in(period: ReportPeriod, prefix: str = "") -> Q:
    def q(**lookups):
        return Q(**{prefix + name: value for name, value in lookups.items()})

    return (
        q(status__in=WORKED_STATUSES, starts_on__lte=period.end)
        & (q(closed_on__isnull=True) | q(closed_on__gte=period.start))
        & ~q(status=Pair.Status.SUSPENDED, suspended_from=Pair.Status.DRAFT)
    )


def organization_indicators(
    *,
    organizations: QuerySet[Organization],
    period_start: datetime.date,
    period_end: datetime.date,
) -> GroupedIndicators:
    """The report's figures for each of `organizations` and summed over them,
    in eight queries whatever their number."""
    period = ReportPeriod(period_start, period_end)
    ids = list(organizations.order_by().values_list("pk", flat=True))
    per = {pk: Indicators() for pk in ids}
    _staff(per, ids, period)
    _participants(per, ids, period)
    _units(per, ids, period)
    _outcomes(per, ids, period)
    _meetings(per, ids, period)
    _satisfaction(per, ids, period)
    _impact(per, ids, period)
    total = Indicators()
    for indicators in per.values():
        total.add(indicators)
    return GroupedIndicators(period=period, per_organization=per, total=total)


def _young(period: ReportPeriod, prefix: str = "") -> Q:
    """Experience of at most three full years on the period's last day."""
    since = years_before(period.end, YOUNG_EXPERIENCE_YEARS + 1)
    return Q(
        **{
            f"{prefix}category": Person.Category.TEACHER,
            f"{prefix}teaching_since__gt": since,
        }
    )


def _under_35(period: ReportPeriod, prefix: str = "") -> Q:
    """Younger than 35 on the period's last day."""
    born_after = years_before(period.end, YOUNG_AGE)
    return Q(
        **{
            f"{prefix}category": Person.Category.TEACHER,
            f"{prefix}birth_date__gt": born_after,
        }
    )


def _staff(per, ids, period) -> None:
    """N_ped, N_young, N_u35: the teachers on the school's lists."""
    rows = (
        Person.objects.filter(
            organization_id__in=ids,
            category=Person.Category.TEACHER,
            anonymised_at__isnull=True,
        )
        .values("organization_id")
        .annotate(
            teachers=Count("pk"),
            young=Count("pk", filter=_young(period)),
            under_35=Count("pk", filter=_under_35(period)),
        )
        .order_by()
    )
    for r in rows:
        target = per[r["organization_id"]]
        target.teachers = r["teachers"]
        target.young_teachers = r["young"]
        target.teachers_under_35 = r["under_35"]


def _participants(per, ids, period) -> None:
    """Distinct mentors and mentees of the pairs that worked, by category."""
    worked = Participation.objects.filter(
        worked_in(period, "pair__"), pair__organization_id__in=ids
    )
    rows = (
        worked.values("pair__organization_id", "role", "person__category")
        .annotate(
            people=Count("person_id", distinct=True),
            young=Count("person_id", distinct=True, filter=_young(period, "person__")),
            under_35=Count(
                "person_id", distinct=True, filter=_under_35(period, "person__")
            ),
        )
        .order_by()
    )
    for r in rows:
        target = per[r["pair__organization_id"]]
        if r["role"] == Participation.Role.MENTOR:
            target.mentors += r["people"]
            target.mentors_by_category[r["person__category"]] += r["people"]
            if r["person__category"] == Person.Category.TEACHER:
                target.mentor_teachers += r["people"]
        else:
            target.mentees += r["people"]
            target.mentees_by_category[r["person__category"]] += r["people"]
            target.young_mentees += r["young"]
            target.mentees_under_35 += r["under_35"]
    # Everyone asked the satisfaction questionnaire: a person who mentors in
    # one pair and is mentored in another is asked once.
    for r in (
        worked.values("pair__organization_id")
        .annotate(people=Count("person_id", distinct=True))
        .order_by()
    ):
        per[r["pair__organization_id"]].participants = r["people"]


def _units(per, ids, period) -> None:
    """Pairs and groups by form and by format. A group has three or more
    participants: one mentor with two mentees, or two mentors."""
    size = (
        Participation.objects.filter(pair_id=OuterRef("pk"))
        .order_by()
        .values("pair_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Pair.objects.filter(worked_in(period), organization_id__in=ids)
        .annotate(size=Coalesce(Subquery(size), 0))
        .values("organization_id", "form__name", "form__position", "format")
        .annotate(
            pairs=Count("pk", filter=Q(size__lt=3)),
            groups=Count("pk", filter=Q(size__gte=3)),
        )
        .order_by("form__position", "form__name")
    )
    for r in rows:
        target = per[r["organization_id"]]
        row = target.by_form.setdefault(r["form__name"], [0, 0])
        row[0] += r["pairs"]
        row[1] += r["groups"]
        target.by_format[r["format"]] += r["pairs"] + r["groups"]
        target.pairs += r["pairs"]
        target.groups += r["groups"]


def _outcomes(per, ids, period) -> None:
    """Completed and ended early in the period, and those still at work past
    their planned end (§f: the programs' completion)."""
    closed = Q(closed_on__gte=period.start, closed_on__lte=period.end)
    overdue_by = min(period.end, timezone.localdate())
    rows = (
        Pair.objects.filter(organization_id__in=ids)
        .values("organization_id", "termination_reason")
        .annotate(
            completed=Count("pk", filter=closed & Q(status=Pair.Status.COMPLETED)),
            terminated=Count("pk", filter=closed & Q(status=Pair.Status.TERMINATED)),
            overdue=Count(
                "pk",
                filter=Q(
                    worked_in(period),
                    status=Pair.Status.ACTIVE,
                    ends_on__lt=overdue_by,
                ),
            ),
        )
        .order_by()
    )
    for r in rows:
        target = per[r["organization_id"]]
        target.completed += r["completed"]
        target.terminated += r["terminated"]
        target.overdue += r["overdue"]
        if r["terminated"]:
            target.terminated_by_reason[r["termination_reason"]] += r["terminated"]


def _meetings(per, ids, period) -> None:
    """Meetings held in the period and those with the feedback forms (§b):
    whole months from their roll-up, a part of a month at either end from
    the meetings (surveys.rollups)."""
    counts = meeting_counts(
        organizations=Organization.objects.filter(pk__in=ids),
        starts=period.starts,
        ends=period.ends,
        statuses=(Meeting.Status.HELD,),
        group="organization",
    )
    for organization_id, c in counts.items():
        target = per[organization_id]
        target.meetings = c.meetings
        target.meetings_mentor_feedback = c.by_mentor
        target.meetings_mentee_feedback = c.by_mentee
        target.meetings_full_feedback = c.by_both


def _answers(ids, period, kind: str) -> QuerySet[Answer]:
    return Answer.objects.filter(
        response__organization_id__in=ids,
        response__questionnaire__kind=kind,
        response__submitted_at__gte=period.starts,
        response__submitted_at__lt=period.ends,
        question__kind=Question.Kind.SCALE,
        number_value__isnull=False,
    )


def _rolled(ids, period, kind: str) -> QuerySet[AnswerRollup]:
    """The roll-up rows of what `_answers` reads, for a period of whole months."""
    return AnswerRollup.objects.filter(
        organization_id__in=ids,
        questionnaire__kind=kind,
        month__gte=period.start,
        month__lte=period.end,
        question__kind=Question.Kind.SCALE,
        numbers__gt=0,
    )


def _satisfaction(per, ids, period) -> None:
    """The satisfaction item in percent of its scale (§f), by audience."""
    if period.whole_months:
        rows = (
            _rolled(ids, period, Questionnaire.Kind.SATISFACTION)
            .filter(question__code=SATISFACTION_QUESTION)
            .values("organization_id", "questionnaire__audience")
            .annotate(
                total=Sum(
                    ExpressionWrapper(
                        F("total") * 100 / F("question__scale_max"),
                        output_field=DecimalField(max_digits=20, decimal_places=4),
                    )
                ),
                answers=Sum("numbers"),
                people=Count("respondent_id", distinct=True),
                audience=F("questionnaire__audience"),
            )
            .order_by()
        )
    else:
        in_percent = ExpressionWrapper(
            F("number_value") * 100 / F("question__scale_max"),
            output_field=DecimalField(max_digits=12, decimal_places=4),
        )
        rows = (
            _answers(ids, period, Questionnaire.Kind.SATISFACTION)
            .filter(question__code=SATISFACTION_QUESTION)
            .values("response__organization_id", "response__questionnaire__audience")
            .annotate(
                total=Sum(in_percent),
                answers=Count("pk"),
                people=Count("response__respondent_id", distinct=True),
                organization_id=F("response__organization_id"),
                audience=F("response__questionnaire__audience"),
            )
            .order_by()
        )
    for r in rows:
        target = per[r["organization_id"]]
        if r["audience"] == Questionnaire.Audience.MENTOR:
            target.mentor_satisfaction_sum += float(r["total"])
            target.mentor_satisfaction_answers += r["answers"]
        else:
            target.mentee_satisfaction_sum += float(r["total"])
            target.mentee_satisfaction_answers += r["answers"]
        target.satisfaction_respondents += r["people"]


def _impact(per, ids, period) -> None:
    """Before/after (§f stage 2): the mean of the scale answers at each moment."""
    if period.whole_months:
        before, after = (
            Q(moment=Response.Moment.BEFORE),
            Q(moment=Response.Moment.AFTER),
        )
        rows = (
            _rolled(ids, period, Questionnaire.Kind.IMPACT)
            .values("organization_id")
            .annotate(
                before_sum=Sum("total", filter=before),
                before_n=Sum("numbers", filter=before, default=0),
                after_sum=Sum("total", filter=after),
                after_n=Sum("numbers", filter=after, default=0),
            )
            .order_by()
        )
    else:
        before = Q(response__moment=Response.Moment.BEFORE)
        after = Q(response__moment=Response.Moment.AFTER)
        rows = (
            _answers(ids, period, Questionnaire.Kind.IMPACT)
            .values("response__organization_id")
            .annotate(
                before_sum=Sum("number_value", filter=before),
                before_n=Count("pk", filter=before),
                after_sum=Sum("number_value", filter=after),
                after_n=Count("pk", filter=after),
                organization_id=F("response__organization_id"),
            )
            .order_by()
        )
    for r in rows:
        target = per[r["organization_id"]]
        target.impact_before_sum = float(r["before_sum"] or 0)
        target.impact_before_answers = r["before_n"]
        target.impact_after_sum = float(r["after_sum"] or 0)
        target.impact_after_answers = r["after_n"]
