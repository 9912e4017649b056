"""Forms of mentoring and the two banks: mentors and mentees."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .base import ScopedByPersonQuerySet, scope_by_role
from .people import Person


class BankQuerySet(ScopedByPersonQuerySet):
    """Bank entries, scoped by their own copy of the person's organization."""

    def visible_to(self, user):
        return scope_by_role(
            self,
            user,
            org="organization_id",
            district="organization__district_id",
            participant=lambda u: self.filter(person__user=u),
        )


class MentoringForm(models.Model):
    """A form of mentoring: who mentors whom (Р-145 and the 2021 teachers' model)."""

    class Stream(models.TextChoices):
        STUDENTS = "students", _("Наставничество обучающихся")
        TEACHERS = "teachers", _("Наставничество педагогических работников")

    code = models.SlugField(_("код"), max_length=50, unique=True)
    name = models.CharField(_("наименование"), max_length=255, unique=True)
    stream = models.CharField(_("направление"), max_length=10, choices=Stream.choices)
    mentor_categories = ArrayField(
        models.CharField(max_length=20, choices=Person.Category.choices),
        verbose_name=_("категории наставников"),
    )
    mentee_categories = ArrayField(
        models.CharField(max_length=20, choices=Person.Category.choices),
        verbose_name=_("категории наставляемых"),
    )
    is_federal = models.BooleanField(
        _("из Р-145"),
        default=False,
        help_text=_("Одна из пяти форм распоряжения Р-145."),
    )
    is_active = models.BooleanField(_("используется"), default=True)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("форма наставничества")
        verbose_name_plural = _("формы наставничества")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class BankStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Кандидат")
    IN_BANK = "in_bank", _("В банке")
    DECLINED = "declined", _("Отказался")
    EXCLUDED = "excluded", _("Исключён")
    ARCHIVED = "archived", _("В архиве")


class MentorProfile(models.Model):
    """An entry in the bank of mentors (банк наставников)."""

    person = models.OneToOneField(
        Person,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="mentor_profile",
    )
    status = models.CharField(
        _("статус в банке"),
        max_length=10,
        choices=BankStatus.choices,
        default=BankStatus.IN_BANK,
    )
    competencies = models.TextField(
        _("компетенции"), blank=True, help_text=_("Чем наставник может поделиться.")
    )
    forms = models.ManyToManyField(
        MentoringForm,
        verbose_name=_("формы наставничества"),
        blank=True,
        related_name="mentor_profiles",
    )
    capacity = models.PositiveSmallIntegerField(
        _("наставляемых не более"),
        default=2,
        help_text=_("Сколько наставляемых наставник ведёт одновременно."),
    )
    entered_on = models.DateField(_("включён в банк"), default=timezone.localdate)
    archived_on = models.DateField(_("в архиве с"), null=True, blank=True)
    archive_reason = models.CharField(
        _("причина перевода в архив"), max_length=255, blank=True
    )
    notes = models.TextField(_("примечания"), blank=True)
    # The person's organization, written and kept by database triggers
    # (migration 0023_bank_organization): a school's bank is read through this
    # index, not by joining every school's entries to the school's people,
    # which PostgreSQL hashed over the whole district (issue 15).
    organization = models.ForeignKey(
        "Organization",
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        null=True,
        editable=False,
        related_name="+",
    )

    objects = BankQuerySet.as_manager()

    class Meta:
        verbose_name = _("наставник (банк)")
        verbose_name_plural = _("банк наставников")
        ordering = ["person__last_name", "person__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=30),
                name="mentor_capacity_range",
                violation_error_message=_(
                    "Наставник может вести от 1 до 30 наставляемых."
                ),
            )
        ]

    def __str__(self):
        return str(self.person)


