"""The signed order's PDF: rendered once after signing commits, then served as
stored.

Rendering inside the signing transaction wrote a file that stayed on disk
when the transaction rolled back, and printed what had not committed yet.
Now signing queues `store_signed_order_pdf` on commit; it renders from the
committed rows, and a file whose row update fails is deleted again. Until
the task has run (or if it failed), the first request for the PDF renders
and stores it the same way.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from mentoring import documents
from mentoring.models import Order

logger = logging.getLogger(__name__)


def store_order_pdf(*, order_id: int) -> Order:
    """Render the signed order and store it, unless it is stored already.

    Call it after the signing committed, outside any transaction: the file is
    written by the time the row says so, and deleted if the row update fails.
    """
    written = ""
    try:
        with transaction.atomic():
            # The task and a first request may both get here: one renders.
            order = (
                Order.objects.select_for_update(of=("self",))
                .select_related("organization")
                .get(pk=order_id)
            )
            if order.status != Order.Status.SIGNED or order.pdf:
                return order
            content = documents.order_pdf(order=order)
            order.pdf.save(
                documents.order_filename(order), ContentFile(content), save=False
            )
            written = order.pdf.name
            order.pdf_sha256 = hashlib.sha256(content).hexdigest()
            order.save(update_fields=["pdf", "pdf_sha256"])
    except BaseException:
        if written:
            order.pdf.storage.delete(written)
        raise
    return order


@task()
def store_signed_order_pdf(*, order_id: int) -> None:
    store_order_pdf(order_id=order_id)


def stored_order_pdf(*, order: Order) -> bytes:
    """The signed order's PDF exactly as stored after signing."""
    if not order.pdf:
        # The task has not run yet, or failed: store it now, once.
        try:
            order = store_order_pdf(order_id=order.pk)
        except Exception as error:
            logger.exception("Order %s: the signed PDF could not be stored", order.pk)
            raise ValidationError(
                _("Файл подписанного приказа не найден: обратитесь к администратору."),
                code="pdf_missing",
            ) from error
    try:
        with order.pdf.open("rb") as stored:
            content = stored.read()
    except (OSError, ValueError) as error:
        raise ValidationError(
            _("Файл подписанного приказа не найден: обратитесь к администратору."),
            code="pdf_missing",
        ) from error
    if hashlib.sha256(content).hexdigest() != order.pdf_sha256:
        raise ValidationError(
            _("Файл подписанного приказа повреждён: обратитесь к администратору."),
            code="pdf_corrupted",
        )
    return content
