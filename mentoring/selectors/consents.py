"""What the curator must do after a consent ends: decide on suspended pairs,
destroy personal data in time (152-ФЗ ст. 21 ч. 5)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from mentoring.models import (
    Consent,
    Order,
    OrderAcquaintance,
    OrderReward,
    Pair,
    Participation,
    Person,
    User,
)

from . import pairs_with_people, with_consent_state

DATA_CONSENT_KINDS = (Consent.Kind.PERSONAL_DATA, Consent.Kind.GUARDIAN)


def destruction_days() -> int:
    """Personal data are destroyed within 30 days of the withdrawal or the end
    of the purpose, unless another legal basis lets the operator keep them
    (152-ФЗ ст. 21 ч. 4-5); settings.PERSONAL_DATA_DESTRUCTION_DAYS."""
    return settings.PERSONAL_DATA_DESTRUCTION_DAYS


def suspended_pairs(*, user: User) -> QuerySet[Pair]:
    """Pairs waiting for the curator to end them or re-form them."""
    return pairs_with_people(
        Pair.objects.visible_to(user).filter(status=Pair.Status.SUSPENDED)
    ).order_by("status_changed_at", "pk")


@dataclass
class ToDestroy:
    person: Person
    ended_on: datetime.date
    withdrawn: bool  # else expired
    destroy_by: datetime.date
    overdue: bool
    # Signed orders naming the person: kept under the archive law's terms,
    # the legal basis that survives the consent.
    kept_in: list[Order] = field(default_factory=list)


def _ended_on(consent: Consent, day: datetime.date) -> datetime.date | None:
    if consent.withdrawn_on is not None and consent.withdrawn_on <= day:
        return consent.withdrawn_on
    if consent.valid_until is not None and consent.valid_until < day:
        return consent.valid_until + datetime.timedelta(days=1)
    return None


def persons_to_destroy(
    *, user: User | None, on: datetime.date | None = None
) -> list[ToDestroy]:
    """People whose data consent has ended, and the day their data must be gone.

    `user=None` is the system's daily pass: every organization. People whose
    data are already destroyed are not listed.
    """
    day = on or timezone.localdate()
    days = destruction_days()
    people = Person.objects.all() if user is None else Person.objects.visible_to(user)
    people = (
        with_consent_state(people.filter(anonymised_at__isnull=True), day)
        .filter(has_valid_consent=False)
        .filter(
            Q(consents__kind__in=DATA_CONSENT_KINDS)
            & (Q(consents__withdrawn_on__lte=day) | Q(consents__valid_until__lt=day))
        )
        .distinct()
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "consents",
                queryset=Consent.objects.filter(kind__in=DATA_CONSENT_KINDS),
                to_attr="data_consents",
            )
        )
    )
    rows = []
    for person in people:
        ended = [
            (end, c.withdrawn_on is not None and c.withdrawn_on <= day)
            for c in person.data_consents
            if (end := _ended_on(c, day)) is not None
        ]
        if not ended:
            continue
        ended_on, withdrawn = max(ended)
        destroy_by = ended_on + datetime.timedelta(days=days)
        rows.append(
            ToDestroy(
                person=person,
                ended_on=ended_on,
                withdrawn=withdrawn,
                destroy_by=destroy_by,
                # Kept on another legal basis for now: late only once it ends.
                overdue=destroy_by < day
                and not (person.retain_until and person.retain_until >= day),
            )
        )
    _attach_signed_orders(rows)
    rows.sort(key=lambda r: (r.destroy_by, r.person.last_name, r.person.first_name))
    return rows


def _attach_signed_orders(rows: list[ToDestroy]) -> None:
    by_person = {row.person.pk: row for row in rows}
    signed = Order.objects.filter(status=Order.Status.SIGNED)
    links = [
        Participation.objects.filter(
            person_id__in=by_person, pair__order__in=signed
        ).values_list("person_id", "pair__order_id"),
        OrderReward.objects.filter(
            person_id__in=by_person, order__in=signed
        ).values_list("person_id", "order_id"),
        OrderAcquaintance.objects.filter(
            person_id__in=by_person, order__in=signed
        ).values_list("person_id", "order_id"),
    ]
    pairs = {pair for rows_ in links for pair in rows_}
    orders = Order.objects.in_bulk({order_id for _, order_id in pairs})
    for person_id, order_id in sorted(pairs, key=lambda p: p[1]):
        row = by_person[person_id]
        if orders[order_id] not in row.kept_in:
            row.kept_in.append(orders[order_id])
