"""Reads of printed batches for the curator's pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.models import DocumentBatch

PANEL_SIZE = 3


def batches_panel(request) -> dict | None:
    """The home page's «Печать пакетом»: the latest batches and where to ask."""
    if request.user.organization_id is None:
        return None
    batches = DocumentBatch.objects.visible_to(request.user)[:PANEL_SIZE]
    return {
        "title": _("Печать пакетом"),
        "items": [
            {
                "text": batch.get_kind_display(),
                "url": reverse("mentoring:document-batch", args=[batch.pk]),
                "note": _("%(status)s: %(done)s из %(total)s")
                % {
                    "status": batch.get_status_display(),
                    "done": batch.done,
                    "total": batch.total,
                },
            }
            for batch in batches
        ]
        # The list template links to «all» only when it has items: the way
        # to ask for a batch is an item of its own.
        + [
            {
                "text": _("Напечатать все программы школы одним архивом"),
                "url": reverse("mentoring:document-batches"),
            }
        ],
        "empty": "",
    }