class MentorTraining(models.Model):
    class Kind(models.TextChoices):
        SESSION = "session", _("Установочная сессия")
        COURSE = "course", _("Курсы повышения квалификации")
        CONSULTATION = "consultation", _("Консультация")
        SEMINAR = "seminar", _("Семинар")

    mentor = models.ForeignKey(
        MentorProfile,
        verbose_name=_("наставник"),
        on_delete=models.CASCADE,
        related_name="trainings",
    )
    kind = models.CharField(_("вид обучения"), max_length=15, choices=Kind.choices)
    programme = models.CharField(_("программа"), max_length=500)
    completed_on = models.DateField(_("дата"))
    hours = models.PositiveSmallIntegerField(_("часов"), null=True, blank=True)
    certificate = models.CharField(
        _("документ (удостоверение, сертификат)"), max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("обучение наставника")
        verbose_name_plural = _("обучение наставников")
        ordering = ["-completed_on"]

    def __str__(self):
        day = date_format(self.completed_on, "SHORT_DATE_FORMAT")
        return f"{self.programme} ({day})"


class MenteeProfile(models.Model):
    """An entry in the bank of mentees (банк наставляемых)."""

    class Category(models.TextChoices):
        YOUNG_SPECIALIST = "young_specialist", _("Молодой специалист (стаж 0–3 года)")
        NEW_EMPLOYEE = "new_employee", _("Вновь принятый педагогический работник")
        CHANGED_POSITION = (
            "changed_position",
            _("Педагог, сменивший место работы или должность"),
        )
        DIFFICULTIES = (
            "difficulties",
            _("Педагог, испытывающий профессиональные затруднения"),
        )
        NEW_TECHNOLOGIES = (
            "new_technologies",
            _("Педагог, осваивающий новые технологии"),
        )
        BURNOUT = "burnout", _("Педагог в состоянии профессионального выгорания")
        BY_REQUEST = "by_request", _("Педагог по собственному запросу")
        TRAINEE = "trainee", _("Студент-практикант")
        UNDERACHIEVING = "underachieving", _("Неуспевающий обучающийся")
        PASSIVE = "passive", _("Пассивный, демотивированный обучающийся")
        SPECIAL_NEEDS = (
            "special_needs",
            _("Обучающийся с особыми образовательными потребностями"),
        )
        GIFTED = "gifted", _("Одарённый обучающийся")
        ADAPTING = "adapting", _("Адаптирующийся обучающийся (новичок)")

    class Source(models.TextChoices):
        SELF = "self", _("Самозапрос")
        HEAD = "head", _("Руководитель")
        CLASS_TEACHER = "class_teacher", _("Классный руководитель")
        PSYCHOLOGIST = "psychologist", _("Педагог-психолог")
        PARENTS = "parents", _("Родители")

    person = models.OneToOneField(
        Person,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="mentee_profile",
    )
    status = models.CharField(
        _("статус в банке"),
        max_length=10,
        choices=BankStatus.choices,
        default=BankStatus.IN_BANK,
    )
    category = models.CharField(
        _("категория наставляемого"), max_length=20, choices=Category.choices
    )
    requests = models.TextField(
        _("запросы"),
        blank=True,
        help_text=_(
            "Профессиональные или образовательные запросы, по одному в строке."
        ),
    )
    difficulties = models.TextField(_("затруднения (дефициты)"), blank=True)
    desired_forms = models.ManyToManyField(
        MentoringForm,
        verbose_name=_("желаемые формы"),
        blank=True,
        related_name="mentee_profiles",
    )
    source = models.CharField(
        _("источник запроса"),
        max_length=15,
        choices=Source.choices,
        default=Source.SELF,
    )
    entered_on = models.DateField(_("включён в банк"), default=timezone.localdate)
    archived_on = models.DateField(_("в архиве с"), null=True, blank=True)
    archive_reason = models.CharField(
        _("причина перевода в архив"), max_length=255, blank=True
    )
    notes = models.TextField(_("примечания"), blank=True)
    # The person's organization, written and kept by database triggers
    # (migration 0023_bank_organization): a school's bank is read through this
    # index, not by joining every school's entries to the school's people,
    # which PostgreSQL hashed over the whole district (issue 15).
    organization = models.ForeignKey(
        "Organization",
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        null=True,
        editable=False,
        related_name="+",
    )

    objects = BankQuerySet.as_manager()

    class Meta:
        verbose_name = _("наставляемый (банк)")
        verbose_name_plural = _("банк наставляемых")
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self):
        return str(self.person)
