"""Scoped reads of orders, each list in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from mentoring.models import Order, Organization, Pair, Person, Role, User
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
    return orders.select_related("organization", "submitted_by", "decided_by").annotate(
        pair_count=Count("pairs")
    )


def orders_awaiting_signature(*, user: User) -> QuerySet[Order]:
    return orders_for_list(
        Order.objects.visible_to(user).filter(status=Order.Status.ON_SIGNATURE)
    ).order_by("submitted_at", "pk")


def orders_decided(*, user: User) -> QuerySet[Order]:
    return orders_for_list(
        Order.objects.visible_to(user).filter(
            status__in=[Order.Status.SIGNED, Order.Status.RETURNED]
        )
    ).order_by("-decided_at", "-pk")


def pairs_with_documents(*, user: User) -> QuerySet[Pair]:
    """The user's pairs with their order and program, for the documents page."""
    return pairs_with_people(
        Pair.objects.visible_to(user).select_related("order", "program")
    ).order_by("status", "-pk")
