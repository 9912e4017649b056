"""Scoped reads of orders, each list in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from mentoring.models import (
    Order,
    OrderAcquaintance,
    OrderReward,
    Organization,
    Pair,
    Participation,
    Person,
    Role,
    User,
)
from mentoring.selectors import pairs_with_people


def organization_curator(*, organization: Organization) -> Person | None:
    """The card of the school's curator, named in orders and programs."""
    return (
        Person.objects.filter(
            organization=organization, user__role=Role.CURATOR, user__is_active=True
        )
        .order_by("pk")
        .first()
    )


def orders_for_list(orders: QuerySet[Order]) -> QuerySet[Order]:
    """With what `order_concerns` reads: a fixed number of queries a page."""
    return with_concerns(
        orders.select_related("organization", "submitted_by", "decided_by").annotate(
            pair_count=Count("pairs")
        )
    )


def with_concerns(orders: QuerySet[Order]) -> QuerySet[Order]:
    """With what `order_concerns` reads, and nothing else."""
    people = Participation.objects.select_related("person").order_by("pk")
    return orders.prefetch_related(
        Prefetch(
            "pairs",
            queryset=Pair.objects.order_by("pk").prefetch_related(
                Prefetch("participations", queryset=people)
            ),
        ),
        Prefetch(
            "rewards",
            queryset=OrderReward.objects.select_related("person").order_by("pk"),
        ),
        Prefetch(
            "acquaintances",
            queryset=OrderAcquaintance.objects.select_related("person").order_by("pk"),
        ),
    )


SHOWN = 2  # pairs or people named in a list; the rest are counted


def _named(names: list[str], sep: str) -> str:
    if len(names) <= SHOWN:
        return sep.join(names)
    rest = _("ещё %(n)s") % {"n": len(names) - SHOWN}
    return sep.join(names[:SHOWN]) + "; " + rest


def _pair_names(pair: Pair) -> str:
    roles = {Participation.Role.MENTOR: [], Participation.Role.MENTEE: []}
    for participation in pair.participations.all():
        roles.setdefault(participation.role, []).append(participation.person.short_name)
    mentors = ", ".join(roles[Participation.Role.MENTOR])
    mentees = ", ".join(roles[Participation.Role.MENTEE])
    return f"{mentors} — {mentees}"


def order_concerns(order: Order) -> str:
    """Whom the order concerns, short: «Иванова М.П. — Петров И.С.; ещё 3».

    Several orders share a title («О закреплении наставнических пар»); the
    pairs or people tell them apart. Reads what `orders_for_list` prefetched.
    """
    if order.kind == Order.Kind.PAIRS:
        return _named([_pair_names(pair) for pair in order.pairs.all()], "; ")
    rows = order.rewards.all() if order.kind == Order.Kind.REWARD else ()
    rows = rows or order.acquaintances.all()
    return _named([row.person.short_name for row in rows], ", ")


def listed_title(order: Order) -> str:
    """The title as lists show it: with whom it concerns."""
    concerns = order_concerns(order)
    return f"{order.title}: {concerns}" if concerns else order.title


def with_listed_titles(orders: Iterable[Order]) -> list[Order]:
    orders = list(orders)
    for order in orders:
        order.listed_title = listed_title(order)
    return orders


# The director's page is a tenth of the mixed load (issue 15): each list
# reads what its cards print, not the admin's joins and counts.


def orders_awaiting_signature(*, user: User) -> QuerySet[Order]:
    return with_concerns(
        Order.objects.visible_to(user)
        .filter(status=Order.Status.ON_SIGNATURE)
        .select_related("submitted_by")
        .annotate(pair_count=Count("pairs"))
    ).order_by("submitted_at", "pk")


def orders_decided(*, user: User) -> QuerySet[Order]:
    return with_concerns(
        Order.objects.visible_to(user).filter(
            status__in=[Order.Status.SIGNED, Order.Status.RETURNED]
        )
    ).order_by("-decided_at", "-pk")


def pairs_with_documents(*, user: User) -> QuerySet[Pair]:
    """The user's pairs with their order and program, for the documents page."""
    return pairs_with_people(
        Pair.objects.visible_to(user).select_related("order", "program")
    ).order_by("status", "-pk")
