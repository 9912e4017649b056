"""Reads for the matching pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from mentoring.models import (
    MatchingRun,
    MentoringForm,
    Pair,
    Suggestion,
    UnmatchedMentee,
    User,
)
from mentoring.selectors import mentees_without_pair


def runs_for_user(*, user: User) -> QuerySet[MatchingRun]:
    return (
        MatchingRun.objects.visible_to(user)
        .select_related("created_by", "organization")
        .prefetch_related("forms")
        .order_by("-created_at", "-pk")
    )


def run_suggestions(*, run: MatchingRun) -> QuerySet[Suggestion]:
    return run.suggestions.select_related("mentor", "mentee", "form", "pair").order_by(
        "mentor__last_name", "mentor__first_name", "mentor_id", "-score"
    )


def run_unmatched(*, run: MatchingRun) -> QuerySet[UnmatchedMentee]:
    return run.unmatched.select_related("mentee").order_by(
        "mentee__last_name", "mentee__first_name"
    )


def forms_wanted_by_unpaired(*, user: User) -> QuerySet[MentoringForm]:
    """The forms mentees still waiting for a mentor asked for: a run's default."""
    waiting = mentees_without_pair(user=user).values("pk")
    return MentoringForm.objects.filter(
        is_active=True, mentee_profiles__in=waiting
    ).distinct()


def run_pairs_without_order(*, run: MatchingRun) -> QuerySet[Pair]:
    """The draft pairs a run produced that no order assigns yet."""
    return Pair.objects.filter(
        pk__in=run.suggestions.exclude(pair=None).values("pair"),
        status=Pair.Status.DRAFT,
        order__isnull=True,
    ).order_by("pk")
