"""What changes an event: creating it, putting mentors down, marking who came.

Attendance writes the mentor's training record through the core's service
(`mentoring.services.record_training`), once per registration: the
registration keeps the line it wrote, so marking twice writes nothing more
and unmarking removes exactly that line.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.models import District, MentorProfile, Role, User
from mentoring.services import (
    WORKING_BANK_STATUSES,
    ensure_may_record_about,
    record_change,
    record_training,
    remove_training,
)

from .models import Event, Registration

EVENT_FIELDS = ("kind", "title", "starts_on", "ends_on", "time", "place")
EVENT_FIELDS += ("programme", "hours")


def can_manage_event(*, user: User, event: Event) -> bool:
    """The district's methodologist keeps its events (the superuser any)."""
    if user.is_superuser:
        return True
    return user.role == Role.METHODOLOGIST and user.district_id == event.district_id


def ensure_manages(*, by: User | None, event: Event) -> None:
    if by is None or can_manage_event(user=by, event=event):
        return
    raise ValidationError(
        _("Мероприятиями района «%(district)s» занимается его методист.")
        % {"district": event.district.name},
        code="forbidden",
    )


def can_register(*, user: User, mentor: MentorProfile, event: Event) -> bool:
    """The mentor's curator or head, or the event's methodologist."""
    if can_manage_event(user=user, event=event):
        return True
    return (
        user.role in (Role.CURATOR, Role.DIRECTOR)
        and user.organization_id == mentor.person.organization_id
    )


@transaction.atomic
def save_event(
    *, by: User | None, event: Event | None = None, district: District, **fields
) -> Event:
    """Create an event of the district, or change one."""
    created = event is None
    event = event or Event(district=district, created_by=by)
    ensure_manages(by=by, event=event)
    for name, value in fields.items():
        if name not in EVENT_FIELDS:
            raise TypeError(name)
        setattr(event, name, value)
    event.full_clean()
    event.save()
    record_change(
        actor=by,
        obj=event,
        action="event.created" if created else "event.changed",
        message=(
            _("Создано мероприятие: %(event)s")
            if created
            else _("Изменено мероприятие: %(event)s")
        )
        % {"event": event},
    )
    return event


@transaction.atomic
def register_mentor(
    *, event: Event, mentor: MentorProfile, by: User | None
) -> Registration:
    """Put a mentor of one of the district's schools down for the event."""
    # Locked: two curators registering the same mentor at once queue here,
    # and the second finds the first's registration.
    event = (
        Event.objects.select_for_update().select_related("district").get(pk=event.pk)
    )
    mentor = MentorProfile.objects.select_related("person__organization").get(
        pk=mentor.pk
    )
    person = mentor.person
    if by is not None and not can_register(user=by, mentor=mentor, event=event):
        raise ValidationError(
            _("Нет прав записывать наставников «%(org)s».")
            % {"org": person.organization.short_name},
            code="forbidden",
        )
    if person.organization.district_id != event.district_id:
        raise ValidationError(
            _("%(name)s работает не в районе «%(district)s».")
            % {"name": person.full_name, "district": event.district.name},
            code="other_district",
        )
    # The methodologist adds a walk-in after the event to mark them present;
    # the schools register beforehand.
    late = by is not None and not can_manage_event(user=by, event=event)
    if late and event.ends_on < timezone.localdate():
        raise ValidationError(
            _(
                "Мероприятие уже прошло: записываться на него поздно. Пришедшего "
                "без записи добавляет методист."
            ),
            code="past",
        )
    if mentor.status not in WORKING_BANK_STATUSES:
        raise ValidationError(
            _("%(name)s не в банке наставников (%(status)s).")
            % {"name": person.full_name, "status": mentor.get_status_display()},
            code="not_in_bank",
        )
    if Registration.objects.filter(event=event, mentor=mentor).exists():
        raise ValidationError(
            _("%(name)s уже записан(а) на это мероприятие.")
            % {"name": person.full_name},
            code="registered",
        )
    # A registration is a record about the person: it needs a valid consent.
    ensure_may_record_about(persons=[person])
    registration = Registration.objects.create(
        event=event, mentor=mentor, registered_by=by
    )
    record_change(
        actor=by,
        obj=registration,
        action="event.registered",
        message=_("%(name)s записан(а) на мероприятие «%(event)s»")
        % {"name": person.full_name, "event": event.title},
        organization=person.organization,
    )
    return registration


