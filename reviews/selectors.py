"""Reads of reviews, scoped to who asks, with what their pages show."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import User
from roadmap.models import Activity

from .models import Review

PANEL_SIZE = 5


def reviews_for_user(*, user: User) -> QuerySet[Review]:
    """What the user sees, pending first, then the newest."""
    return (
        Review.objects.visible_to(user)
        .select_related("organization", "roadmap", "submitted_by", "decided_by")
        .alias(
            decided=Case(
                When(status=Review.Status.PENDING, then=Value(0)), default=Value(1)
            )
        )
        .order_by("decided", "-submitted_at", "-pk")
    )


def review_history(*, review: Review) -> list[Review]:
    """Every sending of the same kind of document by the same school, the
    oldest first, this one included."""
    return list(
        Review.objects.filter(
            organization_id=review.organization_id, subject=review.subject
        )
        .select_related("roadmap", "submitted_by", "decided_by")
        .order_by("submitted_at", "pk")
    )


def closed_activities(*, review: Review) -> list[Activity]:
    """The roadmap activities the review's approval proved done."""
    return list(
        Activity.objects.filter(
            evidence__content_type=ContentType.objects.get_for_model(Review),
            evidence__object_id=review.pk,
        ).select_related("stage__roadmap")
    )


def awaiting_decision_panel(request) -> dict:
    """The methodologist's home: the schools' documents waiting for her."""
    pending = (
        Review.objects.visible_to(request.user)
        .pending()
        .select_related("organization")
        .order_by("submitted_at", "pk")
    )
    items = [
        {
            "text": _("%(school)s: %(subject)s")
            % {
                "school": review.organization.short_name,
                "subject": review.get_subject_display().lower(),
            },
            "url": reverse("reviews:detail", args=[review.pk]),
            "note": _("направлено %(day)s")
            % {"day": short_date(timezone.localtime(review.submitted_at).date())},
        }
        for review in pending[: PANEL_SIZE + 1]
    ]
    return {
        "title": _("Экспертиза: ждут решения"),
        "items": items[:PANEL_SIZE],
        "empty": _("Документов на экспертизе нет."),
        "more_url": reverse("reviews:list") if len(items) > PANEL_SIZE else "",
    }


def school_reviews_panel(request) -> dict | None:
    """The school's home: its documents under review or returned to it (the
    latest sending of each kind); nothing when all are approved or none sent."""
    latest = {}
    for review in (
        Review.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("subject", "-submitted_at", "-pk")
        .distinct("subject")
    ):
        latest[review.subject] = review
    items = [
        {
            "text": review.get_subject_display(),
            "url": reverse("reviews:detail", args=[review.pk]),
            "note": review.get_status_display(),
        }
        for review in latest.values()
        if review.status != Review.Status.APPROVED
    ]
    if not items:
        return None
    return {
        "title": _("Экспертиза программ"),
        "items": items,
        "empty": "",
        "more_url": reverse("reviews:list"),
    }
