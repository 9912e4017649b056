"""State changes of roadmaps: creation from a template, stages and activities,
their status and evidence, and reminders.

Each service checks who acts, runs in one transaction, leaves an audit entry
and raises `ValidationError` with a Russian message.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import academic_year
from mentoring.links import absolute_url
from mentoring.models import District, Organization, Person, Role, User
from mentoring.services import ensure_acts_for, record_change

from .deadlines import parse_deadline, shift_years
from .models import Activity, Evidence, ReminderLog, Roadmap, Stage

# ---------------------------------------------------------------- rights


def can_edit_roadmap(*, user: User | None, roadmap: Roadmap) -> bool:
    try:
        ensure_can_edit_roadmap(by=user, roadmap=roadmap)
    except ValidationError:
        return False
    return True


def ensure_can_edit_roadmap(*, by: User | None, roadmap: Roadmap) -> None:
    """A school's roadmap is its curator's and head's; a district's, its
    methodologist's (the schools only read it); templates, the administrator's.

    `by=None` is the system itself (migrations, commands, demo data).
    """
    if by is None or by.is_superuser:
        return
    if roadmap.organization_id:
        ensure_acts_for(by=by, organization=roadmap.organization)
        return
    if (
        roadmap.district_id
        and by.role == Role.METHODOLOGIST
        and by.district_id == roadmap.district_id
    ):
        return
    raise ValidationError(
        _("Нет прав изменять дорожную карту «%(title)s».")
        % {"title": roadmap.short_title},
        code="forbidden",
    )


def check_responsible(*, roadmap: Roadmap, persons: Iterable[Person]) -> None:
    """Responsible people work in the roadmap's organization (or its district)."""
    for person in persons:
        if roadmap.organization_id:
            if person.organization_id == roadmap.organization_id:
                continue
            owner = roadmap.organization.short_name
        elif roadmap.district_id:
            if person.organization.district_id == roadmap.district_id:
                continue
            owner = roadmap.district.name
        else:
            owner = _("шаблон")
        raise ValidationError(
            _(
                "%(name)s — сотрудник другой организации: ответственным может быть "
                "только сотрудник «%(owner)s»."
            )
            % {"name": person.full_name, "owner": owner},
            code="foreign_person",
        )


def _audit(*, by, obj, roadmap: Roadmap, action: str, message: str, data=None):
    record_change(
        actor=by,
        obj=obj,
        action=action,
        organization=roadmap.organization,
        message=message,
        data=data,
    )


def record_roadmap_edit(*, by: User | None, roadmap: Roadmap, obj) -> None:
    """The audit entry for a change made in the back office's forms, whose
    checks (deadline, responsible people) ran in roadmap.forms."""
    _audit(
        by=by,
        obj=obj,
        roadmap=roadmap,
        action="roadmap.edited",
        message=_("Дорожная карта изменена: %(what)s") % {"what": str(obj)[:100]},
    )


# ---------------------------------------------------------------- building


@transaction.atomic
def create_roadmap(
    *,
    by: User | None,
    year: int,
    title: str,
    organization: Organization | None = None,
    district: District | None = None,
    **fields,
) -> Roadmap:
    roadmap = Roadmap(
        organization=organization, district=district, year=year, title=title, **fields
    )
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    roadmap.full_clean()
    roadmap.save()
    _audit(
        by=by,
        obj=roadmap,
        roadmap=roadmap,
        action="roadmap.created",
        message=_("Создана дорожная карта на %(period)s учебный год")
        % {"period": roadmap.period},
    )
    return roadmap


@transaction.atomic
def add_stage(*, by: User | None, roadmap: Roadmap, number: str, name: str) -> Stage:
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    stage = Stage(
        roadmap=roadmap,
        number=str(number).strip(),
        name=name,
        position=roadmap.stages.count(),
    )
    stage.full_clean()
    stage.save()
    return stage


def apply_deadline(activity: Activity, *, year: int) -> None:
    """Read the deadline's text into its kind and dates (ValidationError if bad)."""
    try:
        deadline = parse_deadline(activity.deadline_text, year=year)
    except ValidationError as error:
        raise ValidationError({"deadline_text": error.messages}) from error
    activity.deadline_kind = deadline.kind
    activity.starts_on, activity.ends_on = deadline.starts_on, deadline.ends_on


