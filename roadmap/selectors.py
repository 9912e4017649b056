"""Scoped reads of roadmaps, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.safestring import mark_safe

from mentoring.dates import academic_months, academic_year
from mentoring.models import Person, Role, User

from .models import Activity, Evidence, Roadmap, Stage

DUE_SOON_DAYS = 14


def roadmaps_for_user(*, user: User) -> QuerySet[Roadmap]:
    """The roadmaps a user follows (templates are for the admin)."""
    return (
        Roadmap.objects.visible_to(user)
        .filter(is_template=False)
        .select_related("organization", "district")
        .annotate(
            total=Count("stages__activities"),
            done=Count(
                "stages__activities",
                filter=Q(stages__activities__status=Activity.Status.DONE),
            ),
        )
        .order_by("-year", "organization__short_name", "pk")
    )


def with_deadline_state(
    activities: QuerySet[Activity], *, today: datetime.date, days: int = DUE_SOON_DAYS
) -> QuerySet[Activity]:
    """Annotate `is_overdue` and `is_due_soon` in SQL."""
    open_ = ~Q(status=Activity.Status.DONE)
    return activities.annotate(
        is_overdue=ExpressionWrapper(
            Case(
                When(open_ & Q(ends_on__lt=today), then=Value(True)),
                default=Value(False),
            ),
            output_field=BooleanField(),
        ),
        is_due_soon=ExpressionWrapper(
            Case(
                When(
                    open_
                    & Q(ends_on__gte=today)
                    & Q(ends_on__lte=today + datetime.timedelta(days=days)),
                    then=Value(True),
                ),
                default=Value(False),
            ),
            output_field=BooleanField(),
        ),
    )


@dataclass
class StageView:
    stage: Stage
    activities: list = field(default_factory=list)

    @property
    def percent(self) -> int:
        total = self.stage.total
        return round(100 * self.stage.done / total) if total else 0


@dataclass
class Overview:
    roadmap: Roadmap
    stages: list[StageView]
    persons: list[Person]
    months: list[datetime.date]
    total: int
    done: int
    overdue: int
    due_soon: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def roadmap_overview(
    *, roadmap: Roadmap, today: datetime.date, person_id: int | None = None
) -> Overview:
    """Stages with progress and their activities (filtered by a responsible
    person if asked), each marked overdue or due soon: five queries.

    The page is a tenth of the mixed load's requests (issue 15): the
    deadline state is decided here in Python rather than by two CASE
    annotations, the people read only their names, the activities' people and
    evidence are kept as plain lists, and each timeline row is one string."""
    stages = list(
        roadmap.stages.annotate(
            total=Count("activities"),
            done=Count("activities", filter=Q(activities__status="done")),
        ).order_by("position", "pk")
    )
    names = ("last_name", "first_name", "patronymic")
    activities = Activity.objects.filter(stage__roadmap=roadmap)
    if person_id:
        activities = activities.filter(responsible=person_id)
    activities = activities.prefetch_related(
        Prefetch(
            "responsible",
            queryset=Person.objects.only(*names).order_by("last_name"),
            to_attr="responsible_people",
        ),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.order_by("added_at", "pk"),
            to_attr="evidence_list",
        ),
    ).order_by("stage__position", "position", "pk")
    views = {stage.pk: StageView(stage) for stage in stages}
    counts = {"overdue": 0, "due_soon": 0}
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    for activity in activities:
        # As with_deadline_state: an open activity past its end, or ending
        # within DUE_SOON_DAYS; without an end it is neither.
        open_ = activity.status != Activity.Status.DONE and activity.ends_on
        activity.is_overdue = bool(open_ and activity.ends_on < today)
        activity.is_due_soon = bool(open_ and today <= activity.ends_on <= soon)
        activity.timeline = timeline_cells(activity, year=roadmap.year)
        activity.timeline_row = timeline_row(activity.timeline)
        views[activity.stage_id].activities.append(activity)
        counts["overdue"] += activity.is_overdue
        counts["due_soon"] += activity.is_due_soon
    persons = list(
        Person.objects.filter(roadmap_activities__stage__roadmap=roadmap)
        .only(*names)
        .distinct()
        .order_by("last_name", "first_name")
    )
    return Overview(
        roadmap=roadmap,
        stages=list(views.values()),
        persons=persons,
        months=academic_months(roadmap.year),
        total=sum(s.total for s in stages),
        done=sum(s.done for s in stages),
        **counts,
    )


def months_covered(activity: Activity, *, year: int) -> list[bool]:
    """Twelve flags, September to August: the months the deadline spans."""
    if activity.starts_on is None or activity.ends_on is None:
        return [False] * 12
    flags = []
    for first in academic_months(year):
        flags.append(activity.starts_on.replace(day=1) <= first <= activity.ends_on)
    return flags


def timeline_cells(activity: Activity, *, year: int) -> list[str]:
    """The CSS class of each month's cell in the page's monthly plan, "" for
    a month the deadline does not span.

    Decided once per activity: the template choosing among four classes in
    each of twelve cells took 2.2 ms of the page's CPU at 20 activities, the
    loop over ready classes 1.0 ms."""
    if activity.status == Activity.Status.DONE:
        state = "tl-done"
    elif activity.is_overdue:
        state = "tl-overdue"
    elif activity.is_due_soon:
        state = "tl-soon"
    else:
        state = "tl-planned"
    return [state if on else "" for on in months_covered(activity, year=year)]


def timeline_row(cells: list[str]) -> str:
    """The month cells of one activity's row, as markup: one string rather
    than twelve template variables per activity. The classes are the four
    constants of timeline_cells, never user input."""
    return mark_safe("".join(f'<td class="{cell}"></td>' for cell in cells))


# Words by which a roadmap names a role in «ответственные (роли)»: the
# templates write «куратор», «педагог-психолог», «руководитель ОО», «ИМЦ».
ROLE_WORDS = {
    Role.CURATOR: ("куратор",),
    Role.DIRECTOR: ("руководител", "директор"),
    Role.PSYCHOLOGIST: ("психолог",),
    Role.METHODOLOGIST: ("ИМЦ", "методист"),
}


def tasks_for_user(*, user: User, today: datetime.date) -> QuerySet[Activity]:
    """Open activities of this academic year's roadmaps that the user answers
    for, by name or by role, overdue first, then by deadline.

    By role only in the roadmaps of the user's own level (the school's for
    its staff, the district's for the methodologist): «куратор» in the
    district's roadmap is every school's curator, not a task of this one.
    """
    mine = Exists(
        Activity.responsible.through.objects.filter(
            activity_id=OuterRef("pk"), person__user=user
        )
    )
    by_role = Q(pk__in=[])
    words = ROLE_WORDS.get(user.role, ())
    if words and not user.is_superuser:
        level = (
            Q(stage__roadmap__district_id=user.district_id)
            if user.role == Role.METHODOLOGIST
            else Q(stage__roadmap__organization_id=user.organization_id)
        )
        said = Q()
        for word in words:
            said |= Q(responsible_roles__icontains=word)
        by_role = level & said
    return (
        with_deadline_state(
            Activity.objects.visible_to(user)
            .filter(stage__roadmap__is_template=False)
            .filter(stage__roadmap__year__gte=academic_year(today))
            .open()
            .filter(mine | by_role),
            today=today,
        )
        .select_related("stage__roadmap")
        .annotate(is_mine=mine)
        .order_by(
            "-is_overdue",
            F("ends_on").asc(nulls_last=True),
            "stage__roadmap_id",
            "stage__position",
            "position",
            "pk",
        )
    )
