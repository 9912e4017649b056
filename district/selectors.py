"""The methodologist's table: a row per organization of the district.

Every figure is one grouped SQL aggregate over the district, so the table
costs the same few queries at 4 organizations and at 400 (tests and
tests/perf). Rows are then sorted and filtered in Python: the columns by
form of mentoring are as many as the forms the district uses, and a
district holds hundreds of organizations, not millions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from mentoring.dates import academic_year, academic_year_label, academic_year_start
from mentoring.models import (
    District,
    MentoringForm,
    Organization,
    Pair,
    Participation,
    Person,
    scope_by_role,
)
from reports.indicators import ReportPeriod
from reports.selectors import NOT_SENT, report_statuses
from roadmap.models import Activity, Roadmap
from surveys.models import AnswerRollup, Question, Questionnaire
from surveys.rollups import meeting_counts
from surveys.selectors import DUE_STATUSES

# Below this share of feedback forms received a school needs attention.
LOW_FEEDBACK_PERCENT = 50
# «Молодой специалист»: pedagogical experience of 0–3 full years (DOMAIN §a).
YOUNG_EXPERIENCE_YEARS = 3
# «Насколько вы удовлетворены участием в программе наставничества?», the
# 1–10 item every satisfaction questionnaire asks (DOMAIN §f).
SATISFACTION_QUESTION = "satisfaction"
# Pairs and groups counted for the year: any approved by an order and not
# closed before it began (a draft is no pair yet).
COUNTED_STATUSES = [s for s in Pair.Status.values if s != Pair.Status.DRAFT]


@dataclass(frozen=True)
class Period:
    """An academic year, 1 September to 31 August, as of `today`."""

    start_year: int
    today: datetime.date

    @classmethod
    def current(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(academic_year(today), today)

    @property
    def starts_on(self) -> datetime.date:
        return academic_year_start(self.start_year)

    @property
    def ends_on(self) -> datetime.date:
        """The first day after the period."""
        return academic_year_start(self.start_year + 1)

    @property
    def label(self) -> str:
        return academic_year_label(self.start_year)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("1"))


@dataclass
class OrganizationRow:
    organization: Organization
    pilot_since: datetime.date | None = None
    roadmap_id: int | None = None
    activities: int = 0
    done: int = 0
    overdue: int = 0
    mentors: int = 0
    mentees: int = 0
    pairs_by_form: dict[int, int] = field(default_factory=dict)
    young: int = 0
    young_covered: int = 0
    meetings: int = 0
    feedback_received: int = 0
    satisfaction: Decimal | None = None
    # The report's status for the period (Russian label, from the reports
    # app); None hides the column.
    report_status: str | None = None
    # The report of the year before, which is due by now.
    previous_report_sent: bool = True
    previous_report_year: int | None = None

    @property
    def progress(self) -> Decimal | None:
        return _percent(self.done, self.activities)

    @property
    def young_share(self) -> Decimal | None:
        return _percent(self.young_covered, self.young)

    @property
    def feedback_owed(self) -> int:
        # After each meeting the mentor's form and the mentee's one.
        return 2 * self.meetings

    @property
    def feedback_rate(self) -> Decimal | None:
        return _percent(self.feedback_received, self.feedback_owed)

    @property
    def pairs(self) -> int:
        return sum(self.pairs_by_form.values())

    @property
    def attention(self) -> list[str]:
        """Why the school needs the methodologist's attention (Russian)."""
        reasons = []
        if self.overdue:
            reasons.append("overdue")
        rate = self.feedback_rate
        if rate is not None and rate < LOW_FEEDBACK_PERCENT:
            reasons.append("low_feedback")
        if not self.previous_report_sent:
            reasons.append("no_report")
        return reasons


@dataclass
class Table:
    district: District
    period: Period
    forms: list[MentoringForm]
    rows: list[OrganizationRow]

    @property
    def shows_report_status(self) -> bool:
        return any(row.report_status is not None for row in self.rows)


def organization_rows(
    *,
    district: District,
    period: Period,
    organizations: QuerySet[Organization] | None = None,
) -> Table:
    """A row per organization of `district` (or of `organizations`, a
    narrower queryset of it) with the figures of the period: seven queries."""
    if organizations is None:
        organizations = Organization.objects.all()
    organizations = organizations.filter(district=district)
    orgs = list(organizations.select_related("pilot").order_by("short_name", "pk"))
    rows = {org.pk: OrganizationRow(organization=org) for org in orgs}
    for org in orgs:
        pilot = getattr(org, "pilot", None)
        rows[org.pk].pilot_since = pilot.since if pilot else None
    ids = list(rows)
    _roadmaps(rows, ids, period)
    forms = _pairs(rows, ids, period)
    _people(rows, ids, period)
    _young(rows, ids, period)
    _feedback(rows, ids, period)
    _satisfaction(rows, ids, period)
    _reports(rows, ids, period)
    return Table(
        district=district, period=period, forms=forms, rows=list(rows.values())
    )


def _reports(rows, ids, period: Period) -> None:
    """The report of the period as the column shows it, and whether a school
    that ran the model the year before (it kept a roadmap for it) sent that
    year's report, due by now: three queries."""
    current = ReportPeriod.academic(period.start_year)
    for org_id, label in report_statuses(
        organization_ids=ids, period_start=current.start, period_end=current.end
    ).items():
        rows[org_id].report_status = label
    previous = ReportPeriod.academic(period.start_year - 1)
    ran = set(
        Roadmap.objects.filter(
            organization_id__in=ids, year=period.start_year - 1
        ).values_list("organization_id", flat=True)
    )
    for org_id, label in report_statuses(
        organization_ids=ran, period_start=previous.start, period_end=previous.end
    ).items():
        rows[org_id].previous_report_sent = label != NOT_SENT
        rows[org_id].previous_report_year = period.start_year - 1


