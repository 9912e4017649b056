"""E-mail reminders about the feedback mentors owe after their meetings."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef
from django.utils import timezone

from mentoring.links import absolute_url
from mentoring.mail import send_templated
from mentoring.models import Meeting, Participation, Person

from .models import FeedbackReminder
from .selectors import feedback_given_by, meetings_due

# Days after a meeting at which its missing feedback is reminded of, once each.
THRESHOLDS = (1, 3, 7)
# Older meetings are the curator's business, not the mailbox's.
GIVE_UP_AFTER_DAYS = 30


def _threshold(*, starts_at: datetime.datetime, now: datetime.datetime) -> int | None:
    passed = [t for t in THRESHOLDS if starts_at <= now - datetime.timedelta(days=t)]
    return max(passed) if passed else None


def send_feedback_reminders(*, now: datetime.datetime | None = None) -> int:
    """Mail each mentor the meetings whose feedback is overdue; returns mails sent.

    A meeting is reminded of once per threshold (the log's unique constraint),
    so running the command twice, or on two servers, sends nothing twice.
    """
    now = now or timezone.now()
    rows = (
        meetings_due(Meeting.objects.all())
        .filter(
            starts_at__lte=now - datetime.timedelta(days=min(THRESHOLDS)),
            starts_at__gt=now - datetime.timedelta(days=GIVE_UP_AFTER_DAYS),
            pair__participations__role=Participation.Role.MENTOR,
        )
        .annotate(mentor_id=F("pair__participations__person_id"))
        .filter(~feedback_given_by(OuterRef("mentor_id")))
        .select_related("pair__form")
        .order_by("mentor_id", "starts_at")
    )
    by_mentor: dict[int, list[tuple[Meeting, int]]] = {}
    for meeting in rows:
        threshold = _threshold(starts_at=meeting.starts_at, now=now)
        by_mentor.setdefault(meeting.mentor_id, []).append((meeting, threshold))
    sent = 0
    for mentor_id, meetings in by_mentor.items():
        sent += _remind(mentor_id=mentor_id, meetings=meetings, now=now)
    return sent


def _remind(*, mentor_id: int, meetings: list[tuple[Meeting, int]], now) -> int:
    person = Person.objects.select_related("user").get(pk=mentor_id)
    email = person.email or (person.user.email if person.user else "")
    if not email:
        return 0
    fresh = []
    with transaction.atomic():
        for meeting, threshold in meetings:
            try:
                with transaction.atomic():
                    FeedbackReminder.objects.create(
                        meeting=meeting,
                        person=person,
                        after_days=threshold,
                        sent_at=now,
                    )
            except IntegrityError:
                continue  # already reminded at this threshold
            fresh.append(meeting)
        if not fresh:
            return 0
        send_templated(
            name="feedback_reminder",
            to=[email],
            context={
                "person": person,
                "meetings": fresh,
                "url": absolute_url("surveys:dashboard"),
            },
        )
    return 1
