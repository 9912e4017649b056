"""A school's report sent to the municipality, with its figures frozen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentoring.dates import short_date
from mentoring.models import Organization, ScopedByOrganizationQuerySet


class ReportSubmission(models.Model):
    """«Информация о реализации программы наставничества» as sent (DOMAIN.md
    §e.6): the figures on the day of sending, so a later correction of the
    school's records does not change what the district received."""

    class Status(models.TextChoices):
        SENT = "sent", _("отправлен")
        ACCEPTED = "accepted", _("принят")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="report_submissions",
    )
    period_start = models.DateField(_("начало периода"))
    period_end = models.DateField(_("окончание периода"))
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    figures = models.JSONField(_("показатели"))
    notes = models.TextField(_("проблемы и предложения"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("отправил"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("отправлен"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("принял"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("принят"), null=True, blank=True)

    objects = ScopedByOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("отчёт в муниципалитет")
        verbose_name_plural = _("отчёты в муниципалитет")
        ordering = ["-period_start", "-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_start", "period_end"],
                name="report_submission_once_per_period",
                violation_error_message=_("Отчёт за этот период уже отправлен."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="report_submission_period_order",
                violation_error_message=_(
                    "Окончание периода должно быть позже его начала."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False),
                name="report_submission_accepted_has_date",
                violation_error_message=_("У принятого отчёта должна быть дата."),
            ),
        ]

    def __str__(self):
        return _("Отчёт %(organization)s, %(start)s – %(end)s") % {
            "organization": self.organization,
            "start": short_date(self.period_start),
            "end": short_date(self.period_end),
        }
