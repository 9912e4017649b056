"""What the curator must do after a consent ends: decide on suspended pairs."""

from __future__ import annotations

from django.db.models import QuerySet

from mentoring.models import (
    Pair,
    User,
)

from . import pairs_with_people


def suspended_pairs(*, user: User) -> QuerySet[Pair]:
    """Pairs waiting for the curator to end them or re-form them."""
    return pairs_with_people(
        Pair.objects.visible_to(user).filter(status=Pair.Status.SUSPENDED)
    ).order_by("status_changed_at", "pk")
