"""Scoped reads: every list fetches its rows in a fixed number of queries."""

from __future__ import annotations

import datetime
import functools

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, IsNull, LessThanOrEqual
from django.utils import timezone

from mentoring.models import (
    AGE_OF_MAJORITY,
    BankStatus,
    Consent,
    MatchingRun,
    MenteeProfile,
    MentorProfile,
    MentorTraining,
    Order,
    Pair,
    Participation,
    Person,
    PersonDocument,
    Program,
    ProgramItem,
    UnmatchedMentee,
    User,
)


def majority_cutoff(day: datetime.date) -> datetime.date:
    """People born after this day are minors on `day`."""
    try:
        return day.replace(year=day.year - AGE_OF_MAJORITY)
    except ValueError:  # 29 February
        return day.replace(year=day.year - AGE_OF_MAJORITY, day=28)


def _holds_consent(
    adult_kind: str, minor_kind: str, day: datetime.date | None, via: str
) -> Q:
    day = day or timezone.localdate()
    born = OuterRef(f"{via}__birth_date" if via else "birth_date")
    cutoff = majority_cutoff(day)
    # An unknown birth date counts as an adult's, as before.
    adult = Q(LessThanOrEqual(born, cutoff)) | Q(IsNull(born, True))
    # One EXISTS whose kind follows the person's age, probed per person
    # through the (person, kind) index. Its condition mixes the outer row into
    # an OR, so PostgreSQL cannot turn it into a hashed subplan, which reads
    # the consents of every school to answer for one (issue 15, item 6).
    return Q(
        Exists(
            Consent.objects.valid_on(day).filter(
                Q(kind=adult_kind) & adult
                | Q(kind=minor_kind) & Q(GreaterThan(born, cutoff)),
                person=OuterRef(f"{via}_id" if via else "pk"),
            )
        )
    )


def has_valid_data_consent(day: datetime.date | None = None, *, via: str = "") -> Q:
    """SQL condition: the person's personal-data consent holds on the day.

    An adult needs their own; a minor needs the legal representative's. `via`
    names the foreign key to Person when the query is on another model.
    """
    return _holds_consent(Consent.Kind.PERSONAL_DATA, Consent.Kind.GUARDIAN, day, via)


def has_valid_transfer_consent(day: datetime.date | None = None, *, via: str = "") -> Q:
    """SQL condition: the person's data may go to third parties on the day
    (the separate consent to transfer, 156-ФЗ); as `has_valid_data_consent`."""
    return _holds_consent(
        Consent.Kind.TRANSFER, Consent.Kind.GUARDIAN_TRANSFER, day, via
    )


def with_consent_state(
    qs: QuerySet, day: datetime.date | None = None, *, via: str = ""
):
    return qs.annotate(has_valid_consent=has_valid_data_consent(day, via=via))


def open_pairs_as(role: str, *, person_ref: str = "person_id") -> QuerySet:
    return Participation.objects.filter(
        person_id=OuterRef(person_ref), role=role, pair__status__in=Pair.OPEN_STATUSES
    )


def mentor_profiles_for_list(profiles: QuerySet[MentorProfile]) -> QuerySet:
    """Mentors with their current load (distinct mentees in open pairs) and training."""
    load = (
        Participation.objects.filter(
            role=Participation.Role.MENTEE,
            pair__status__in=Pair.OPEN_STATUSES,
            pair__participations__role=Participation.Role.MENTOR,
            pair__participations__person_id=OuterRef("person_id"),
        )
        .order_by()
        .values("pair__participations__person_id")
        .annotate(n=Count("person_id", distinct=True))
        .values("n")
    )
    return with_consent_state(
        profiles.select_related("person").prefetch_related("forms"), via="person"
    ).annotate(
        load=Coalesce(Subquery(load), 0),
        is_trained=Exists(MentorTraining.objects.filter(mentor=OuterRef("pk"))),
    )


def mentee_profiles_for_list(profiles: QuerySet[MenteeProfile], *, user: User):
    return with_consent_state(profiles.select_related("person"), via="person").annotate(
        in_pair=Exists(_open_pairs_seen_as(Participation.Role.MENTEE, user=user))
    )


def _open_pairs_seen_as(role: str, *, user: User) -> QuerySet[Participation]:
    """`open_pairs_as` among the pairs the user sees (their school's).

    PostgreSQL answers a list's «in a pair» check by hashing the open
    participations once; limited to the user's pairs, that hash reads the
    school's rows, not the district's (issue 15). A person's pairs are their
    own school's (services/pairs.py), so the answer is the same.
    """
    return open_pairs_as(role).filter(pair__in=Pair.objects.visible_to(user))


