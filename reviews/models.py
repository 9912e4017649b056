"""Review of a school's program or roadmap by its district (экспертиза).

A school sends a document for review; the district's methodologist approves
it or returns it with comments; the school sends it again. Each sending is a
row of its own, so the history of a document is its rows in order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.models import Organization, ScopedByOrganizationQuerySet
from mentoring.validators import validate_link
from roadmap.models import Roadmap


class ReviewQuerySet(ScopedByOrganizationQuerySet):
    def pending(self):
        return self.filter(status=Review.Status.PENDING)


class Review(models.Model):
    class Subject(models.TextChoices):
        PROGRAM = "program", _("Программа наставничества (положение)")
        ROADMAP = "roadmap", _("Дорожная карта")

    class Status(models.TextChoices):
        PENDING = "pending", _("На экспертизе")
        APPROVED = "approved", _("Одобрено")
        RETURNED = "returned", _("Возвращено на доработку")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    subject = models.CharField(
        _("что направлено"), max_length=10, choices=Subject.choices
    )
    roadmap = models.ForeignKey(
        Roadmap,
        verbose_name=_("дорожная карта"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )
    title = models.CharField(_("наименование документа"), max_length=500)
    # The program lives in the school's files or on its site: a page of
    # this site ("/roadmap/5/") or of another one (https://…).
    url = models.CharField(
        _("ссылка на документ"),
        max_length=500,
        blank=True,
        validators=[validate_link],
    )
    note = models.TextField(_("сопроводительное письмо"), blank=True)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("направил"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("направлено"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("решение принял"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("решение принято"), null=True, blank=True)
    comments = models.TextField(_("замечания методиста"), blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("экспертиза")
        verbose_name_plural = _("экспертиза программ")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["organization", "subject", "submitted_at"])]
        constraints = [
            # One document of a kind under review at a time: the methodologist
            # decides on the version the school stands by.
            models.UniqueConstraint(
                fields=["organization", "subject"],
                condition=Q(status="pending"),
                name="review_one_pending_per_subject",
                violation_error_message=_(
                    "Этот документ уже на экспертизе: дождитесь решения методиста."
                ),
            ),
            models.CheckConstraint(
                condition=Q(subject="roadmap", roadmap__isnull=False)
                | (~Q(subject="roadmap") & Q(roadmap__isnull=True)),
                name="review_roadmap_when_subject_is_roadmap",
                violation_error_message=_("Выберите дорожную карту."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status="pending", decided_by__isnull=True, decided_at__isnull=True
                )
                | (
                    ~Q(status="pending")
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="review_decision_has_who_and_when",
                violation_error_message=_("У решения должны быть автор и дата."),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(comments=""),
                name="review_returned_has_comments",
                violation_error_message=_(
                    "Напишите замечания: школа должна знать, что исправить."
                ),
            ),
        ]

    def __str__(self):
        return _("%(subject)s «%(title)s»") % {
            "subject": self.get_subject_display(),
            "title": self.short_title,
        }

    @property
    def short_title(self) -> str:
        title = " ".join(self.title.split())
        return title if len(title) <= 120 else title[:119].rstrip() + "…"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
