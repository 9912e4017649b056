"""A school with some of everything a home page counts, for the home tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mentoring.models import Meeting, Pair, Participation
from tests.factories import (
    ActivityFactory,
    MeetingFactory,
    MenteeProfileFactory,
    OrderFactory,
    PairFactory,
    PersonFactory,
    UserFactory,
)

ROLES = ("curator", "director", "psychologist", "methodologist", "mentor", "mentee")


def fill_school(organization, n: int) -> None:
    """n of each: people without consent, pairs by status, orders awaiting
    signature and returned, unpaired mentees, meetings without feedback, and
    roadmap activities of the psychologist's, overdue and coming."""
    today = timezone.localdate()
    PersonFactory.create_batch(n, organization=organization)
    for status in (Pair.Status.DRAFT, Pair.Status.ACTIVE, Pair.Status.SUSPENDED):
        PairFactory.create_batch(n, organization=organization, status=status)
    OrderFactory.create_batch(n, organization=organization, on_signature=True)
    OrderFactory.create_batch(n, organization=organization, returned=True)
    MenteeProfileFactory.create_batch(n, person__organization=organization)
    MeetingFactory.create_batch(n, pair__organization=organization)
    for days in range(n):
        for offset in (-days - 1, days + 1):
            ActivityFactory(
                stage__roadmap__organization=organization,
                responsible_roles="педагог-психолог",
                deadline_text="",
                starts_on=None,
                ends_on=today + datetime.timedelta(days=offset),
            )


def staff_user(role: str, organization):
    if role == "methodologist":
        return UserFactory(methodologist=True, district=organization.district)
    return UserFactory(**{role: True}, organization=organization)


def participant_pair(role: str, organization):
    """A participant (`mentor` or `mentee`) with an account, in an active pair."""
    user = UserFactory()
    person = PersonFactory(organization=organization, consented=True, user=user)
    pair = PairFactory(organization=organization, active=True)
    Participation.objects.create(pair=pair, person=person, role=role)
    return user, pair


def meetings_of(pair, n: int) -> None:
    """n held meetings without feedback and n planned within the week."""
    now = timezone.now()
    for days in range(n):
        MeetingFactory(pair=pair, starts_at=now - datetime.timedelta(days=days + 1))
        MeetingFactory(
            pair=pair,
            status=Meeting.Status.PLANNED,
            starts_at=now + datetime.timedelta(days=days % 6 + 1),
        )
