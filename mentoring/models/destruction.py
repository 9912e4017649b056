"""Acts of destruction of personal data (Приказ Роскомнадзора от 28.10.2022 № 179)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import ScopedByOrganizationQuerySet, private_upload_path
from .people import Organization


class DestructionAct(models.Model):
    """One run's destruction at one organization: what, whose, when, why.

    The act names the people by their number in the system, not by name: the
    names are what was destroyed (п. 3 «в» of the Requirements allows «иная
    информация, относящаяся к физическому лицу»). It is kept three years.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="destruction_acts",
    )
    number = models.PositiveIntegerField(_("номер"))
    destroyed_at = models.DateTimeField(_("уничтожено"), default=timezone.now)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто запустил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Пусто: ежедневная команда по расписанию."),
    )
    # [{"person": id, "category": …, "reason": …, "ended_on": iso, "data": […],
    #   "files": n, "journal": [[at iso, action], …]}]: what the PDF prints.
    entries = models.JSONField(_("сведения"), default=list)
    pdf = models.FileField(_("акт (PDF)"), upload_to=private_upload_path, blank=True)

    objects = ScopedByOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("акт об уничтожении персональных данных")
        verbose_name_plural = _("акты об уничтожении персональных данных")
        ordering = ["-destroyed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                name="destruction_act_number_unique",
            )
        ]

    def __str__(self):
        return _("Акт № %(number)s") % {"number": self.number}