def pairs_for_list(pairs: QuerySet[Pair]) -> QuerySet[Pair]:
    # Counted per listed pair through the pair_id index: a join and GROUP BY
    # over the participations made PostgreSQL hash every school's
    # participations for one school's page (issue 15).
    return pairs_with_people(pairs).annotate(
        mentee_count=_participants(Participation.Role.MENTEE),
        mentor_count=_participants(Participation.Role.MENTOR),
    )


# Built once per role: each query resolves its own copy of the expression,
# and building it (a queryset of five steps) cost 0.2 ms a list page.
@functools.cache
def _participants(role: str) -> Coalesce:
    count = (
        Participation.objects.filter(pair_id=OuterRef("pk"), role=role)
        .order_by()
        .values("pair_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count), 0)


def pairs_with_people(pairs: QuerySet[Pair]) -> QuerySet[Pair]:
    """Pairs with their form and participants, in three queries for any number."""
    return pairs.select_related("form", "organization").prefetch_related(
        Prefetch(
            "participations",
            # Mentors first («mentor» sorts after «mentee»), then by name.
            queryset=Participation.objects.select_related("person").order_by(
                "-role", "person__last_name", "person__first_name"
            ),
        )
    )


def pairs_for_user(*, user: User) -> QuerySet[Pair]:
    return pairs_with_people(Pair.objects.visible_to(user)).order_by("status", "-pk")


def mentees_without_pair(*, user: User) -> QuerySet[MenteeProfile]:
    """Mentees in the bank with no open pair: they need support (seed stage 5.3).

    Only those whose consent holds: after a withdrawal their data may not be
    processed, so they are not anyone's work list.
    """
    return (
        MenteeProfile.objects.visible_to(user)
        .filter(status=BankStatus.IN_BANK)
        .filter(has_valid_data_consent(via="person"))
        .exclude(Exists(_open_pairs_seen_as(Participation.Role.MENTEE, user=user)))
        .annotate(matching_reason=last_matching_reason())
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def last_matching_reason() -> Subquery:
    """Why the organization's latest matching run left the mentee unmatched."""
    latest_run = (
        MatchingRun.objects.filter(
            organization_id=OuterRef(OuterRef("person__organization_id"))
        )
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return Subquery(
        UnmatchedMentee.objects.filter(
            mentee_id=OuterRef("person_id"), run_id=Subquery(latest_run)
        ).values("reason")[:1]
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
    orders = Order.objects.visible_to(user).aggregate(
        **{
            status: Count("pk", filter=Q(status=status))
            for status in (Order.Status.ON_SIGNATURE, Order.Status.RETURNED)
        }
    )
    return {
        "pairs": pairs,
        "pair_statuses": [(s, pairs[s.value]) for s in Pair.Status],
        "persons": persons,
        "orders": orders,
    }


def documents_to_renew(
    *, user: User, on: datetime.date | None = None, days: int = 30
) -> QuerySet[PersonDocument]:
    """Documents of people at work (an open pair, a bank) that have expired or
    end within `days` days: the curator asks for new ones in time."""
    day = on or timezone.localdate()
    working = (BankStatus.CANDIDATE, BankStatus.IN_BANK)
    at_work = (
        Exists(
            Participation.objects.filter(
                person_id=OuterRef("person_id"), pair__status__in=Pair.OPEN_STATUSES
            )
        )
        | Q(person__mentor_profile__status__in=working)
        | Q(person__mentee_profile__status__in=working)
    )
    return (
        PersonDocument.objects.visible_to(user)
        .current()
        .filter(valid_until__lte=day + datetime.timedelta(days=days))
        .filter(at_work)
        .annotate(
            is_expired=ExpressionWrapper(
                Q(valid_until__lt=day), output_field=BooleanField()
            )
        )
        .select_related("person")
        .order_by("valid_until", "person__last_name", "person__first_name")
    )


def programs_for_list(programs: QuerySet[Program]) -> QuerySet[Program]:
    today = timezone.localdate()
    done = Q(items__status=ProgramItem.Status.DONE)
    overdue = Q(items__status=ProgramItem.Status.PLANNED, items__due_on__lt=today)
    return programs.select_related("pair__form").annotate(
        total_items=Count("items"),
        done_items=Count("items", filter=done),
        overdue_items=Count("items", filter=overdue),
    )


def suspended_pairs_of(*, person_ids) -> dict[Person, list[int]]:
    """The suspended pairs each person is in, for the report after a withdrawal."""
    rows = (
        Participation.objects.filter(
            person_id__in=person_ids, pair__status=Pair.Status.SUSPENDED
        )
        .select_related("person")
        .order_by("person__last_name", "pair_id")
    )
    found: dict[Person, list[int]] = {}
    for row in rows:
        found.setdefault(row.person, []).append(row.pair_id)
    return found
