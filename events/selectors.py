"""Reads of events: lists, an event's page, the home panel. Each a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.models import MentorProfile, Role, User
from mentoring.services import WORKING_BANK_STATUSES

from .models import Event, Registration


def events_for_user(*, user: User, upcoming: bool = True):
    """The events the user sees, with how many of them are registered and
    how many of those the user sees (the school's own)."""
    today = timezone.localdate()
    events = Event.objects.visible_to(user).select_related("district")
    events = (
        events.filter(ends_on__gte=today)
        if upcoming
        else events.filter(ends_on__lt=today).order_by("-starts_on", "-pk")
    )
    own = Registration.objects.visible_to(user).values("pk")
    return events.annotate(
        registered=Count("registrations", distinct=True),
        registered_own=Count(
            "registrations", filter=Q(registrations__in=own), distinct=True
        ),
        attended=Count(
            "registrations", filter=Q(registrations__attended=True), distinct=True
        ),
    )


def registrations_of(*, event: Event, user: User):
    """The event's participants the user may see, with their school."""
    return (
        Registration.objects.visible_to(user)
        .filter(event=event)
        .select_related("mentor__person__organization", "registered_by")
    )


def mentors_to_register(*, event: Event, user: User):
    """The mentors the user may put down for the event: seen by the user, of
    the event's district, in the bank, not yet registered."""
    return (
        MentorProfile.objects.visible_to(user)
        .filter(
            person__organization__district_id=event.district_id,
            status__in=WORKING_BANK_STATUSES,
        )
        .exclude(event_registrations__event=event)
        .select_related("person__organization")
        .order_by(
            "person__organization__short_name",
            "person__last_name",
            "person__first_name",
        )
    )


def sheet_rows(*, event: Event):
    """Everyone registered, for the attendance sheet: the methodologist's."""
    return event.registrations.select_related("mentor__person__organization")


def home_panel(request) -> dict | None:
    user = request.user
    events = list(events_for_user(user=user)[:5])
    participant = user.role == Role.PARTICIPANT and not user.is_superuser
    if participant and not events:
        return None
    items = []
    for event in events:
        note = _("%(dates)s, %(place)s") % {"dates": event.dates, "place": event.place}
        if not participant and event.registered_own:
            note += ". " + _("Записано ваших: %(count)s") % {
                "count": event.registered_own
            }
        items.append(
            {
                "text": event.title,
                "url": reverse("events:detail", args=[event.pk]),
                "note": note,
            }
        )
    return {
        "title": _("Мероприятия района для наставников"),
        "items": items,
        "empty": _("Ближайших мероприятий нет."),
        "more_url": reverse("events:list"),
    }
