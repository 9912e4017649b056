"""The mentor's agreement (соглашение о наставничестве) under ТК РФ ст. 351.8."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import (
    scan_field,
    scope_by_role,
)
from .pairs import Pair
from .people import Person


class MentorAgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The pay is between the school and its employee: a participant sees
        # only their own agreement, not the one of their pair's mentor.
        return scope_by_role(
            self,
            user,
            org="pair__organization_id",
            district="pair__organization__district_id",
            participant=lambda u: self.filter(mentor__user=u),
        )


class MentorAgreement(models.Model):
    """What an employee agreed to do as a mentor of a pair, for how long and
    for what pay: ТК РФ ст. 351.8 wants it in writing, beside the mentor's
    written consent."""

    class Pay(models.TextChoices):
        PERCENT = "percent", _("Доплата в процентах к должностному окладу (ставке)")
        AMOUNT = "amount", _("Доплата в рублях в месяц")
        NONE = "none", _("Без доплаты, иные условия")

    pair = models.ForeignKey(
        Pair,
        verbose_name=_("пара/группа"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    mentor = models.ForeignKey(
        Person,
        verbose_name=_("наставник"),
        on_delete=models.PROTECT,
        related_name="mentor_agreements",
    )
    concluded_on = models.DateField(_("дата соглашения"), null=True, blank=True)
    contract_number = models.CharField(
        _("номер трудового договора"), max_length=50, blank=True
    )
    contract_date = models.DateField(
        _("дата трудового договора"), null=True, blank=True
    )
    content = models.TextField(
        _("содержание наставничества"),
        help_text=_("Что наставник делает: из программы пары, если она есть."),
    )
    starts_on = models.DateField(_("начало наставничества"))
    ends_on = models.DateField(_("окончание наставничества"))
    pay = models.CharField(
        _("оплата"), max_length=10, choices=Pay.choices, default=Pay.PERCENT
    )
    pay_value = models.DecimalField(
        _("размер доплаты"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    other_terms = models.TextField(
        _("иные условия"),
        blank=True,
        help_text=_("Например: снижение нагрузки, дополнительные дни отдыха."),
    )
    scan = scan_field(_("скан подписанного соглашения"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внесено"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("внесено в систему"), default=timezone.now)

    objects = MentorAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("соглашение о наставничестве")
        verbose_name_plural = _("соглашения о наставничестве")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "mentor"],
                name="mentor_agreement_one_per_pair",
                violation_error_message=_(
                    "У этого наставника уже есть соглашение по этой паре."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="mentor_agreement_ends_after_start",
                violation_error_message=_(
                    "Окончание наставничества должно быть позже начала."
                ),
            ),
            models.CheckConstraint(
                condition=Q(pay="none", pay_value__isnull=True)
                # NULL compared is unknown, which a check lets pass: say it.
                | Q(
                    pay="percent",
                    pay_value__isnull=False,
                    pay_value__gt=0,
                    pay_value__lte=100,
                )
                | Q(pay="amount", pay_value__isnull=False, pay_value__gt=0),
                name="mentor_agreement_pay_value",
                violation_error_message=_(
                    "Укажите размер доплаты: процент — больше 0 и не больше 100, "
                    "сумма — больше 0; без доплаты размер не указывают."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(pay="none") | ~Q(other_terms=""),
                name="mentor_agreement_terms_without_pay",
                violation_error_message=_(
                    "Без доплаты укажите иные условия наставничества."
                ),
            ),
        ]

    def __str__(self):
        return _("Соглашение о наставничестве: %(mentor)s, %(pair)s") % {
            "mentor": self.mentor,
            "pair": self.pair,
        }

    @property
    def pay_value_text(self) -> str:
        """«15» or «12,5», as a Russian document writes the amount."""
        if self.pay_value is None:
            return ""
        value = self.pay_value
        if value == value.to_integral():
            return str(int(value))
        return f"{value.normalize():f}".replace(".", ",")
