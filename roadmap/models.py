"""The implementation roadmap (дорожная карта): stages, activities, evidence."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.dates import academic_year_label
from mentoring.models import District, Organization, Person, scope_by_role
from mentoring.validators import validate_link as validate_site_link

from .deadlines import DeadlineKind


class RoadmapQuerySet(models.QuerySet):
    def for_organization(self, organization_id):
        """The school's own roadmaps and its district's, which it follows."""
        district = Organization.objects.filter(pk=organization_id).values("district_id")
        return self.filter(
            Q(organization_id=organization_id) | Q(district_id__in=district)
        )

    def for_district(self, district_id):
        return self.filter(
            Q(district_id=district_id) | Q(organization__district_id=district_id)
        )

    def visible_to(self, user):
        """Templates to every staff role; the rest by organization or district."""
        templates = Q(is_template=True)
        return scope_by_role(
            self,
            user,
            org=lambda pk: templates | Q(pk__in=self.for_organization(pk)),
            district=lambda pk: templates | Q(pk__in=self.for_district(pk)),
        )


class Roadmap(models.Model):
    class Layout(models.TextChoices):
        SCHOOL = (
            "school",
            _("Образовательной организации (этапы, сроки, ответственные)"),
        )
        DISTRICT = "district", _("Муниципальная (мероприятие, дата, ответственный)")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("район"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        help_text=_("Для дорожной карты района (ИМЦ) вместо организации."),
    )
    is_template = models.BooleanField(_("шаблон"), default=False)
    code = models.SlugField(
        _("код шаблона"), max_length=40, blank=True, help_text=_("Например «teachers».")
    )
    layout = models.CharField(
        _("вид таблицы"), max_length=10, choices=Layout.choices, default=Layout.SCHOOL
    )
    year = models.PositiveSmallIntegerField(
        _("учебный год (начало)"), help_text=_("2025 — это 2025/2026 учебный год.")
    )
    title = models.TextField(_("заголовок"))
    preamble = models.TextField(_("цель и задачи"), blank=True)
    approver_position = models.CharField(
        _("УТВЕРЖДАЮ: должность"), max_length=300, blank=True
    )
    approver_name = models.CharField(
        _("УТВЕРЖДАЮ: И.О. Фамилия"), max_length=255, blank=True
    )
    approval_order_number = models.CharField(
        _("приказ об утверждении: №"), max_length=30, blank=True
    )
    approval_order_on = models.DateField(
        _("приказ об утверждении: дата"), null=True, blank=True
    )
    adoption_protocol_number = models.CharField(
        _("ПРИНЯТ на педагогическом совете: протокол №"), max_length=30, blank=True
    )
    adopted_on = models.DateField(
        _("ПРИНЯТ на педагогическом совете: дата"), null=True, blank=True
    )
    # The source's own column headers, by role ("number", "stage",
    # "substage", "content", "deadline", "responsible"), printed instead of
    # ours; empty for a roadmap typed here.
    columns = models.JSONField(_("заголовки столбцов"), default=dict, blank=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        verbose_name = _("дорожная карта")
        verbose_name_plural = _("дорожные карты")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(is_template=True)
                    & Q(organization__isnull=True)
                    & Q(district__isnull=True)
                )
                | (
                    Q(is_template=False)
                    & (
                        Q(organization__isnull=False, district__isnull=True)
                        | Q(organization__isnull=True, district__isnull=False)
                    )
                ),
                name="roadmap_belongs_to_organization_or_district",
                violation_error_message=_(
                    "Дорожная карта принадлежит либо организации, либо району "
                    "(шаблон — никому)."
                ),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_template=True),
                name="roadmap_template_code_unique",
                violation_error_message=_("Шаблон с таким кодом уже есть."),
            ),
        ]

    def __str__(self):
        return _("%(title)s (%(year)s/%(next)s)") % {
            "title": self.short_title,
            "year": self.year,
            "next": self.year + 1,
        }

    @property
    def short_title(self) -> str:
        title = " ".join(self.title.split())
        return title if len(title) <= 120 else title[:119].rstrip() + "…"

    @property
    def owner(self):
        return self.organization or self.district

    @property
    def period(self) -> str:
        return academic_year_label(self.year)


class StageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(roadmap__in=Roadmap.objects.visible_to(user))


class Stage(models.Model):
    roadmap = models.ForeignKey(
        Roadmap,
        verbose_name=_("дорожная карта"),
        on_delete=models.CASCADE,
        related_name="stages",
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    number = models.CharField(
        _("№ этапа"), max_length=20, help_text=_("Как в документе: «1», «1.1», «5.2».")
    )
    name = models.TextField(_("наименование этапа"))

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("этап")
        verbose_name_plural = _("этапы")
        ordering = ["roadmap", "position", "pk"]
        constraints = [
            # «1» and «1.» are the same stage, written two ways.
            models.UniqueConstraint(
                Func(F("number"), Value("."), function="rtrim"),
                "roadmap",
                name="stage_number_unique_in_roadmap",
                violation_error_message=_(
                    "Этап с таким номером в дорожной карте уже есть."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"[:200]


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__roadmap__in=Roadmap.objects.visible_to(user))

    def open(self):
        return self.exclude(status=Activity.Status.DONE)


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Запланировано")
        IN_PROGRESS = "in_progress", _("В работе")
        DONE = "done", _("Выполнено")

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("этап"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    number = models.CharField(
        _("№"),
        max_length=20,
        blank=True,
        help_text=_("Как в документе, если он нумерует мероприятия: «1.1», «2»."),
    )
    # A sub-stage is a label its activities share, not a row of its own: a
    # roadmap without sub-stages stays stage → activity, and the printed
    # table merges the label's cell over its run of activities.
    substage_number = models.CharField(
        _("№ подэтапа"), max_length=20, blank=True, help_text=_("«1.1», «7.2.»")
    )
    substage_name = models.TextField(_("подэтап"), blank=True)
    code = models.SlugField(
        _("код"),
        max_length=40,
        blank=True,
        help_text=_(
            "Постоянный код мероприятия шаблона, например «form_pairs»: по нему "
            "подписанный приказ отмечает мероприятие выполненным."
        ),
    )
    content = models.TextField(_("содержание деятельности, мероприятие"))
    deadline_text = models.CharField(
        _("срок исполнения"),
        max_length=300,
        blank=True,
        help_text=_(
            "Как в документе: «Сентябрь – октябрь 2025 г.», «В течение года», "
            "«Постоянно»."
        ),
    )
    deadline_kind = models.CharField(
        _("вид срока"),
        max_length=15,
        choices=DeadlineKind.choices,
        default=DeadlineKind.NONE,
    )
    starts_on = models.DateField(_("начало срока"), null=True, blank=True)
    ends_on = models.DateField(_("окончание срока"), null=True, blank=True)
    responsible = models.ManyToManyField(
        Person,
        verbose_name=_("ответственные"),
        blank=True,
        related_name="roadmap_activities",
    )
    responsible_roles = models.CharField(
        _("ответственные (роли)"),
        max_length=500,
        blank=True,
        help_text=_("Текстом: «куратор», «ИМЦ», «ОУ», «наставники»."),
    )
    status = models.CharField(
        _("статус"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("выполнено"), null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["stage", "position", "pk"]
        indexes = [models.Index(fields=["status", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="activity_deadline_ends_after_start",
                violation_error_message=_(
                    "Окончание срока не может быть раньше его начала."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="activity_done_has_date",
                violation_error_message=_("Укажите дату выполнения мероприятия."),
            ),
        ]

    def __str__(self):
        return " ".join(self.content.split())[:100]


def validate_link(value: str) -> None:
    # Kept by this name for the migrations; the rule is the site's one.
    validate_site_link(value)


class Evidence(models.Model):
    """What proves an activity done: a signed order, a document, survey results."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    title = models.CharField(_("документ, результат"), max_length=500)
    # A page of this site ("/orders/5/pdf/") or of another one (https://…).
    url = models.CharField(
        _("ссылка"), max_length=500, blank=True, validators=[validate_link]
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    added_at = models.DateTimeField(_("добавлено"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("добавил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("подтверждение")
        verbose_name_plural = _("подтверждения выполнения")
        ordering = ["added_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "content_type", "object_id"],
                name="evidence_object_once_per_activity",
                violation_error_message=_(
                    "Этот документ уже подтверждает мероприятие."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def link(self) -> str:
        """The link if it passes today's check: one stored before it (a
        `/\\evil.example/` path) is shown as text, never followed."""
        try:
            validate_link(self.url)
        except ValidationError:
            return ""
        return self.url


class ReminderLog(models.Model):
    """A reminder sent: once per activity, person and threshold (0 = overdue)."""

    OVERDUE = 0

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("кому"),
        on_delete=models.CASCADE,
        related_name="roadmap_reminders",
    )
    threshold = models.PositiveSmallIntegerField(
        _("порог, дней"), help_text=_("0 — просрочено.")
    )
    deadline = models.DateField(_("срок на момент напоминания"), null=True)
    sent_at = models.DateTimeField(_("отправлено"), default=timezone.now)

    class Meta:
        verbose_name = _("напоминание")
        verbose_name_plural = _("напоминания")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person", "threshold"],
                name="reminder_once_per_activity_person_threshold",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.activity}"
