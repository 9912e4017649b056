"""The district's own records: which organizations pilot the mentoring model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.models import Organization, scope_by_role


class PilotQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The methodologist: the district's pilots; a school: its own."""
        return scope_by_role(
            self,
            user,
            org="organization_id",
            district="organization__district_id",
        )


class Pilot(models.Model):
    """An organization the district chose to pilot the model (пилотная
    площадка), from a day: seed 004's roadmap is written for such schools."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="pilot",
    )
    since = models.DateField(_("пилотная площадка с"))
    basis = models.CharField(
        _("основание"),
        max_length=300,
        blank=True,
        help_text=_("Например «Распоряжение ИМЦ от 01.09.2025 № 15»."),
    )

    objects = PilotQuerySet.as_manager()

    class Meta:
        verbose_name = _("пилотная площадка")
        verbose_name_plural = _("пилотные площадки")
        ordering = ["organization__short_name"]

    def __str__(self):
        return str(self.organization)
