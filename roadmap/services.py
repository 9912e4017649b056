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
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.dates import academic_year
from mentoring.links import absolute_url
from mentoring.mail import send_templated
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


def check_responsible(
    *, roadmap: Roadmap, persons: Iterable[Person], by: User | None = None
) -> None:
    """Responsible people work in the roadmap's organization (or its district).

    The refusal names the person only to someone who may see them: a guessed
    id must not tell whose it is.
    """
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
        if (
            by is not None
            and Person.objects.visible_to(by).filter(pk=person.pk).exists()
        ):
            message = _(
                "%(name)s — сотрудник другой организации: ответственным может быть "
                "только сотрудник «%(owner)s»."
            ) % {"name": person.full_name, "owner": owner}
        else:
            message = _(
                "Выбран сотрудник другой организации: ответственным может быть "
                "только сотрудник «%(owner)s»."
            ) % {"owner": owner}
        raise ValidationError(message, code="foreign_person")


def _audit(*, by, obj, roadmap: Roadmap, action: str, message: str, data=None):
    record_change(
        actor=by,
        obj=obj,
        action=action,
        organization=roadmap.organization,
        message=message,
        data=data,
    )


def _apply(obj, fields: dict) -> dict:
    """Set `fields` on `obj`; return {name: [was, now]} of those that changed,
    as the audit entry keeps them."""
    changed = {}
    for name, value in fields.items():
        was = getattr(obj, name)
        if was != value:
            setattr(obj, name, value)
            changed[name] = [_jsonable(was), _jsonable(value)]
    return changed


def _jsonable(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


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
def update_roadmap(*, by: User | None, roadmap: Roadmap, **fields) -> Roadmap:
    """Change the roadmap's heading fields; a new year re-reads every deadline,
    since months without a year belong to the roadmap's academic year."""
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    changed = _apply(roadmap, fields)
    if not changed:
        return roadmap
    # The new owner too: the administrator may hand a roadmap over, nobody else.
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    roadmap.full_clean()
    roadmap.save(update_fields=list(changed))
    if "year" in changed:
        _reread_deadlines(roadmap=roadmap)
    _audit(
        by=by,
        obj=roadmap,
        roadmap=roadmap,
        action="roadmap.edited",
        message=_("Дорожная карта изменена: %(fields)s")
        % {"fields": _field_names(Roadmap, changed)},
        data=changed,
    )
    return roadmap


def _reread_deadlines(*, roadmap: Roadmap) -> None:
    activities = list(Activity.objects.filter(stage__roadmap=roadmap))
    for activity in activities:
        try:
            apply_deadline(activity, year=roadmap.year)
        except ValidationError as error:
            raise ValidationError(
                _("Мероприятие «%(activity)s»: %(error)s")
                % {"activity": str(activity)[:80], "error": " ".join(error.messages)},
                code="bad_deadline",
            ) from error
        activity.full_clean(exclude=["stage"])
    Activity.objects.bulk_update(
        activities, ["deadline_kind", "starts_on", "ends_on"], batch_size=500
    )


def _field_names(model, changed: dict) -> str:
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in changed)


@transaction.atomic
def remove_roadmap(*, by: User | None, roadmap: Roadmap) -> None:
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    _audit(
        by=by,
        obj=roadmap,
        roadmap=roadmap,
        action="roadmap.removed",
        message=_("Удалена дорожная карта «%(title)s»")
        % {"title": roadmap.short_title[:100]},
    )
    roadmap.delete()


@transaction.atomic
def add_stage(
    *,
    by: User | None,
    roadmap: Roadmap,
    number: str,
    name: str,
    position: int | None = None,
) -> Stage:
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    # Stage numbers are unique per roadmap: additions and edits queue here.
    Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    stage = Stage(
        roadmap=roadmap,
        number=str(number).strip(),
        name=name,
        position=roadmap.stages.count() if position is None else position,
    )
    stage.full_clean()
    stage.save()
    _audit(
        by=by,
        obj=stage,
        roadmap=roadmap,
        action="roadmap.stage_added",
        message=_("Добавлен этап «%(stage)s»") % {"stage": str(stage)[:100]},
    )
    return stage


