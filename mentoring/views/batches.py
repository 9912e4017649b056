"""Batches of documents: the curator asks, a task prints, the page shows how
far it got and offers the ZIP at the end."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentoring.access import ACTING, STAFF, role_required
from mentoring.documents import transliterate
from mentoring.models import DocumentBatch
from mentoring.services.batches import request_program_batch

HISTORY_SIZE = 20
# The page reloads itself while the task prints (a <meta> refresh: no script).
REFRESH_SECONDS = 3


# The curator and the director print their school's documents; the other
# staff know the page exists.
@role_required(*ACTING, seen_by=STAFF)
def document_batches(request):
    batches = DocumentBatch.objects.visible_to(request.user).select_related(
        "requested_by"
    )[:HISTORY_SIZE]
    return render(
        request,
        "mentoring/document_batches.html",
        {"batches": batches, "can_print": request.user.organization_id is not None},
    )


@role_required(*ACTING, seen_by=STAFF)
@require_POST
def document_batch_programs(request):
    if request.user.organization is None:
        raise Http404
    try:
        batch = request_program_batch(
            organization=request.user.organization, by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("mentoring:document-batches")
    return redirect("mentoring:document-batch", batch.pk)


@role_required(*ACTING, seen_by=STAFF)
def document_batch(request, pk):
    batch = get_object_or_404(DocumentBatch.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "mentoring/document_batch.html",
        {
            "batch": batch,
            "refresh": None if batch.is_finished else REFRESH_SECONDS,
        },
    )


@role_required(*ACTING, seen_by=STAFF)
def document_batch_zip(request, pk):
    batch = get_object_or_404(DocumentBatch.objects.visible_to(request.user), pk=pk)
    if batch.status != DocumentBatch.Status.DONE or not batch.zip:
        raise Http404
    at = timezone.localtime(batch.finished_at or batch.requested_at)
    name = transliterate(f"{batch.get_kind_display()} {batch.pk} {at:%Y-%m-%d}")
    return FileResponse(
        batch.zip.open("rb"),
        as_attachment=True,
        filename=f"{name}.zip",
        content_type="application/zip",
    )
