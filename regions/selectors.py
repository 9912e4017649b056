"""The region's table: a row per district, aggregates only (DOMAIN.md §f).

The regional mentoring centre receives no personal data: every figure here
is a count, a share or a mean computed in SQL and grouped by district, so
no name, birth date or answer leaves the districts. Each figure is one query
over all the region's districts, whatever their number: the page runs the
same number of queries for 40 organizations and for 3,000.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from mentoring.models import (
    District,
    Meeting,
    MentoringForm,
    Organization,
    Pair,
    Participation,
    Person,
    Role,
    User,
)
from surveys.models import AnswerRollup, Question, Questionnaire
from surveys.monitoring import Period
from surveys.rollups import meeting_counts

# Young teachers (DOMAIN.md §f: N_young): teaching for at most three years.
YOUNG_YEARS = 3
# The meetings whose feedback is owed: planned ones past their time count,
# as on the curator's monitoring (surveys.selectors.DUE_STATUSES).
DUE_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.HELD)


@dataclass
class DistrictRow:
    pk: int
    name: str
    organizations: int = 0
    mentors: int = 0
    mentees: int = 0
    pairs: int = 0
    # MentoringForm.pk → pairs of that form.
    by_form: dict[int, int] = field(default_factory=dict)
    young: int = 0
    young_covered: int = 0
    meetings: int = 0
    meetings_with_feedback: int = 0
    # Satisfaction answers (1–10) and their sum: the mean is taken here, so
    # the region's total weighs each answer alike, not each district.
    satisfaction_answers: int = 0
    satisfaction_sum: int = 0

    @property
    def young_share(self) -> Decimal | None:
        return _percent(self.young_covered, self.young)

    @property
    def feedback_rate(self) -> Decimal | None:
        return _percent(self.meetings_with_feedback, self.meetings)

    @property
    def satisfaction(self) -> Decimal | None:
        """In percent: the mean of the 1–10 items × 10 (DOMAIN.md §f)."""
        if not self.satisfaction_answers:
            return None
        mean = Decimal(self.satisfaction_sum) / self.satisfaction_answers
        return (mean * 10).quantize(Decimal("0.1"))


@dataclass
class RegionTable:
    title: str
    period: Period
    forms: list[MentoringForm]
    rows: list[DistrictRow]
    total: DistrictRow


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def districts_for(user: User) -> QuerySet[District]:
    """The districts whose aggregates the user reads: the regional centre's
    region; the superuser's, every district. Nobody else reads this table."""
    if user.is_superuser:
        return District.objects.all()
    if user.role == Role.REGIONAL:
        return District.objects.filter(region_id=user.region_id)
    return District.objects.none()


def worked_pairs(period: Period) -> QuerySet[Pair]:
    """Pairs that worked during the year: active or completed, started before
    its end, not closed before its start (as surveys.monitoring counts them)."""
    return Pair.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.starts.date()),
        status__in=(Pair.Status.ACTIVE, Pair.Status.COMPLETED),
        starts_on__lt=period.ends.date(),
    )


@transaction.atomic
def region_table(*, user: User, period: Period, title: str) -> RegionTable:
    # PostgreSQL compiles a query it estimates as costly (JIT); these grouped
    # counts run in tens of milliseconds and took a hundred more to compile
    # at 400 organizations. Off for this transaction only.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
    districts = districts_for(user)
    district_ids = districts.values("pk")
    rows = {
        d["pk"]: DistrictRow(pk=d["pk"], name=d["name"], organizations=d["n"])
        for d in districts.annotate(n=Count("organizations"))
        .values("pk", "name", "n")
        .order_by("name")
    }
    forms = list(MentoringForm.objects.order_by("position", "name"))
    pairs = worked_pairs(period).filter(organization__district_id__in=district_ids)
    in_district = "organization__district_id"

    for r in pairs.values(in_district, "form_id").annotate(n=Count("pk")).order_by():
        row = rows[r[in_district]]
        row.by_form[r["form_id"]] = r["n"]
        row.pairs += r["n"]

    people = (
        Participation.objects.filter(pair__in=pairs)
        .values("pair__organization__district_id")
        .annotate(
            mentors=Count(
                "person_id",
                distinct=True,
                filter=Q(role=Participation.Role.MENTOR),
            ),
            mentees=Count(
                "person_id",
                distinct=True,
                filter=Q(role=Participation.Role.MENTEE),
            ),
        )
        .order_by()
    )
    for r in people:
        row = rows[r["pair__organization__district_id"]]
        row.mentors, row.mentees = r["mentors"], r["mentees"]

    today = timezone.localdate()
    young_since = today - datetime.timedelta(days=365 * YOUNG_YEARS)
    young = (
        Person.objects.filter(
            organization__district_id__in=district_ids,
            category=Person.Category.TEACHER,
            teaching_since__gt=young_since,
        )
        .annotate(
            covered=Exists(
                Participation.objects.filter(
                    person_id=OuterRef("pk"),
                    role=Participation.Role.MENTEE,
                    pair__in=pairs,
                )
            )
        )
        .values(in_district)
        .annotate(total=Count("pk"), covered_n=Count("pk", filter=Q(covered=True)))
        .order_by()
    )
    for r in young:
        row = rows[r[in_district]]
        row.young, row.young_covered = r["total"], r["covered_n"]

    # A meeting's feedback is complete when both forms are in (DOMAIN.md §b:
    # «обратная связь заполнена (both forms)»); the whole months come from
    # the meetings' roll-up, this month from the meetings (surveys.rollups).
    meetings = meeting_counts(
        organizations=Organization.objects.filter(district_id__in=list(rows)),
        starts=period.starts,
        ends=min(period.ends, timezone.now()),
        statuses=DUE_STATUSES,
        group="district",
    )
    for district_id, counts in meetings.items():
        row = rows[district_id]
        row.meetings, row.meetings_with_feedback = counts.meetings, counts.by_both

    # From the roll-ups of the answers (surveys.rollups): the year is whole
    # months.
    satisfaction = (
        AnswerRollup.objects.filter(
            organization__district_id__in=district_ids,
            questionnaire__kind=Questionnaire.Kind.SATISFACTION,
            month__gte=period.starts.date(),
            month__lt=period.ends.date(),
            question__kind=Question.Kind.SCALE,
        )
        .values(in_district)
        .annotate(n=Sum("numbers"), points=Sum("total"))
        .filter(n__gt=0)
        .order_by()
    )
    for r in satisfaction:
        row = rows[r[in_district]]
        row.satisfaction_answers, row.satisfaction_sum = r["n"], r["points"]

    ordered = list(rows.values())
    return RegionTable(
        title=title, period=period, forms=forms, rows=ordered, total=_total(ordered)
    )


def _total(rows: list[DistrictRow]) -> DistrictRow:
    total = DistrictRow(pk=0, name="")
    for row in rows:
        for name in (
            "organizations",
            "mentors",
            "mentees",
            "pairs",
            "young",
            "young_covered",
            "meetings",
            "meetings_with_feedback",
            "satisfaction_answers",
            "satisfaction_sum",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for form_id, n in row.by_form.items():
            total.by_form[form_id] = total.by_form.get(form_id, 0) + n
    return total
