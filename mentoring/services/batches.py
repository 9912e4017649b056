"""Batches of documents: all programs of a school, or up to 100 orders, in
one ZIP built by a background task.

A hundred PDFs take minutes of WeasyPrint, longer than a web request may
run; the request only records what to print and queues the task, which
counts its progress on the batch row for the curator's page. The ZIP is
written once, whole, when every document has rendered: a failed batch leaves
no file behind.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from mentoring import documents
from mentoring.models import DocumentBatch, Order, Organization, Program, User
from mentoring.services.audit import ensure_acts_for, record_change
from mentoring.services.orders.drafts import refresh_order_text
from mentoring.services.orders.storage import stored_order_pdf

logger = logging.getLogger(__name__)

MAX_ORDERS = 100


def _ensure_none_going(*, organization: Organization, kind: str) -> None:
    going = DocumentBatch.objects.filter(
        organization=organization,
        kind=kind,
        status__in=[DocumentBatch.Status.QUEUED, DocumentBatch.Status.RUNNING],
    )
    if going.exists():
        raise ValidationError(
            _("Пакет таких документов уже печатается: дождитесь его окончания."),
            code="batch_going",
        )


def _create_batch(
    *, organization: Organization, kind: str, ids: list[int], by: User
) -> DocumentBatch:
    batch = DocumentBatch.objects.create(
        organization=organization,
        kind=kind,
        requested_by=by,
        object_ids=ids,
        total=len(ids),
    )
    record_change(
        actor=by,
        obj=batch,
        action="documents.batch_requested",
        organization=organization,
        message=_("Запрошена печать пакета: %(kind)s, документов: %(n)s.")
        % {"kind": batch.get_kind_display(), "n": len(ids)},
        data={"kind": kind, "total": len(ids)},
    )
    # Queued after commit: the task reads the committed batch row.
    transaction.on_commit(
        lambda: build_document_batch_task.enqueue(batch_id=batch.pk), robust=True
    )
    return batch


@transaction.atomic
def request_program_batch(*, organization: Organization, by: User) -> DocumentBatch:
    """Queue the printing of every personalized program of the organization."""
    ensure_acts_for(by=by, organization=organization)
    # Two clicks in a row queue one batch: the second waits here, then sees it.
    Organization.objects.select_for_update().get(pk=organization.pk)
    _ensure_none_going(organization=organization, kind=DocumentBatch.Kind.PROGRAMS)
    ids = list(
        Program.objects.filter(pair__organization=organization)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ValidationError(
            _(
                "В организации «%(org)s» нет персонализированных программ: "
                "печатать нечего."
            )
            % {"org": organization.short_name},
            code="batch_empty",
        )
    return _create_batch(
        organization=organization, kind=DocumentBatch.Kind.PROGRAMS, ids=ids, by=by
    )


@transaction.atomic
def request_order_batch(*, orders, by: User) -> DocumentBatch:
    """Queue the printing of the chosen orders (one organization, up to 100)."""
    chosen = list(orders.order_by("pk").values_list("pk", "organization_id"))
    if not chosen:
        raise ValidationError(
            _("Не выбрано ни одного приказа: печатать нечего."), code="batch_empty"
        )
    if len(chosen) > MAX_ORDERS:
        raise ValidationError(
            _("В пакете не больше %(max)s приказов, выбрано %(n)s.")
            % {"max": MAX_ORDERS, "n": len(chosen)},
            code="batch_too_large",
        )
    if len({org for _pk, org in chosen}) > 1:
        raise ValidationError(
            _("Выберите приказы одной организации: пакет печатается для одной."),
            code="batch_many_organizations",
        )
    organization = Organization.objects.select_for_update().get(pk=chosen[0][1])
    ensure_acts_for(by=by, organization=organization)
    _ensure_none_going(organization=organization, kind=DocumentBatch.Kind.ORDERS)
    return _create_batch(
        organization=organization,
        kind=DocumentBatch.Kind.ORDERS,
        ids=[pk for pk, _org in chosen],
        by=by,
    )


def _claim(batch_id: int) -> DocumentBatch | None:
    with transaction.atomic():
        batch = DocumentBatch.objects.select_for_update().get(pk=batch_id)
        # A task delivered twice builds the ZIP once.
        if batch.status != DocumentBatch.Status.QUEUED:
            return None
        batch.status = DocumentBatch.Status.RUNNING
        batch.save(update_fields=["status"])
        return batch


def _documents(batch: DocumentBatch):
    """(file name, PDF bytes) of each record still in the organization."""
    if batch.kind == DocumentBatch.Kind.PROGRAMS:
        programs = Program.objects.filter(
            pk__in=batch.object_ids, pair__organization=batch.organization_id
        ).select_related("pair__form", "pair__organization", "pair__order")
        for program in programs.order_by("pk"):
            yield (
                documents.program_filename(program),
                documents.program_pdf(program=program),
            )
    else:
        orders = Order.objects.filter(
            pk__in=batch.object_ids, organization=batch.organization_id
        ).select_related("organization")
        for order in orders.order_by("pk"):
            if order.status == Order.Status.SIGNED:
                # The signed order exactly as stored, as its own link serves it.
                content = stored_order_pdf(order=order)
            else:
                order = refresh_order_text(order=order)
                content = documents.order_pdf(order=order)
            yield documents.order_filename(order), content


def build_batch(*, batch_id: int) -> DocumentBatch:
    """Render every document of the batch into one ZIP, counting as it goes."""
    batch = _claim(batch_id)
    if batch is None:
        return DocumentBatch.objects.get(pk=batch_id)
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                done = 0
                for name, content in _documents(batch):
                    done += 1
                    # Numbered: two programs of mentees with one surname
                    # would otherwise share a name.
                    archive.writestr(f"{done:03d}_{name}", content)
                    DocumentBatch.objects.filter(pk=batch.pk).update(done=done)
            if not done:
                # Every record was deleted after the request: nothing to write.
                DocumentBatch.objects.filter(pk=batch.pk).update(
                    status=DocumentBatch.Status.FAILED,
                    finished_at=timezone.now(),
                    error=_("Документы пакета удалены: печатать нечего."),
                )
                batch.refresh_from_db()
                return batch
            spool.seek(0)
            with transaction.atomic():
                batch.zip.save("batch.zip", File(spool), save=False)
                # Records deleted since the request are left out of the count.
                batch.done, batch.total = done, done
                batch.status = DocumentBatch.Status.DONE
                batch.finished_at = timezone.now()
                batch.save(
                    update_fields=["zip", "done", "total", "status", "finished_at"]
                )
    except Exception:
        logger.exception("Document batch %s failed", batch.pk)
        if batch.zip:
            batch.zip.delete(save=False)
        DocumentBatch.objects.filter(pk=batch.pk).update(
            status=DocumentBatch.Status.FAILED,
            finished_at=timezone.now(),
            zip="",
            error=_("Не удалось напечатать пакет: обратитесь к администратору."),
        )
        batch.refresh_from_db()
    return batch


@task()
def build_document_batch_task(*, batch_id: int) -> None:
    build_batch(batch_id=batch_id)
