"""The public page a signed order's QR code opens: is this the document the
school signed?

Open to anyone holding the paper (no login): it tells that the order with
this code was signed electronically, when, by which organization, and the
SHA-256 of the filed PDF, but no person's name, no title (titles name the
pairs) and no text.
"""

from __future__ import annotations

import re

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mentoring import documents
from mentoring.models import Order

SHA256 = re.compile(r"[0-9a-f]{64}")


@never_cache
def order_verify(request, code: str):
    order = get_object_or_404(
        Order.objects.select_related("organization").exclude(signature_code=""),
        status=Order.Status.SIGNED,
        signature_code=code.strip().upper(),
    )
    given = request.GET.get("sha256", "").strip().lower()
    check = None
    if given:
        if not SHA256.fullmatch(given):
            check = ("bad", _("Это не SHA-256: нужны 64 шестнадцатеричных знака."))
        elif not order.pdf_sha256:
            check = ("bad", _("Контрольная сумма документа ещё не сформирована."))
        elif given == order.pdf_sha256:
            check = ("ok", _("SHA-256 совпадает: это подписанный документ."))
        else:
            check = (
                "bad",
                _(
                    "SHA-256 не совпадает: этот файл отличается от подписанного "
                    "документа."
                ),
            )
    return render(
        request,
        "mentoring/order_verify.html",
        {
            "order": order,
            "signed_at": documents.signed_moment(order),
            "given": given,
            "check": check,
        },
    )