@transaction.atomic
def edit_stage(
    *, by: User | None, stage: Stage, number: str, name: str, position: int
) -> Stage:
    stage = Stage.objects.select_related("roadmap").get(pk=stage.pk)
    roadmap = stage.roadmap
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    Roadmap.objects.select_for_update().get(pk=roadmap.pk)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    stage.roadmap = roadmap
    changed = _apply(
        stage, {"number": str(number).strip(), "name": name, "position": position}
    )
    if not changed:
        return stage
    stage.full_clean()
    stage.save(update_fields=list(changed))
    _audit(
        by=by,
        obj=stage,
        roadmap=roadmap,
        action="roadmap.stage_edited",
        message=_("Этап «%(stage)s» изменён: %(fields)s")
        % {"stage": str(stage)[:100], "fields": _field_names(Stage, changed)},
        data=changed,
    )
    return stage


@transaction.atomic
def remove_stage(*, by: User | None, stage: Stage) -> None:
    stage = Stage.objects.select_related("roadmap").get(pk=stage.pk)
    ensure_can_edit_roadmap(by=by, roadmap=stage.roadmap)
    Roadmap.objects.select_for_update().get(pk=stage.roadmap_id)
    _audit(
        by=by,
        obj=stage,
        roadmap=stage.roadmap,
        action="roadmap.stage_removed",
        message=_("Удалён этап «%(stage)s» с мероприятиями: %(n)s")
        % {"stage": str(stage)[:100], "n": stage.activities.count()},
    )
    stage.delete()


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
    position: int | None = None,
    number: str = "",
    substage_number: str = "",
    substage_name: str = "",
) -> Activity:
    roadmap = stage.roadmap
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    responsible = list(responsible)
    check_responsible(roadmap=roadmap, persons=responsible, by=by)
    activity = Activity(
        stage=stage,
        content=content,
        deadline_text=" ".join(deadline_text.split()),
        responsible_roles=responsible_roles,
        code=code,
        position=stage.activities.count() if position is None else position,
        number=number,
        substage_number=substage_number,
        substage_name=substage_name,
    )
    apply_deadline(activity, year=roadmap.year)
    activity.full_clean()
    activity.save()
    activity.responsible.set(responsible)
    _audit(
        by=by,
        obj=activity,
        roadmap=roadmap,
        action="roadmap.activity_added",
        message=_("Добавлено мероприятие «%(activity)s»")
        % {"activity": str(activity)[:80]},
    )
    return activity


def _locked_activity(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("stage__roadmap__organization", "stage__roadmap__district")
        .get(pk=activity.pk)
    )


@transaction.atomic
def edit_activity(
    *,
    by: User | None,
    activity: Activity,
    content: str,
    deadline_text: str = "",
    responsible: Iterable[Person] | None = None,
    responsible_roles: str = "",
    code: str = "",
    position: int | None = None,
    number: str | None = None,
    substage_number: str | None = None,
    substage_name: str | None = None,
) -> Activity:
    """Change what an activity says, its deadline and who answers for it; its
    status changes only through `set_activity_status`."""
    activity = _locked_activity(activity)
    roadmap = activity.stage.roadmap
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    fields = {
        "content": content,
        "deadline_text": " ".join(deadline_text.split()),
        "responsible_roles": responsible_roles,
        "code": code,
    }
    if position is not None:
        fields["position"] = position
    # The numbering and sub-stage come from an imported document; the
    # back office's form leaves them as they are.
    for name, value in (
        ("number", number),
        ("substage_number", substage_number),
        ("substage_name", substage_name),
    ):
        if value is not None:
            fields[name] = value
    changed = _apply(activity, fields)
    saved = list(changed)
    if "deadline_text" in changed:
        apply_deadline(activity, year=roadmap.year)
        saved += ["deadline_kind", "starts_on", "ends_on"]
    if saved:
        activity.full_clean(exclude=["stage"])
        activity.save(update_fields=saved)
    if responsible is not None:
        persons = list(responsible)
        check_responsible(roadmap=roadmap, persons=persons, by=by)
        was = sorted(activity.responsible.values_list("pk", flat=True))
        now = sorted(person.pk for person in persons)
        if was != now:
            activity.responsible.set(persons)
            changed["responsible"] = [was, now]
    if not changed:
        return activity
    _audit(
        by=by,
        obj=activity,
        roadmap=roadmap,
        action="roadmap.activity_edited",
        message=_("Мероприятие «%(activity)s» изменено: %(fields)s")
        % {"activity": str(activity)[:80], "fields": _field_names(Activity, changed)},
        data=changed,
    )
    return activity