@transaction.atomic
def unregister_mentor(*, registration: Registration, by: User | None) -> None:
    """Take a mentor off the list (not after their attendance was marked)."""
    registration = (
        Registration.objects.select_for_update()
        .select_related("event", "mentor__person__organization")
        .get(pk=registration.pk)
    )
    mentor, event = registration.mentor, registration.event
    if by is not None and not can_register(user=by, mentor=mentor, event=event):
        raise ValidationError(_("Нет прав снимать эту запись."), code="forbidden")
    if registration.attended:
        raise ValidationError(
            _(
                "%(name)s отмечен(а) как присутствовавший(ая): запись снимает "
                "только методист, сняв отметку."
            )
            % {"name": mentor.person.full_name},
            code="attended",
        )
    record_change(
        actor=by,
        obj=registration,
        action="event.unregistered",
        message=_("%(name)s снят(а) с мероприятия «%(event)s»")
        % {"name": mentor.person.full_name, "event": event.title},
        organization=mentor.person.organization,
    )
    registration.delete()


@transaction.atomic
def mark_attendance(
    *, event: Event, present: Iterable[int], by: User | None
) -> tuple[int, int]:
    """Set who came (registration ids in `present`; the others did not).

    A newly present mentor gets a line in the training record, a newly absent
    one loses the line this event wrote; the rest stay as they were. Returns
    how many were marked and unmarked.
    """
    event = (
        Event.objects.select_for_update().select_related("district").get(pk=event.pk)
    )
    ensure_manages(by=by, event=event)
    today = timezone.localdate()
    if event.starts_on > today:
        raise ValidationError(
            _("Мероприятие ещё не началось: присутствие отмечается с %(day)s.")
            % {"day": date_format(event.starts_on, "SHORT_DATE_FORMAT")},
            code="not_started",
        )
    present = set(present)
    registrations = list(
        event.registrations.select_for_update(of=("self",))
        .select_related("mentor__person__organization", "training")
        .prefetch_related("mentor__person__consents")
    )
    unknown = present - {r.pk for r in registrations}
    if unknown:
        raise ValidationError(
            _("Отмечены не записанные на мероприятие участники."), code="unknown"
        )
    marked = unmarked = 0
    for registration in registrations:
        person = registration.mentor.person
        if registration.pk in present and not registration.attended:
            # A new line about the person: not once their consent has ended.
            ensure_may_record_about(persons=[person], on=today)
            registration.training = record_training(
                mentor=registration.mentor,
                kind=event.kind,
                programme=_("%(title)s (%(district)s, %(dates)s)")
                % {
                    "title": event.title,
                    "district": event.district.name,
                    "dates": event.dates,
                },
                completed_on=event.ends_on,
                hours=event.hours,
                by=by,
            )
            registration.attended = True
            action, marked = "event.attended", marked + 1
            message = _("%(name)s присутствовал(а) на мероприятии «%(event)s»")
        elif registration.pk not in present and registration.attended:
            if registration.training is not None:
                remove_training(training=registration.training, by=by)
            registration.training = None
            registration.attended = False
            action, unmarked = "event.attendance_removed", unmarked + 1
            message = _("Снята отметка о присутствии: %(name)s, «%(event)s»")
        else:
            continue
        registration.marked_by, registration.marked_at = by, timezone.now()
        registration.save(
            update_fields=["attended", "training", "marked_by", "marked_at"]
        )
        record_change(
            actor=by,
            obj=registration,
            action=action,
            message=message % {"name": person.full_name, "event": event.title},
            organization=person.organization,
        )
    return marked, unmarked