@transaction.atomic
def add_activity(
    *,
    by: User | None,
    stage: Stage,
    content: str,
    deadline_text: str = "",
    responsible: Iterable[Person] = (),
    responsible_roles: str = "",
    code: str = "",
) -> Activity:
    roadmap = stage.roadmap
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    responsible = list(responsible)
    check_responsible(roadmap=roadmap, persons=responsible)
    activity = Activity(
        stage=stage,
        content=content,
        deadline_text=" ".join(deadline_text.split()),
        responsible_roles=responsible_roles,
        code=code,
        position=stage.activities.count(),
    )
    apply_deadline(activity, year=roadmap.year)
    activity.full_clean()
    activity.save()
    activity.responsible.set(responsible)
    return activity


@transaction.atomic
def create_roadmap_from_template(
    *,
    template: Roadmap,
    by: User | None,
    year: int,
    organization: Organization | None = None,
    district: District | None = None,
) -> Roadmap:
    """The year's roadmap as a copy of a template, deadlines read for the year."""
    if not template.is_template:
        raise ValidationError(
            _("Создать дорожную карту можно только из шаблона."), code="not_template"
        )
    head = {}
    if organization is not None:
        head = {
            "approver_position": f"{organization.head_position} "
            f"{organization.short_name}",
            "approver_name": organization.head_name,
        }
    roadmap = create_roadmap(
        by=by,
        organization=organization,
        district=district,
        year=year,
        layout=template.layout,
        title=_("%(title)s на %(year)s/%(next)s учебный год")
        % {"title": template.title, "year": year, "next": year + 1},
        preamble=template.preamble,
        **head,
    )
    delta = year - template.year
    stages = list(template.stages.prefetch_related("activities"))
    copies = Stage.objects.bulk_create(
        Stage(roadmap=roadmap, position=s.position, number=s.number, name=s.name)
        for s in stages
    )
    activities = []
    for source, stage in zip(stages, copies, strict=True):
        for item in source.activities.all():
            activity = Activity(
                stage=stage,
                position=item.position,
                code=item.code,
                content=item.content,
                deadline_text=shift_years(item.deadline_text, delta),
                responsible_roles=item.responsible_roles,
            )
            apply_deadline(activity, year=year)
            activity.full_clean(exclude=["stage"])
            activities.append(activity)
    Activity.objects.bulk_create(activities)
    _audit(
        by=by,
        obj=roadmap,
        roadmap=roadmap,
        action="roadmap.from_template",
        message=_("Дорожная карта создана из шаблона «%(template)s»")
        % {"template": template.short_title},
        data={"template": template.pk},
    )
    return roadmap


# ---------------------------------------------------------------- progress


@transaction.atomic
def set_activity_status(
    *,
    by: User | None,
    activity: Activity,
    status: str,
    done_on: datetime.date | None = None,
) -> Activity:
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("stage__roadmap__organization")
        .get(pk=activity.pk)
    )
    roadmap = activity.stage.roadmap
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    was = activity.status
    activity.status = status
    activity.done_on = (
        (done_on or timezone.localdate()) if status == Activity.Status.DONE else None
    )
    activity.full_clean(exclude=["stage"])
    activity.save(update_fields=["status", "done_on"])
    _audit(
        by=by,
        obj=activity,
        roadmap=roadmap,
        action="roadmap.activity_status",
        message=_("Мероприятие «%(activity)s»: %(status)s")
        % {"activity": str(activity)[:80], "status": activity.get_status_display()},
        data={"from": was, "to": status},
    )
    return activity