@transaction.atomic
def remove_activity(*, by: User | None, activity: Activity) -> None:
    activity = _locked_activity(activity)
    roadmap = activity.stage.roadmap
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    _audit(
        by=by,
        obj=activity,
        roadmap=roadmap,
        action="roadmap.activity_removed",
        message=_("Удалено мероприятие «%(activity)s»")
        % {"activity": str(activity)[:80]},
    )
    activity.delete()


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
    """Mark an activity done (on `done_on`, today by default), in progress or
    planned again (reopened: the date of completion is cleared). Setting the
    status it has changes nothing and records nothing."""
    activity = _locked_activity(activity)
    roadmap = activity.stage.roadmap
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    if status not in Activity.Status.values:
        raise ValidationError(
            _("Неизвестный статус мероприятия: «%(status)s».") % {"status": status},
            code="bad_status",
        )
    was, was_done_on = activity.status, activity.done_on
    today = timezone.localdate()
    new_done_on = None
    if status == Activity.Status.DONE:
        # Marking done again keeps the day it was done, unless one is given.
        kept = was_done_on if was == Activity.Status.DONE else None
        new_done_on = done_on or kept or today
    if (status, new_done_on) == (was, was_done_on):
        return activity
    if new_done_on is not None and new_done_on > today:
        raise ValidationError(
            _("Дата выполнения %(date)s ещё не наступила.")
            % {"date": date_format(new_done_on, "SHORT_DATE_FORMAT")},
            code="done_in_future",
        )
    activity.status, activity.done_on = status, new_done_on
    activity.full_clean(exclude=["stage"])
    activity.save(update_fields=["status", "done_on"])
    _audit(
        by=by,
        obj=activity,
        roadmap=roadmap,
        action="roadmap.activity_status",
        message=_("Мероприятие «%(activity)s»: %(status)s")
        % {"activity": str(activity)[:80], "status": activity.get_status_display()},
        data={
            "from": was,
            "to": status,
            "done_on": [_jsonable(was_done_on), _jsonable(new_done_on)],
        },
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
    activity = _locked_activity(activity)
    roadmap = activity.stage.roadmap
    ensure_can_edit_roadmap(by=by, roadmap=roadmap)
    evidence = Evidence(activity=activity, title=title, url=url, added_by=by)
    if obj is not None:
        evidence.content_type = ContentType.objects.get_for_model(obj)
        evidence.object_id = obj.pk
    evidence.full_clean()
    evidence.save()
    _audit(
        by=by,
        obj=activity,
        roadmap=roadmap,
        action="roadmap.evidence_added",
        message=_("Мероприятие «%(activity)s»: добавлено подтверждение «%(title)s»")
        % {"activity": str(activity)[:80], "title": title[:100]},
        data={"evidence": evidence.pk, "url": url},
    )
    return evidence


def _locked_evidence(evidence: Evidence) -> Evidence:
    return (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("activity__stage__roadmap__organization")
        .get(pk=evidence.pk)
    )


@transaction.atomic
def edit_evidence(
    *, by: User | None, evidence: Evidence, title: str, url: str = ""
) -> Evidence:
    evidence = _locked_evidence(evidence)
    activity = evidence.activity
    ensure_can_edit_roadmap(by=by, roadmap=activity.stage.roadmap)
    changed = _apply(evidence, {"title": title, "url": url})
    if not changed:
        return evidence
    evidence.full_clean()
    evidence.save(update_fields=list(changed))
    _audit(
        by=by,
        obj=activity,
        roadmap=activity.stage.roadmap,
        action="roadmap.evidence_edited",
        message=_("Мероприятие «%(activity)s»: изменено подтверждение «%(title)s»")
        % {"activity": str(activity)[:80], "title": title[:100]},
        data={"evidence": evidence.pk, **changed},
    )
    return evidence


@transaction.atomic
def remove_evidence(*, by: User | None, evidence: Evidence) -> None:
    evidence = _locked_evidence(evidence)
    activity = evidence.activity
    ensure_can_edit_roadmap(by=by, roadmap=activity.stage.roadmap)
    _audit(
        by=by,
        obj=activity,
        roadmap=activity.stage.roadmap,
        action="roadmap.evidence_removed",
        message=_("Мероприятие «%(activity)s»: удалено подтверждение «%(title)s»")
        % {"activity": str(activity)[:80], "title": evidence.title[:100]},
        data={"evidence": evidence.pk, "url": evidence.url},
    )
    evidence.delete()


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
    ReminderLog.objects.bulk_create(
        ReminderLog(
            activity=a, person=person, threshold=thresholds[a.pk], deadline=a.ends_on
        )
        for a in activities
    )
    # Queued only when the log rows commit: a run that fails to write them
    # mails nothing, and the next run sends the reminder once.
    send_templated(name="roadmap_reminder", to=[person.email], context=context)
    return 1


# ---------------------------------------------------------------- import


@transaction.atomic
def import_roadmap(
    *,
    by: User | None,
    plan,
    year: int | None = None,
    organization: Organization | None = None,
    district: District | None = None,
) -> Roadmap:
    """Write an import's plan (`roadmap.importing.plan_import`): a new roadmap,
    or the changes to the one the plan was made for. All or nothing: a row
    the services refuse stops the import with its row number."""
    from .importing import ImportFailed, Problem

    def row_error(line, error):
        return ImportFailed(Problem(" ".join(error.messages), line))

    roadmap = plan.roadmap
    if roadmap is None:
        fields = dict(plan.roadmap_fields)
        fields.setdefault(
            "title", _("Дорожная карта реализации системы наставничества")
        )
        roadmap = create_roadmap(
            by=by, year=year, organization=organization, district=district, **fields
        )
    else:
        roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)
        ensure_can_edit_roadmap(by=by, roadmap=roadmap)
        if plan.roadmap_fields:
            roadmap = update_roadmap(by=by, roadmap=roadmap, **plan.roadmap_fields)
    for activity in plan.removed_activities:
        remove_activity(by=by, activity=activity)
    for stage in plan.removed_stages:
        remove_stage(by=by, stage=stage)
    for step in plan.stages:
        part = step.part
        try:
            if step.stage is None:
                stage = add_stage(
                    by=by,
                    roadmap=roadmap,
                    number=part.number,
                    name=part.name,
                    position=step.position,
                )
            elif step.changed:
                stage = edit_stage(
                    by=by,
                    stage=step.stage,
                    number=part.number,
                    name=part.name,
                    position=step.position,
                )
            else:
                stage = step.stage
        except ValidationError as error:
            raise row_error(part.line, error) from error
        stage.roadmap = roadmap
        for a in step.activities:
            item = a.item
            values = {
                "content": item.content,
                "deadline_text": item.deadline,
                "responsible": a.people,
                "responsible_roles": a.roles,
                "position": a.position,
                "number": item.number,
                "substage_number": item.substage_number,
                "substage_name": item.substage_name,
            }
            try:
                if a.activity is None:
                    add_activity(by=by, stage=stage, **values)
                elif a.changes:
                    # The code ties a template's activity to the order that
                    # closes it (form_pairs …); a file does not carry it.
                    edit_activity(
                        by=by, activity=a.activity, code=a.activity.code, **values
                    )
            except ValidationError as error:
                raise row_error(item.line, error) from error
    return roadmap