def counted_pairs(ids: list[int], period: Period) -> QuerySet[Pair]:
    return Pair.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.starts_on),
        Q(starts_on__isnull=True) | Q(starts_on__lt=period.ends_on),
        organization_id__in=ids,
        status__in=COUNTED_STATUSES,
    )


def _roadmaps(rows, ids, period: Period) -> None:
    """Progress and overdue activities of the school's roadmaps of the year."""
    open_ = ~Q(status=Activity.Status.DONE)
    figures = (
        Activity.objects.filter(
            stage__roadmap__organization_id__in=ids,
            stage__roadmap__is_template=False,
            stage__roadmap__year=period.start_year,
        )
        .values("stage__roadmap__organization_id")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Activity.Status.DONE)),
            overdue=Count("pk", filter=open_ & Q(ends_on__lt=period.today)),
            roadmap_id=Min("stage__roadmap_id"),
        )
        .order_by()
    )
    for f in figures:
        row = rows[f["stage__roadmap__organization_id"]]
        row.activities, row.done = f["total"], f["done"]
        row.overdue, row.roadmap_id = f["overdue"], f["roadmap_id"]


def _pairs(rows, ids, period: Period) -> list[MentoringForm]:
    figures = (
        counted_pairs(ids, period)
        .values("organization_id", "form_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    used = set()
    for f in figures:
        rows[f["organization_id"]].pairs_by_form[f["form_id"]] = f["n"]
        used.add(f["form_id"])
    return list(MentoringForm.objects.filter(pk__in=used).order_by("position", "name"))


def _people(rows, ids, period: Period) -> None:
    mentor = Q(role=Participation.Role.MENTOR)
    figures = (
        Participation.objects.filter(pair__in=counted_pairs(ids, period))
        .values("pair__organization_id")
        .annotate(
            mentors=Count("person_id", distinct=True, filter=mentor),
            mentees=Count("person_id", distinct=True, filter=~mentor),
        )
        .order_by()
    )
    for f in figures:
        row = rows[f["pair__organization_id"]]
        row.mentors, row.mentees = f["mentors"], f["mentees"]


def young_teachers(ids: list[int], today: datetime.date) -> QuerySet[Person]:
    """Teachers with 0–3 full years of pedagogical experience on `today`."""
    try:
        earliest = today.replace(year=today.year - YOUNG_EXPERIENCE_YEARS - 1)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - YOUNG_EXPERIENCE_YEARS - 1, day=28)
    return Person.objects.filter(
        organization_id__in=ids,
        category=Person.Category.TEACHER,
        anonymised_at__isnull=True,
        teaching_since__gt=earliest,
        teaching_since__lte=today,
    )


def _young(rows, ids, period: Period) -> None:
    in_mentoring = Exists(
        Participation.objects.filter(
            person_id=OuterRef("pk"),
            role=Participation.Role.MENTEE,
            pair__in=counted_pairs(ids, period),
        )
    )
    figures = (
        young_teachers(ids, period.today)
        .values("organization_id")
        .annotate(young=Count("pk"), covered=Count("pk", filter=in_mentoring))
        .order_by()
    )
    for f in figures:
        row = rows[f["organization_id"]]
        row.young, row.young_covered = f["young"], f["covered"]


def _feedback(rows, ids, period: Period) -> None:
    """Meetings of the year that have happened, and the forms after them:
    the whole months from their roll-up, this month from the meetings
    (surveys.rollups)."""
    starts = timezone.make_aware(
        datetime.datetime.combine(period.starts_on, datetime.time())
    )
    figures = meeting_counts(
        organizations=Organization.objects.filter(pk__in=ids),
        starts=starts,
        ends=timezone.now(),
        statuses=DUE_STATUSES,
        group="organization",
        # A suspended pair cannot record feedback (a consent ended): not owed.
        without_suspended=True,
    )
    for organization_id, f in figures.items():
        row = rows[organization_id]
        row.meetings = f.meetings
        row.feedback_received = f.by_mentor + f.by_mentee


def _satisfaction(rows, ids, period: Period) -> None:
    """Mean of the 1–10 satisfaction item × 10, in percent (DOMAIN §f)."""
    starts = timezone.make_aware(
        datetime.datetime.combine(period.starts_on, datetime.time())
    )
    ends = timezone.make_aware(
        datetime.datetime.combine(period.ends_on, datetime.time())
    )
    # The roll-ups of the answers (surveys.rollups), by month: the academic
    # year is whole months.
    figures = (
        AnswerRollup.objects.filter(
            organization_id__in=ids,
            questionnaire__kind=Questionnaire.Kind.SATISFACTION,
            month__gte=starts.date(),
            month__lt=ends.date(),
            question__kind=Question.Kind.SCALE,
            question__code=SATISFACTION_QUESTION,
        )
        .values("organization_id")
        .annotate(points=Sum("total"), answers=Sum("numbers"))
        .filter(answers__gt=0)
        .order_by()
    )
    for f in figures:
        average = Decimal(f["points"]) / f["answers"] * 10
        rows[f["organization_id"]].satisfaction = average.quantize(Decimal("1"))


def districts_visible_to(user) -> QuerySet[District]:
    """The methodologist's own district; every district to the superuser."""
    return scope_by_role(
        District.objects.all(),
        user,
        org=lambda pk: Q(organizations=pk),
        district="pk",
    )


def attention_rows(*, district: District, period: Period) -> list[OrganizationRow]:
    """The schools that fell behind: overdue activities, little feedback."""
    table = organization_rows(district=district, period=period)
    return [row for row in table.rows if row.attention]
