"""The consent audit over the whole database (issue 10, item 2).

Nobody may be in a bank (working statuses), a pair that works, a planned
meeting or a signed order without a valid consent on that day. Reused by
every test that wants to prove a workflow keeps the rule.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from mentoring.models import (
    AuditEntry,
    Consent,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Order,
    Pair,
    Participation,
)
from mentoring.services import (
    WORKING_BANK_STATUSES,
    missing_consents,
    persons_named_by_order,
)

# Open pairs that work; a suspended one is the rule applied, not broken.
WORKING_PAIR_STATUSES = [s for s in Pair.OPEN_STATUSES if s != Pair.Status.SUSPENDED]


def consent_violations(on: datetime.date | None = None) -> list[str]:
    """One line per person and place that breaks the rule; empty when all hold."""
    day = on or timezone.localdate()
    found = []
    for model, bank in ((MentorProfile, "mentor bank"), (MenteeProfile, "mentee bank")):
        profiles = (
            model.objects.filter(status__in=WORKING_BANK_STATUSES)
            .select_related("person")
            .prefetch_related("person__consents")
        )
        for profile in profiles:
            if missing := missing_consents(person=profile.person, on=day):
                found.append(f"{bank}: {profile.person} lacks {missing}")
    participations = (
        Participation.objects.filter(pair__status__in=WORKING_PAIR_STATUSES)
        .select_related("person", "pair")
        .prefetch_related("person__consents")
    )
    for p in participations:
        as_mentor = p.role == Participation.Role.MENTOR
        if missing := missing_consents(person=p.person, as_mentor=as_mentor, on=day):
            found.append(f"pair {p.pair_id} ({p.pair.status}): {p.person} {missing}")
    meetings = Meeting.objects.filter(status=Meeting.Status.PLANNED).prefetch_related(
        "pair__participations__person__consents"
    )
    for meeting in meetings:
        # A meeting ahead is judged today: its day's consents are not known yet.
        meeting_day = min(timezone.localtime(meeting.starts_at).date(), day)
        for p in meeting.pair.participations.all():
            as_mentor = p.role == Participation.Role.MENTOR
            missing = missing_consents(
                person=p.person, as_mentor=as_mentor, on=meeting_day
            )
            if missing:
                found.append(f"planned meeting {meeting.pk}: {p.person} {missing}")
    for order in Order.objects.filter(status=Order.Status.SIGNED):
        for entry in persons_named_by_order(order=order):
            _as_at_signing(entry.person, order)
            missing = missing_consents(
                person=entry.person, as_mentor=entry.as_mentor, on=order.signed_on
            )
            if missing:
                found.append(
                    f"signed order {order.pk} ({order.signed_on}): {entry.person} "
                    f"{entry.places} {missing}"
                )
    return found


def _as_at_signing(person, order) -> None:
    """A consent withdrawn on the signing day, after the signature, held when the
    director signed: the audit trail tells the order of the two."""
    same_day = [c for c in person.consents.all() if c.withdrawn_on == order.signed_on]
    if not same_day or order.decided_at is None:
        return
    later = set(
        AuditEntry.objects.filter(
            action="consent.withdrawn",
            content_type=ContentType.objects.get_for_model(Consent),
            object_id__in=[c.pk for c in same_day],
            at__gt=order.decided_at,
        ).values_list("object_id", flat=True)
    )
    for consent in same_day:
        if consent.pk in later:
            consent.withdrawn_on = None  # in memory only, for this check
