"""The curator's writes to the public page: news and best practices, and
the documents shown there. Each is checked, saved and audited here; the
admin calls these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.models import Order, User
from mentoring.services import ensure_acts_for, record_change

from .models import Post, PublicDocument


@transaction.atomic
def save_post(*, post: Post, by: User | None) -> Post:
    """Save a news item or a best practice; publishing dates it today
    unless the curator gave a date."""
    ensure_acts_for(by=by, organization=post.organization)
    if post.status == Post.Status.PUBLISHED and post.published_on is None:
        post.published_on = timezone.localdate()
    created = post.pk is None
    post.full_clean()
    post.save()
    record_change(
        actor=by,
        obj=post,
        action="public.post_created" if created else "public.post_changed",
        organization=post.organization,
        message=_("Публикация «%(title)s»: %(status)s")
        % {"title": post.title, "status": post.get_status_display()},
    )
    return post


@transaction.atomic
def delete_post(*, post: Post, by: User | None) -> None:
    ensure_acts_for(by=by, organization=post.organization)
    record_change(
        actor=by,
        obj=post,
        action="public.post_deleted",
        organization=post.organization,
        message=_("Публикация «%(title)s» удалена") % {"title": post.title},
    )
    post.delete()


@transaction.atomic
def save_public_document(
    *, document: PublicDocument, by: User | None
) -> PublicDocument:
    """Put a document on the public page: a signed order of the school's
    own (shown as an extract without the unconsented names), or a text."""
    ensure_acts_for(by=by, organization=document.organization)
    if document.order_id is not None:
        # Locked: an order signed a moment ago is read as signed, and
        # nothing unsigns it while it is being published.
        order = Order.objects.select_for_update().get(pk=document.order_id)
        if order.organization_id != document.organization_id:
            raise ValidationError(
                {"order": _("Можно опубликовать только приказ своей организации.")},
                code="foreign_order",
            )
        if order.status != Order.Status.SIGNED:
            raise ValidationError(
                {"order": _("Опубликовать можно только подписанный приказ.")},
                code="not_signed",
            )
    if document.is_published and document.published_on is None:
        document.published_on = timezone.localdate()
    created = document.pk is None
    document.full_clean()
    document.save()
    record_change(
        actor=by,
        obj=document,
        action="public.document_saved" if created else "public.document_changed",
        organization=document.organization,
        message=_("Документ на странице наставничества «%(title)s»: %(state)s")
        % {
            "title": str(document),
            "state": _("опубликован") if document.is_published else _("не опубликован"),
        },
    )
    return document


@transaction.atomic
def delete_public_document(*, document: PublicDocument, by: User | None) -> None:
    ensure_acts_for(by=by, organization=document.organization)
    record_change(
        actor=by,
        obj=document,
        action="public.document_deleted",
        organization=document.organization,
        message=_("Документ «%(title)s» снят со страницы") % {"title": str(document)},
    )
    document.delete()
