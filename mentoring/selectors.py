"""Scoped reads: every list fetches its rows in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    AGE_OF_MAJORITY,
    BankStatus,
    Consent,
    MenteeProfile,
    Pair,
    Participation,
    Person,
    User,
)


def majority_cutoff(day: datetime.date) -> datetime.date:
    """People born after this day are minors on `day`."""
    try:
        return day.replace(year=day.year - AGE_OF_MAJORITY)
    except ValueError:  # 29 February
        return day.replace(year=day.year - AGE_OF_MAJORITY, day=28)


def has_valid_data_consent(day: datetime.date | None = None) -> Q:
    """SQL condition: the person's personal-data consent holds on the day.

    An adult needs their own; a minor needs the legal representative's.
    """
    day = day or timezone.localdate()
    valid = Consent.objects.valid(day).filter(person=OuterRef("pk"))
    adult_ok = Exists(valid.filter(kind=Consent.Kind.PERSONAL_DATA))
    minor_ok = Exists(valid.filter(kind=Consent.Kind.GUARDIAN))
    minor = Q(birth_date__gt=majority_cutoff(day))
    return (~minor & adult_ok) | (minor & minor_ok)


def with_consent_state(persons: QuerySet[Person], day: datetime.date | None = None):
    return persons.annotate(has_valid_consent=has_valid_data_consent(day))


def pairs_with_people(pairs: QuerySet[Pair]) -> QuerySet[Pair]:
    """Pairs with their form and participants, in three queries for any number."""
    return pairs.select_related("form", "organization").prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("person").order_by(
                "role", "person__last_name", "person__first_name"
            ),
        )
    )


def pairs_for_user(*, user: User) -> QuerySet[Pair]:
    return pairs_with_people(Pair.objects.visible_to(user)).order_by("status", "-pk")


def mentees_without_pair(*, user: User) -> QuerySet[MenteeProfile]:
    """Mentees in the bank with no open pair: they need support (seed stage 5.3)."""
    in_open_pair = Participation.objects.filter(
        person_id=OuterRef("person_id"),
        role=Participation.Role.MENTEE,
        pair__status__in=Pair.OPEN_STATUSES,
    )
    return (
        MenteeProfile.objects.visible_to(user)
        .filter(status=BankStatus.IN_BANK)
        .exclude(Exists(in_open_pair))
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def dashboard_counts(*, user: User) -> dict:
    pairs = Pair.objects.visible_to(user).aggregate(
        total=Count("pk"),
        **{
            status: Count("pk", filter=Q(status=status))
            for status in Pair.Status.values
        },
    )
    persons = with_consent_state(Person.objects.visible_to(user)).aggregate(
        total=Count("pk"),
        without_consent=Count("pk", filter=Q(has_valid_consent=False)),
    )
    return {
        "pairs": pairs,
        "pair_statuses": [(s.label, pairs[s.value]) for s in Pair.Status],
        "persons": persons,
    }
