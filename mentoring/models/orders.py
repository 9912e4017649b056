"""Orders (приказы): drafted by the curator, signed or returned by the director.

A signed order is a legal document: its number, text and PDF never change
(the services refuse, the admin shows it read-only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .base import ScopedByOrganizationQuerySet
from .pairs import Pair
from .people import Organization, Person


class OrderQuerySet(ScopedByOrganizationQuerySet):
    def for_participant(self, user):
        """A participant sees the signed orders that assign their own pairs."""
        return self.filter(
            status=Order.Status.SIGNED,
            pairs__in=Pair.objects.for_participant(user),
        ).distinct()


class Order(models.Model):
    class Kind(models.TextChoices):
        PAIRS = "pairs", _("О закреплении наставнических пар (групп)")
        REWARD = "reward", _("О поощрении участников наставнической деятельности")
        FINAL_EVENT = "final_event", _("О проведении итогового мероприятия")
        REGULATIONS = (
            "regulations",
            _("Об утверждении положения о наставничестве и дорожной карты"),
        )
        CURATOR = "curator", _("О назначении куратора")
        OTHER = "other", _("Иной")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        ON_SIGNATURE = "on_signature", _("На подписи")
        SIGNED = "signed", _("Подписан")
        RETURNED = "returned", _("Возвращён на доработку")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    kind = models.CharField(_("вид приказа"), max_length=15, choices=Kind.choices)
    title = models.CharField(
        _("заголовок"), max_length=500, help_text=_("Начинается с «О…».")
    )
    preamble = models.TextField(
        _("констатирующая часть"),
        help_text=_("Основания: «В соответствии с …, в целях …»."),
    )
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    year = models.PositiveSmallIntegerField(_("год"), null=True, blank=True)
    number = models.PositiveIntegerField(_("номер"), null=True, blank=True)
    # Kept with the order: a later change of the organization's prefix or
    # suffix must not renumber signed orders.
    number_prefix = models.CharField(_("префикс номера"), max_length=10, blank=True)
    number_suffix = models.CharField(_("суффикс номера"), max_length=10, blank=True)
    signed_on = models.DateField(_("дата приказа"), null=True, blank=True)
    place = models.CharField(_("место издания"), max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("направил на подпись"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(
        _("направлен на подпись"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("рассмотрел"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("рассмотрен"), null=True, blank=True)
    director_comment = models.TextField(_("замечания руководителя"), blank=True)
    pdf = models.FileField(
        _("подписанный приказ (PDF)"), upload_to="orders/%Y/", blank=True
    )
    pdf_sha256 = models.CharField(_("контрольная сумма PDF"), max_length=64, blank=True)
    # The simple electronic signature's mark (ГОСТ Р 7.0.97-2025): an
    # unguessable code the QR code leads to, and the signer as printed.
    # Empty for a draft and for an order signed on paper.
    signature_code = models.CharField(_("код документа"), max_length=32, blank=True)
    signer_position = models.CharField(
        _("должность подписавшего"), max_length=100, blank=True
    )
    signer_name = models.CharField(_("подписавший"), max_length=255, blank=True)
    # Until signing, the items are the standard wording rendered afresh from
    # the pairs and people's cards, so a corrected name reaches a draft;
    # items the curator typed are kept as typed.
    items_edited = models.BooleanField(_("пункты изменены вручную"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подготовил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("приказ")
        verbose_name_plural = _("приказы")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["signature_code"],
                condition=~Q(signature_code=""),
                name="order_signature_code_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "year", "number"],
                name="order_number_unique_per_year",
                violation_error_message=_(
                    "Приказ с таким номером в этом году уже есть."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="signed")
                | (
                    Q(number__isnull=False)
                    & Q(year__isnull=False)
                    & Q(signed_on__isnull=False)
                ),
                name="order_signed_has_number",
                violation_error_message=_(
                    "У подписанного приказа должны быть номер и дата."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(director_comment=""),
                name="order_returned_has_comment",
                violation_error_message=_("Укажите, что нужно исправить в приказе."),
            ),
        ]

    def __str__(self):
        if self.status == self.Status.SIGNED:
            return _("Приказ от %(day)s № %(number)s «%(title)s»") % {
                "day": date_format(self.signed_on, "SHORT_DATE_FORMAT"),
                "number": self.full_number,
                "title": self.title,
            }
        if self.pk is None:
            return str(_("Новый приказ"))
        return _("Проект приказа «%(title)s»") % {"title": self.title}

    @property
    def full_number(self) -> str:
        """«63-од»: the registration number as printed."""
        if self.number is None:
            return ""
        return f"{self.number_prefix}{self.number}{self.number_suffix}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class OrderItem(models.Model):
    """A numbered item after «ПРИКАЗЫВАЮ:». Lines after the first are sub-items."""

    order = models.ForeignKey(
        Order,
        verbose_name=_("приказ"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("№"), default=0)
    text = models.TextField(
        _("текст пункта"),
        help_text=_("Каждая следующая строка печатается подпунктом: 1.1, 1.2, …"),
    )

    class Meta:
        verbose_name = _("пункт приказа")
        verbose_name_plural = _("пункты приказа")
        ordering = ["order", "position", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class OrderAcquaintance(models.Model):
    """A line of «С приказом ознакомлены:»: who must read the order, and when they did."""

    order = models.ForeignKey(
        Order,
        verbose_name=_("приказ"),
        on_delete=models.CASCADE,
        related_name="acquaintances",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("участник"),
        on_delete=models.PROTECT,
        related_name="order_acquaintances",
    )
    acquainted_on = models.DateField(_("ознакомлен(а)"), null=True, blank=True)

    class Meta:
        verbose_name = _("отметка об ознакомлении")
        verbose_name_plural = _("с приказом ознакомлены")
        ordering = ["order", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "person"],
                name="order_acquaintance_once",
                violation_error_message=_(
                    "Этот участник уже есть в листе ознакомления."
                ),
            )
        ]

    def __str__(self):
        return str(self.person)


class OrderReward(models.Model):
    """A row of the reward order's appendix: who is rewarded, how and for what."""

    class Kind(models.TextChoices):
        THANKS = "thanks", _("Объявить благодарность")
        CERTIFICATE = "certificate", _("Наградить грамотой")
        BONUS = "bonus", _("Единовременная премия")
        MUNICIPAL = (
            "municipal",
            _("Рекомендовать к награждению на муниципальном уровне"),
        )
        REGIONAL = "regional", _("Рекомендовать к награждению на региональном уровне")

    order = models.ForeignKey(
        Order,
        verbose_name=_("приказ"),
        on_delete=models.CASCADE,
        related_name="rewards",
    )
    position = models.PositiveSmallIntegerField(_("№ п/п"), default=0)
    person = models.ForeignKey(
        Person,
        verbose_name=_("участник"),
        on_delete=models.PROTECT,
        related_name="order_rewards",
    )
    kind = models.CharField(_("вид поощрения"), max_length=12, choices=Kind.choices)
    basis = models.TextField(
        _("основание"),
        help_text=_("За что: «за активное участие в реализации программы …»."),
    )

    class Meta:
        verbose_name = _("поощрение")
        verbose_name_plural = _("приложение: поощряемые участники")
        ordering = ["order", "position", "pk"]

    def __str__(self):
        return f"{self.person} — {self.get_kind_display()}"
