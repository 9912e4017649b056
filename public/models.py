"""What a school publishes about its mentoring: news and best practices (the
«методическая копилка»), the documents it shows on its public page, and the
version its cached pages are keyed by."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentoring.models import Order, Organization
from mentoring.models.base import ScopedByOrganizationQuerySet


class PostQuerySet(ScopedByOrganizationQuerySet):
    def published(self):
        return self.filter(status=Post.Status.PUBLISHED)


class Post(models.Model):
    """A news item or a best practice, written by the curator."""

    class Kind(models.TextChoices):
        NEWS = "news", _("Новость")
        PRACTICE = "practice", _("Лучшая практика (методическая копилка)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        PUBLISHED = "published", _("Опубликовано")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="public_posts",
    )
    kind = models.CharField(
        _("раздел"), max_length=10, choices=Kind.choices, default=Kind.NEWS
    )
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("заголовок"), max_length=300)
    summary = models.TextField(
        _("кратко"), blank=True, help_text=_("Одно-два предложения для списка.")
    )
    body = models.TextField(
        _("текст"),
        help_text=_(
            "Абзацы разделяйте пустой строкой. Не называйте людей, не давших "
            "согласия на распространение персональных данных."
        ),
    )
    published_on = models.DateField(_("дата публикации"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор записи"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("публикация")
        verbose_name_plural = _("новости и методическая копилка")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["organization", "status", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_on__isnull=False),
                name="post_published_has_date",
                violation_error_message=_("У опубликованной записи должна быть дата."),
            ),
        ]

    def __str__(self):
        return self.title


class PublicDocumentQuerySet(ScopedByOrganizationQuerySet):
    def published(self):
        return self.filter(is_published=True)


class PublicDocument(models.Model):
    """A document on the public page: the Положение as text, or a signed
    order shown as an extract without the names of people who did not
    consent to their publication (152-ФЗ ст. 10.1)."""

    class Kind(models.TextChoices):
        REGULATIONS = "regulations", _("Положение о системе наставничества")
        ORDER = "order", _("Приказ (выписка без персональных данных)")
        OTHER = "other", _("Иной документ")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="public_documents",
    )
    kind = models.CharField(_("вид документа"), max_length=12, choices=Kind.choices)
    title = models.CharField(
        _("заголовок"),
        max_length=500,
        blank=True,
        help_text=_("Для приказа можно не заполнять: берётся заголовок приказа."),
    )
    order = models.ForeignKey(
        Order,
        verbose_name=_("подписанный приказ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(
        _("текст документа"),
        blank=True,
        help_text=_("Для положения и иного документа. Абзацы — с новой строки."),
    )
    is_published = models.BooleanField(_("опубликован"), default=False)
    published_on = models.DateField(_("дата публикации"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем добавлен"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    objects = PublicDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("документ на странице")
        verbose_name_plural = _("документы на странице наставничества")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="order") & Q(order__isnull=False))
                | (~Q(kind="order") & Q(order__isnull=True) & ~Q(title="")),
                name="public_document_order_or_text",
                violation_error_message=_(
                    "Для приказа выберите подписанный приказ; для другого "
                    "документа укажите заголовок (и не выбирайте приказ)."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "order"],
                condition=Q(order__isnull=False),
                name="public_document_order_once",
                violation_error_message=_("Этот приказ уже есть на странице."),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_on__isnull=False),
                name="public_document_published_has_date",
                violation_error_message=_(
                    "У опубликованного документа должна быть дата публикации."
                ),
            ),
        ]

    def __str__(self):
        if self.title:
            return self.title
        return str(self.order) if self.order_id else str(self.get_kind_display())


class PageVersion(models.Model):
    """The version the organization's cached public pages are stored under;
    any change they show raises it (public.receivers), so a withdrawn consent
    takes the name off at once, in every process serving the site."""

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="page_version",
    )
    version = models.PositiveBigIntegerField(default=1)

    def __str__(self):
        return f"{self.organization_id}: {self.version}"
