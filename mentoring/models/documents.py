"""Documents a form of mentoring requires of its participants, and a person's
documents on file (a certificate of no criminal record, ТК РФ ст. 351.1)."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .banks import MentoringForm
from .base import (
    ScopedByPersonQuerySet,
    scan_field,
)
from .people import Person


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class DocumentKind(models.TextChoices):
    # ТК РФ ст. 351.1 bars people with certain records from work with minors;
    # for outside mentors the school asks for the certificate by its own policy.
    CRIMINAL_RECORD = (
        "criminal_record",
        _("Справка о наличии (отсутствии) судимости"),
    )


class DocumentRequirement(models.Model):
    """A document a form of mentoring requires of one side of its pairs."""

    class Side(models.TextChoices):
        # The same values as Participation.Role: a requirement applies to a role.
        MENTOR = "mentor", _("Наставник")
        MENTEE = "mentee", _("Наставляемый")

    form = models.ForeignKey(
        MentoringForm,
        verbose_name=_("форма наставничества"),
        on_delete=models.CASCADE,
        related_name="document_requirements",
    )
    kind = models.CharField(_("документ"), max_length=30, choices=DocumentKind.choices)
    side = models.CharField(
        _("от кого"), max_length=10, choices=Side.choices, default=Side.MENTOR
    )
    categories = ArrayField(
        models.CharField(max_length=20, choices=Person.Category.choices),
        verbose_name=_("категории участников"),
        blank=True,
        default=list,
        help_text=_("Пусто — от всех участников этой стороны."),
    )
    only_with_minor = models.BooleanField(
        _("только если с другой стороны несовершеннолетний"), default=True
    )
    valid_months = models.PositiveSmallIntegerField(
        _("действует, месяцев с даты выдачи"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_(
            "Срок, который принимает организация. Пусто — без срока, пока "
            "документ не заменён."
        ),
    )
    basis = models.CharField(
        _("основание"),
        max_length=255,
        blank=True,
        help_text=_("Например «ст. 351.1 ТК РФ»."),
    )
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        verbose_name = _("документ, требуемый формой")
        verbose_name_plural = _("документы, требуемые формами")
        ordering = ["form__position", "form__name", "side", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "kind", "side"],
                name="document_requirement_unique",
                violation_error_message=_(
                    "Этот документ для этой стороны формы уже требуется."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_months__isnull=True)
                | Q(valid_months__gte=1, valid_months__lte=120),
                name="document_requirement_months_range",
                violation_error_message=_(
                    "Срок действия — от 1 до 120 месяцев или без срока."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.form}: {self.get_kind_display()} ({self.get_side_display()})"

    def applies_to(self, person: Person) -> bool:
        return not self.categories or person.category in self.categories

    def expires_on(self, issued_on: datetime.date) -> datetime.date | None:
        """The day after which a document issued on `issued_on` no longer counts."""
        if self.valid_months is None:
            return None
        return add_months(issued_on, self.valid_months) - datetime.timedelta(days=1)


class PersonDocumentQuerySet(ScopedByPersonQuerySet):
    def current(self):
        """The document of each kind that counts: the ones not replaced."""
        return self.filter(replaced_at__isnull=True)

    def expiring(self, *, on: datetime.date, days: int = 30):
        """Current documents valid on the day but ending within `days` days."""
        return self.current().filter(
            valid_until__gte=on, valid_until__lte=on + datetime.timedelta(days=days)
        )

    def expired(self, *, on: datetime.date):
        return self.current().filter(valid_until__lt=on)


class PersonDocument(models.Model):
    """A document a person has presented: what it is, when issued, until when."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("документ"), max_length=30, choices=DocumentKind.choices)
    number = models.CharField(_("номер"), max_length=50, blank=True)
    issued_on = models.DateField(_("дата выдачи"))
    valid_until = models.DateField(
        _("действует до"),
        null=True,
        blank=True,
        help_text=_(
            "Если пусто — по сроку, который требуют формы наставничества "
            "(месяцев с даты выдачи)."
        ),
    )
    issued_by = models.CharField(
        _("кем выдан"),
        max_length=255,
        blank=True,
        help_text=_("Например «ГУ МВД России по г. Санкт-Петербургу»."),
    )
    scan = scan_field(_("скан документа"))
    replaced_at = models.DateTimeField(_("заменён"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внесено"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("внесено в систему"), default=timezone.now)

    objects = PersonDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("документ участника")
        verbose_name_plural = _("документы участников")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["valid_until"], name="person_document_until")]
        constraints = [
            # A replaced document stays as history; one of each kind counts.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(replaced_at__isnull=True),
                name="person_document_one_current_per_kind",
                violation_error_message=_(
                    "У участника уже есть такой документ: замените его новым."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("issued_on")),
                name="person_document_valid_after_issued",
                violation_error_message=_(
                    "Документ не может перестать действовать раньше даты выдачи."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person} ({date_format(self.issued_on, 'SHORT_DATE_FORMAT')})"

    def clean(self):
        if self.issued_on and self.issued_on > timezone.localdate():
            raise ValidationError(
                {"issued_on": _("Документ не может быть выдан в будущем.")},
                code="future",
            )