@transaction.atomic
def add_evidence(
    *,
    by: User | None,
    activity: Activity,
    title: str,
    url: str = "",
    obj=None,
) -> Evidence:
    ensure_can_edit_roadmap(by=by, roadmap=activity.stage.roadmap)
    evidence = Evidence(activity=activity, title=title, url=url, added_by=by)
    if obj is not None:
        evidence.content_type = ContentType.objects.get_for_model(obj)
        evidence.object_id = obj.pk
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def close_activities_with_evidence(
    *,
    organization: Organization,
    obj,
    code: str,
    title: str,
    url: str = "",
    done_on: datetime.date | None = None,
    by: User | None = None,
) -> list[Activity]:
    """Attach `obj` (e.g. a signed order) to the organization's activities of
    this `code` in the academic year of `done_on`, and mark them done.

    Called by other parts of the system when what an activity asks for has
    happened: signing the order on pairs closes «Формирование наставнических
    пар» (code `form_pairs`). Activities already proven by `obj` are skipped,
    so calling twice changes nothing.
    """
    day = done_on or timezone.localdate()
    content_type = ContentType.objects.get_for_model(obj)
    activities = list(
        Activity.objects.select_for_update(of=("self",))
        .filter(
            code=code,
            stage__roadmap__organization=organization,
            stage__roadmap__is_template=False,
            stage__roadmap__year=academic_year(day),
        )
        .exclude(evidence__content_type=content_type, evidence__object_id=obj.pk)
        .select_related("stage__roadmap")
    )
    closed = []
    for activity in activities:
        Evidence.objects.create(
            activity=activity,
            title=title,
            url=url,
            content_type=content_type,
            object_id=obj.pk,
            added_by=by,
        )
        if activity.status != Activity.Status.DONE:
            activity.status, activity.done_on = Activity.Status.DONE, day
            activity.save(update_fields=["status", "done_on"])
        _audit(
            by=by,
            obj=activity,
            roadmap=activity.stage.roadmap,
            action="roadmap.evidence",
            message=_("Мероприятие «%(activity)s» подтверждено: %(title)s")
            % {"activity": str(activity)[:80], "title": title},
        )
        closed.append(activity)
    return closed


# ---------------------------------------------------------------- reminders


def send_roadmap_reminders(*, days: int, today: datetime.date | None = None) -> int:
    """E-mail each responsible person their open activities due within `days`
    days or overdue; each (activity, person, threshold) once. Returns the
    number of letters sent.
    """
    if days < 1:
        raise ValidationError(
            _("Число дней должно быть положительным."), code="bad_days"
        )
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    due = (
        Activity.objects.open()
        .filter(stage__roadmap__is_template=False, ends_on__lte=horizon)
        .filter(responsible__email__gt="")
        .values_list("pk", "responsible", "ends_on")
        .distinct()
    )
    by_person: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for activity_id, person_id, ends_on in due:
        threshold = ReminderLog.OVERDUE if ends_on < today else days
        by_person[person_id].append((activity_id, threshold))
    sent = 0
    for person_id, items in by_person.items():
        sent += _remind(person_id=person_id, items=items, today=today)
    return sent


@transaction.atomic
def _remind(*, person_id: int, items: list[tuple[int, int]], today) -> int:
    # Two runs at once (the timer and a hand-started command) queue on the
    # person's row, so the second sees the first one's log and sends nothing.
    person = Person.objects.select_for_update().get(pk=person_id)
    already = set(
        ReminderLog.objects.filter(person=person).values_list(
            "activity_id", "threshold"
        )
    )
    pending = [item for item in items if item not in already]
    if not pending:
        return 0
    thresholds = dict(pending)
    activities = list(
        Activity.objects.filter(pk__in=thresholds)
        .select_related("stage__roadmap")
        .order_by("ends_on", "stage__position", "position")
    )
    overdue = [a for a in activities if thresholds[a.pk] == ReminderLog.OVERDUE]
    soon = [a for a in activities if thresholds[a.pk] != ReminderLog.OVERDUE]
    roadmaps = sorted({a.stage.roadmap for a in activities}, key=lambda r: r.pk)
    context = {
        "person": person,
        "overdue": overdue,
        "soon": soon,
        "today": today,
        "links": [(r, absolute_url("roadmap:detail", r.pk)) for r in roadmaps],
    }
    send_mail(
        subject=_("Дорожная карта: сроки мероприятий"),
        message=render_to_string("roadmap/reminder_email.txt", context),
        from_email=None,
        recipient_list=[person.email],
    )
    ReminderLog.objects.bulk_create(
        ReminderLog(
            activity=a, person=person, threshold=thresholds[a.pk], deadline=a.ends_on
        )
        for a in activities
    )
    return 1
