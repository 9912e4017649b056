"""Pairs and groups, their participants, programs and meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .banks import MentoringForm
from .base import ScopedByOrganizationQuerySet, ScopedByPairQuerySet
from .people import Organization, Person


class PairQuerySet(ScopedByOrganizationQuerySet):
    def for_participant(self, user):
        return self.filter(
            pk__in=Participation.objects.filter(person__user=user).values("pair_id")
        )

    def open(self):
        """Pairs that still hold their participants: not completed or terminated."""
        return self.filter(status__in=Pair.OPEN_STATUSES)


class Pair(models.Model):
    """A mentoring unit: a pair, or a group (several mentees or mentors)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Проект")
        APPROVED = "approved", _("Утверждена приказом")
        ACTIVE = "active", _("Действует")
        # A participant's consent was withdrawn or expired (152-ФЗ ст. 9 ч. 2):
        # nothing new is recorded until the curator ends the pair or a new
        # consent lets it resume.
        SUSPENDED = "suspended", _("Приостановлена")
        COMPLETED = "completed", _("Завершена")
        TERMINATED = "terminated", _("Прекращена досрочно")

    class Format(models.TextChoices):
        TRADITIONAL = "traditional", _("Традиционная («один на один»)")
        GROUP = "group", _("Наставничество в группе")
        VIRTUAL = "virtual", _("Виртуальная (дистанционная)")
        SHORT_TERM = "short_term", _("Краткосрочная (целеполагающая)")
        REVERSE = "reverse", _("Реверсивная")
        SITUATIONAL = "situational", _("Ситуационная")
        SPEED = "speed", _("Скоростная")

    class TerminationReason(models.TextChoices):
        MENTOR = "mentor", _("По инициативе наставника")
        MENTEE = "mentee", _("По инициативе наставляемого")
        HEAD = "head", _("По инициативе руководителя")
        DISMISSAL = "dismissal", _("Увольнение")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Отзыв согласия")
        OTHER = "other", _("Иное")

    # Allowed moves (DOMAIN.md §b); anything else is refused by the service.
    # A suspended pair returns to where it was: a draft to a draft, a pair an
    # order approved to work (the service tells which from its order).
    TRANSITIONS = {
        Status.DRAFT: (Status.APPROVED, Status.SUSPENDED),
        Status.APPROVED: (Status.ACTIVE, Status.TERMINATED, Status.SUSPENDED),
        Status.ACTIVE: (Status.COMPLETED, Status.TERMINATED, Status.SUSPENDED),
        Status.SUSPENDED: (
            Status.DRAFT,
            Status.ACTIVE,
            Status.COMPLETED,
            Status.TERMINATED,
        ),
        Status.COMPLETED: (),
        Status.TERMINATED: (),
    }
    # A suspended pair still holds its places (the mentor's capacity, the
    # mentee's form): it may resume when the consent is renewed, and it must
    # not find its places taken. The curator frees them by ending the pair.
    OPEN_STATUSES = (Status.DRAFT, Status.APPROVED, Status.ACTIVE, Status.SUSPENDED)

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="pairs",
    )
    form = models.ForeignKey(
        MentoringForm,
        verbose_name=_("форма наставничества"),
        on_delete=models.PROTECT,
        related_name="pairs",
    )
    format = models.CharField(
        _("вид (формат)"),
        max_length=15,
        choices=Format.choices,
        default=Format.TRADITIONAL,
    )
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    starts_on = models.DateField(_("начало"), null=True, blank=True)
    ends_on = models.DateField(_("окончание (план)"), null=True, blank=True)
    goal = models.TextField(_("цель"), blank=True)
    termination_reason = models.CharField(
        _("причина прекращения"),
        max_length=20,
        choices=TerminationReason.choices,
        blank=True,
    )
    closed_on = models.DateField(
        _("дата завершения/прекращения"), null=True, blank=True
    )
    # Where a suspended pair returns when its consents are in order again.
    suspended_from = models.CharField(
        _("статус до приостановки"),
        max_length=12,
        choices=Status.choices,
        blank=True,
    )
    result = models.TextField(_("итог"), blank=True)
    # The order that assigns the pair; its appendix lists its pairs.
    order = models.ForeignKey(
        "mentoring.Order",
        verbose_name=_("приказ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    status_changed_at = models.DateTimeField(_("статус изменён"), null=True, blank=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("наставническая пара/группа")
        verbose_name_plural = _("наставнические пары и группы")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gt=models.F("starts_on")),
                name="pair_ends_after_start",
                violation_error_message=_("Окончание должно быть позже начала."),
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated")
                | (~Q(termination_reason="") & Q(closed_on__isnull=False)),
                name="pair_terminated_has_reason",
                violation_error_message=_(
                    "У досрочно прекращённой пары должны быть причина и дата."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(closed_on__isnull=False),
                name="pair_completed_has_date",
                violation_error_message=_(
                    "У завершённой пары должна быть дата завершения."
                ),
            ),
        ]

    def __str__(self):
        if self.pk is None:
            return str(_("Новая пара/группа"))
        return _("Пара/группа № %(pk)s") % {"pk": self.pk}

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Participation(models.Model):
    """A person's place in a pair or group, as a mentor or a mentee."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Наставник")
        MENTEE = "mentee", _("Наставляемый")

    pair = models.ForeignKey(
        Pair,
        verbose_name=_("пара/группа"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("участник"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("роль"), max_length=6, choices=Role.choices)

    objects = ScopedByPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("участник пары/группы")
        verbose_name_plural = _("участники пары/группы")
        ordering = ["role", "person__last_name", "person__first_name"]
        constraints = [
            # One row per person and pair: so nobody can mentor themselves.
            models.UniqueConstraint(
                fields=["pair", "person"],
                name="participation_person_once_per_pair",
                violation_error_message=_(
                    "Участник уже входит в эту пару/группу: нельзя быть наставником "
                    "самому себе или войти в пару дважды."
                ),
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}"


class Program(models.Model):
    """A personalized mentoring program (персонализированная программа)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Черновик")
        ON_APPROVAL = "on_approval", _("На согласовании")
        APPROVED = "approved", _("Утверждена")
        IN_PROGRESS = "in_progress", _("В реализации")
        DONE = "done", _("Выполнена")
        PARTIALLY_DONE = "partially_done", _("Выполнена частично")
        NOT_DONE = "not_done", _("Не выполнена")

    pair = models.OneToOneField(
        Pair,
        verbose_name=_("пара/группа"),
        on_delete=models.CASCADE,
        related_name="program",
    )
    goal = models.TextField(_("цель"))
    tasks = models.TextField(_("задачи"), blank=True)
    difficulties = models.TextField(_("выявленные затруднения"), blank=True)
    strengths = models.TextField(_("сильные стороны"), blank=True)
    expected_results = models.TextField(_("ожидаемые результаты"), blank=True)
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"))
    status = models.CharField(
        _("статус"), max_length=15, choices=Status.choices, default=Status.DRAFT
    )
    approved_on = models.DateField(_("утверждена"), null=True, blank=True)
    final_report = models.TextField(_("итоги (самоанализ)"), blank=True)

    objects = ScopedByPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("персонализированная программа")
        verbose_name_plural = _("персонализированные программы")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="program_ends_after_start",
                violation_error_message=_(
                    "Окончание программы должно быть позже начала."
                ),
            )
        ]

    def __str__(self):
        return _("Программа: %(pair)s") % {"pair": self.pair}


class ProgramItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Запланировано")
        DONE = "done", _("Выполнено")
        POSTPONED = "postponed", _("Перенесено")
        NOT_DONE = "not_done", _("Не выполнено")

    program = models.ForeignKey(
        Program,
        verbose_name=_("программа"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("№"), default=0)
    direction = models.CharField(
        _("направление (затруднение)"), max_length=500, blank=True
    )
    content = models.TextField(_("мероприятие, содержание"))
    due_on = models.DateField(_("срок"))
    form = models.CharField(_("форма"), max_length=255, blank=True)
    expected_result = models.CharField(
        _("планируемый результат"), max_length=500, blank=True
    )
    status = models.CharField(
        _("отметка о выполнении"),
        max_length=10,
        choices=Status.choices,
        default=Status.PLANNED,
    )
    done_on = models.DateField(_("выполнено"), null=True, blank=True)

    class Meta:
        verbose_name = _("пункт плана")
        verbose_name_plural = _("план мероприятий")
        ordering = ["program", "position", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="program_item_done_has_date",
                violation_error_message=_("Укажите дату выполнения."),
            )
        ]

    def __str__(self):
        return self.content[:80]


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ORGANIZATIONAL = "organizational", _("Организационная (знакомство)")
        TRIAL = "trial", _("Пробная рабочая")
        PLANNING = "planning", _("Планирование")
        REGULAR = "regular", _("Регулярная рабочая")
        FINAL = "final", _("Итоговая")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("Очно")
        REMOTE = "remote", _("Дистанционно")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Запланирована")
        HELD = "held", _("Проведена")
        POSTPONED = "postponed", _("Перенесена")
        CANCELLED = "cancelled", _("Отменена")

    pair = models.ForeignKey(
        Pair,
        verbose_name=_("пара/группа"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    kind = models.CharField(_("вид встречи"), max_length=15, choices=Kind.choices)
    starts_at = models.DateTimeField(_("дата и время"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("длительность, мин"), default=45
    )
    format = models.CharField(
        _("формат"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    topic = models.CharField(_("тема"), max_length=500)
    outcome = models.TextField(_("итог встречи"), blank=True)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )

    objects = ScopedByPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("встреча")
        verbose_name_plural = _("встречи")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["pair", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="meeting_duration_range",
                violation_error_message=_("Длительность встречи — от 5 до 480 минут."),
            )
        ]

    def __str__(self):
        day = date_format(timezone.localtime(self.starts_at), "SHORT_DATE_FORMAT")
        return f"{self.get_kind_display()}: {self.topic} ({day})"
