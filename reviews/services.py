"""The review's moves: a school sends a document, the district decides.

Each service checks who acts, runs in one transaction, leaves an audit entry,
mails the other side after commit, and raises `ValidationError` with a
Russian message.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.links import absolute_url
from mentoring.mail import send_templated
from mentoring.models import Organization, Role, User
from mentoring.services import ensure_acts_for, record_change
from roadmap.models import Roadmap
from roadmap.services import close_activities_with_evidence

from .models import Review

# Which activities of the school's roadmap an approval proves done (the codes
# the roadmap templates give them): the roadmap is adopted with the acts of
# stage 1; the program is the template of personalized programs (teachers'
# roadmap) or the choice of forms and programs (students', Р-145).
ACTIVITIES_OF_SUBJECT = {
    Review.Subject.ROADMAP: ("adopt_acts",),
    Review.Subject.PROGRAM: ("program_template", "choose_forms"),
}


def can_decide(*, user: User | None, review: Review) -> bool:
    try:
        ensure_can_decide(by=user, review=review)
    except ValidationError:
        return False
    return True


def ensure_can_decide(*, by: User | None, review: Review) -> None:
    """Only the methodologist of the school's own district decides."""
    if by is not None and by.is_superuser:
        return
    if (
        by is not None
        and by.role == Role.METHODOLOGIST
        and by.district_id == review.organization.district_id
    ):
        return
    raise ValidationError(
        _("Решение по экспертизе принимает методист района организации."),
        code="forbidden",
    )


@transaction.atomic
def submit_for_review(
    *,
    by: User,
    organization: Organization,
    subject: str,
    roadmap: Roadmap | None = None,
    title: str = "",
    url: str = "",
    note: str = "",
) -> Review:
    """Send the school's program or roadmap to its district for review.

    Refused while the same kind of document waits for a decision: the
    methodologist would otherwise judge a version the school has replaced.
    """
    ensure_acts_for(by=by, organization=organization)
    # Two sendings at once (a double click) queue here; the second finds
    # the first pending.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    pending = (
        Review.objects.pending()
        .filter(organization=organization, subject=subject)
        .first()
    )
    if pending is not None:
        raise ValidationError(
            _(
                "%(subject)s уже на экспертизе: направлено %(day)s, решение "
                "методиста ещё не принято. Повторно направить документ можно "
                "после решения."
            )
            % {
                "subject": pending.get_subject_display(),
                "day": short_date(timezone.localtime(pending.submitted_at).date()),
            },
            code="pending",
        )
    if subject == Review.Subject.ROADMAP:
        if roadmap is None:
            raise ValidationError(
                _("Выберите дорожную карту."), code="roadmap_required"
            )
        if roadmap.organization_id != organization.pk:
            raise ValidationError(
                _("На экспертизу направляется дорожная карта своей организации."),
                code="foreign_roadmap",
            )
        title = title or roadmap.short_title
        url = url or reverse("roadmap:detail", args=[roadmap.pk])
    else:
        roadmap = None
    review = Review(
        organization=organization,
        subject=subject,
        roadmap=roadmap,
        title=" ".join(title.split()),
        url=url.strip(),
        note=note.strip(),
        submitted_by=by,
    )
    review.full_clean()
    review.save()
    record_change(
        actor=by,
        obj=review,
        action="review.submitted",
        organization=organization,
        message=_("Направлено на экспертизу: %(review)s") % {"review": review},
        data={"subject": subject, "roadmap": roadmap.pk if roadmap else None},
    )
    methodologists = User.objects.filter(
        role=Role.METHODOLOGIST,
        district_id=organization.district_id,
        is_active=True,
    ).values_list("email", flat=True)
    send_templated(
        name="review_submitted",
        to=methodologists,
        context={"review": review, "url": _review_url(review)},
    )
    return review


@transaction.atomic
def approve_review(*, by: User, review: Review, comments: str = "") -> Review:
    """Approve; the school's roadmap activity for the document is done, with
    the review as its evidence."""
    review = _decide(
        by=by, review=review, status=Review.Status.APPROVED, comments=comments
    )
    for code in ACTIVITIES_OF_SUBJECT[review.subject]:
        close_activities_with_evidence(
            organization=review.organization,
            obj=review,
            code=code,
            title=_("Экспертиза района: %(review)s одобрена %(day)s")
            % {"review": review, "day": short_date(timezone.localdate())},
            url=reverse("reviews:detail", args=[review.pk]),
            by=by,
        )
    return review


@transaction.atomic
def return_review(*, by: User, review: Review, comments: str) -> Review:
    """Return the document to the school with what to fix."""
    if not comments.strip():
        raise ValidationError(
            _("Напишите замечания: школа должна знать, что исправить."),
            code="comments_required",
        )
    return _decide(
        by=by, review=review, status=Review.Status.RETURNED, comments=comments
    )


def _decide(*, by: User, review: Review, status: str, comments: str) -> Review:
    # A double click, or two methodologists at once: the second waits here
    # and finds the review decided.
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=review.pk)
    )
    ensure_can_decide(by=by, review=review)
    if not review.is_pending:
        raise ValidationError(
            _("Решение по экспертизе уже принято: %(status)s %(day)s.")
            % {
                "status": review.get_status_display().lower(),
                "day": short_date(timezone.localtime(review.decided_at).date()),
            },
            code="decided",
        )
    review.status = status
    review.comments = comments.strip()
    review.decided_by, review.decided_at = by, timezone.now()
    review.full_clean()
    review.save(update_fields=["status", "comments", "decided_by", "decided_at"])
    record_change(
        actor=by,
        obj=review,
        action=f"review.{status}",
        organization=review.organization,
        message=_("Экспертиза: %(review)s — %(status)s")
        % {"review": review, "status": review.get_status_display().lower()},
        data={"comments": review.comments},
    )
    send_templated(
        name="review_decided",
        to=[review.submitted_by.email],
        context={"review": review, "url": _review_url(review)},
    )
    return review


def _review_url(review: Review) -> str:
    return absolute_url("reviews:detail", review.pk)
