"""Batches of printed documents: many PDFs in one ZIP, built by a task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import ScopedByOrganizationQuerySet, private_upload_path
from .people import Organization


class DocumentBatch(models.Model):
    """One request to print many documents of a school at once.

    Printing a hundred orders takes minutes of WeasyPrint: too long for a web
    request, so a task builds the ZIP and counts its progress here for the
    curator's page to show.
    """

    class Kind(models.TextChoices):
        PROGRAMS = "programs", _("Программы наставничества")
        ORDERS = "orders", _("Приказы")

    class Status(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        RUNNING = "running", _("Печатается")
        DONE = "done", _("Готово")
        FAILED = "failed", _("Не удалось")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="document_batches",
    )
    kind = models.CharField(_("документы"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто запросил"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("запрошено"), default=timezone.now)
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    # The records to print, fixed when asked: a program added meanwhile waits
    # for the next batch, and the count shown stays true.
    object_ids = models.JSONField(_("документы (номера записей)"), default=list)
    total = models.PositiveIntegerField(_("всего"), default=0)
    done = models.PositiveIntegerField(_("напечатано"), default=0)
    error = models.TextField(_("ошибка"), blank=True)
    zip = models.FileField(_("архив (ZIP)"), upload_to=private_upload_path, blank=True)

    objects = ScopedByOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("пакет документов")
        verbose_name_plural = _("пакеты документов")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")),
                name="document_batch_done_within_total",
            )
        ]

    def __str__(self):
        return _("%(kind)s, пакет № %(pk)s") % {
            "kind": self.get_kind_display(),
            "pk": self.pk,
        }

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
