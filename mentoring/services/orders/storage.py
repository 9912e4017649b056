"""The signed order's PDF: rendered once at signing, then served as stored."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from mentoring import documents
from mentoring.models import Order


def store_order_pdf(*, order: Order) -> None:
    content = documents.order_pdf(order=order)
    order.pdf_sha256 = hashlib.sha256(content).hexdigest()
    order.pdf.save(documents.order_filename(order), ContentFile(content), save=False)
    order.save(update_fields=["pdf", "pdf_sha256"])


def stored_order_pdf(*, order: Order) -> bytes:
    """The signed order's PDF exactly as stored at signing."""
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
