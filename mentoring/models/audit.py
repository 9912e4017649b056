"""The audit trail: who changed what and when."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .base import ScopedByOrganizationQuerySet
from .people import Organization


class AuditEntryQuerySet(ScopedByOrganizationQuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )


class AuditEntry(models.Model):
    """Who changed what and when: pairs, consents, bank entries, orders."""

    at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("действие"), max_length=50)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("вид записи"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("номер записи"))
    object_repr = models.CharField(_("объект"), max_length=255)
    message = models.CharField(_("описание"), max_length=500)
    data = models.JSONField(_("подробности"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("запись журнала")
        verbose_name_plural = _("журнал изменений")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        at = date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{at} {self.message}"
