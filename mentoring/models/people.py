"""Districts, organizations, logins, people and their consents."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .base import (
    AGE_OF_MAJORITY,
    ORGANIZATION_ROLES,
    Role,
    ScopedByOrganizationQuerySet,
    ScopedByPersonQuerySet,
    age_on,
    scan_field,
    scope_by_role,
)


class Region(models.Model):
    """A subject of the Federation: its regional mentoring centre sees the
    aggregates of its districts."""

    name = models.CharField(_("наименование"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("субъект РФ")
        verbose_name_plural = _("субъекты РФ")
        ordering = ["name"]

    def __str__(self):
        return self.name


class District(models.Model):
    name = models.CharField(_("наименование"), max_length=255, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("субъект РФ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
    )

    class Meta:
        verbose_name = _("муниципальный район")
        verbose_name_plural = _("муниципальные районы")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_by_role(
            self,
            user,
            org="pk",
            district="district_id",
            participant=lambda u: self.filter(pk=u.organization_id),
        )


class Organization(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("Общеобразовательная организация")
        KINDERGARTEN = "kindergarten", _("Дошкольная образовательная организация")
        ADDITIONAL = "additional", _("Организация дополнительного образования")
        COLLEGE = "college", _("Профессиональная образовательная организация (СПО)")

    district = models.ForeignKey(
        District,
        verbose_name=_("район"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    kind = models.CharField(
        _("тип"), max_length=20, choices=Kind.choices, default=Kind.SCHOOL
    )
    full_name = models.CharField(_("полное наименование"), max_length=500)
    short_name = models.CharField(_("сокращённое наименование"), max_length=255)
    address = models.CharField(_("адрес"), max_length=500, blank=True)
    place = models.CharField(
        _("место издания документов"),
        max_length=100,
        blank=True,
        help_text=_("Как в приказах, например «г. Санкт-Петербург»."),
    )
    head_position = models.CharField(
        _("должность руководителя"), max_length=100, default="Директор"
    )
    head_name = models.CharField(
        _("руководитель (И.О. Фамилия)"), max_length=255, blank=True
    )
    # The school's register of orders (журнал регистрации приказов): every
    # order it issues takes the next number, the mentoring ones among them.
    order_number_prefix = models.CharField(
        _("префикс номера приказа"),
        max_length=10,
        blank=True,
        help_text=_("Например «ОД-»: приказ № ОД-63. Обычно пусто."),
    )
    order_number_suffix = models.CharField(
        _("суффикс номера приказа"),
        max_length=10,
        blank=True,
        help_text=_("Например «-од»: приказ № 63-од."),
    )
    order_number_next = models.PositiveIntegerField(
        _("следующий номер приказа"),
        default=1,
        help_text=_(
            "Номер, который получит следующий подписанный приказ: как в журнале "
            "регистрации приказов школы."
        ),
    )
    order_number_year = models.PositiveSmallIntegerField(
        _("год журнала приказов"),
        null=True,
        blank=True,
        help_text=_("Календарный год, к которому относится следующий номер."),
    )
    order_numbers_reset_yearly = models.BooleanField(
        _("нумерация приказов с 1 каждый год"),
        default=True,
        help_text=_(
            "Снимите отметку, если номера приказов продолжаются из года в год."
        ),
    )

    class Signing(models.TextChoices):
        ELECTRONIC = "electronic", _("электронно")
        PAPER = "paper", _("на бумаге")

    # A school may keep signing on paper: its orders then print the usual
    # signature line, without the electronic signature mark.
    order_signing = models.CharField(
        _("подписывать приказы"),
        max_length=10,
        choices=Signing.choices,
        default=Signing.ELECTRONIC,
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("образовательная организация")
        verbose_name_plural = _("образовательные организации")
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "short_name"],
                name="organization_short_name_unique_in_district",
                violation_error_message=_(
                    "Организация с таким сокращённым наименованием в районе уже есть."
                ),
            ),
            models.CheckConstraint(
                condition=Q(order_number_next__gte=1),
                name="organization_order_number_next_positive",
                violation_error_message=_(
                    "Следующий номер приказа — целое число от 1."
                ),
            ),
        ]

    def __str__(self):
        return self.short_name

    @property
    def next_order_number(self) -> str:
        """«113-од»: the number the register gives next, as printed."""
        return (
            f"{self.order_number_prefix}{self.order_number_next}"
            f"{self.order_number_suffix}"
        )


class User(AbstractUser):
    """A login. Its role decides what it may see (see the `visible_to` filters)."""

    role = models.CharField(
        _("роль"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("район"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Для методиста района."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("субъект РФ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Для регионального центра наставничества."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in ORGANIZATION_ROLES])
                | Q(organization__isnull=False),
                name="user_staff_role_has_organization",
                violation_error_message=_(
                    "Куратору, руководителю и психологу нужна организация."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.METHODOLOGIST) | Q(district__isnull=False),
                name="user_methodologist_has_district",
                violation_error_message=_("Методисту района нужен район."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.REGIONAL) | Q(region__isnull=False),
                name="user_regional_has_region",
                violation_error_message=_(
                    "Региональному центру наставничества нужен субъект РФ."
                ),
            ),
        ]


class PersonQuerySet(ScopedByOrganizationQuerySet):
    def for_participant(self, user):
        """A participant sees themselves and the people in their pairs."""
        # pairs.py builds on this module: find Participation when asked.
        from .pairs import Participation

        own = Participation.objects.filter(person__user=user).values("pair_id")
        partners = Participation.objects.filter(pair_id__in=own).values("person_id")
        return self.filter(Q(user=user) | Q(pk__in=partners))


class Person(models.Model):
    class Category(models.TextChoices):
        TEACHER = "teacher", _("Педагогический работник")
        STUDENT = "student", _("Обучающийся")
        UNIVERSITY_STUDENT = "university_student", _("Студент")
        EMPLOYER = "employer", _("Представитель работодателя")
        OTHER = "other", _("Иной")

    class Gender(models.TextChoices):
        MALE = "male", _("мужской")
        FEMALE = "female", _("женский")

    class Qualification(models.TextChoices):
        NONE = "none", _("Без категории")
        CONFORMITY = "conformity", _("Соответствие занимаемой должности")
        FIRST = "first", _("Первая")
        HIGHEST = "highest", _("Высшая")
        METHODIST = "methodist", _("Педагог-методист")
        MENTOR = "mentor", _("Педагог-наставник")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    patronymic = models.CharField(_("отчество"), max_length=100, blank=True)
    gender = models.CharField(_("пол"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    category = models.CharField(_("категория"), max_length=20, choices=Category.choices)
    position = models.CharField(_("должность"), max_length=255, blank=True)
    subjects = models.CharField(
        _("предметы, направления"),
        max_length=500,
        blank=True,
        help_text=_("Через запятую: «математика, информатика»."),
    )
    teaching_since = models.DateField(
        _("начало педагогического стажа"), null=True, blank=True
    )
    qualification = models.CharField(
        _("квалификационная категория"),
        max_length=20,
        choices=Qualification.choices,
        blank=True,
    )
    school_class = models.CharField(
        _("класс/группа"), max_length=20, blank=True, help_text=_("Например «7Б».")
    )
    legal_representative = models.CharField(
        _("законный представитель (ФИО)"),
        max_length=255,
        blank=True,
        help_text=_("Для несовершеннолетних."),
    )
    email = models.EmailField(_("эл. почта"), blank=True)
    phone = models.CharField(_("телефон"), max_length=30, blank=True)
    # The key a re-import matches on: names change and namesakes share a
    # birthday more often than a school reuses its own number.
    school_id = models.CharField(
        _("идентификатор в школе"),
        max_length=50,
        blank=True,
        help_text=_("Номер из списков школы: личного дела, табельный или из АИС."),
    )
    # Corrections of how the name declines, where the library cannot know
    # (fleeting vowels, stress): used in every document's running text.
    name_genitive = models.CharField(
        _("ФИО в родительном падеже"),
        max_length=300,
        blank=True,
        help_text=_("Кого? Заполните, только если в документах склоняется неверно."),
    )
    name_dative = models.CharField(
        _("ФИО в дательном падеже"), max_length=300, blank=True, help_text=_("Кому?")
    )
    name_accusative = models.CharField(
        _("ФИО в винительном падеже"), max_length=300, blank=True, help_text=_("Кого?")
    )
    name_instrumental = models.CharField(
        _("ФИО в творительном падеже"), max_length=300, blank=True, help_text=_("Кем?")
    )
    name_prepositional = models.CharField(
        _("ФИО в предложном падеже"),
        max_length=300,
        blank=True,
        help_text=_("О ком?"),
    )
    # The position in an order's running text («назначить заместителя
    # директора …», «Куратору, заместителю директора …»), where pymorphy3
    # reads a word wrong or not at all.
    position_genitive = models.CharField(
        _("должность в родительном падеже"),
        max_length=255,
        blank=True,
        help_text=_("Кого? Заполните, только если в документах склоняется неверно."),
    )
    position_dative = models.CharField(
        _("должность в дательном падеже"),
        max_length=255,
        blank=True,
        help_text=_("Кому?"),
    )
    position_accusative = models.CharField(
        _("должность в винительном падеже"),
        max_length=255,
        blank=True,
        help_text=_("Кого?"),
    )
    position_instrumental = models.CharField(
        _("должность в творительном падеже"),
        max_length=255,
        blank=True,
        help_text=_("Кем?"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    # Another legal basis to keep the data after the consent ends (a court's
    # or a supervisor's request, a dispute): stated by the curator, with a term.
    retention_basis = models.CharField(
        _("иное основание хранения"),
        max_length=255,
        blank=True,
        help_text=_(
            "Законное основание хранить данные после отзыва или истечения согласия "
            "(например, запрос суда или органа контроля), с реквизитами."
        ),
    )
    retain_until = models.DateField(
        _("хранить до"),
        null=True,
        blank=True,
        help_text=_("До этого дня данные не обезличиваются."),
    )
    # Set once the data are destroyed: the row stays so pairs, meetings and
    # answers keep being counted, but it names nobody.
    anonymised_at = models.DateTimeField(_("обезличен"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("участник")
        verbose_name_plural = _("участники")
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [
            models.Index(fields=["organization", "last_name", "first_name"]),
            # The district's and superuser's lists sort everyone by name.
            models.Index(
                fields=["last_name", "first_name", "patronymic"], name="person_name_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "school_id"],
                condition=~Q(school_id=""),
                name="person_school_id_unique_in_organization",
                violation_error_message=_(
                    "Участник с таким идентификатором в школе уже есть."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(category="student")
                | Q(birth_date__isnull=False)
                | Q(anonymised_at__isnull=False),
                name="person_student_has_birth_date",
                violation_error_message=_(
                    "Укажите дату рождения обучающегося: от неё зависит, чьё "
                    "согласие нужно."
                ),
            ),
            models.CheckConstraint(
                condition=Q(teaching_since__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(teaching_since__gt=models.F("birth_date")),
                name="person_teaching_after_birth",
                violation_error_message=_(
                    "Педагогический стаж не может начинаться раньше даты рождения."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name

    def validate_constraints(self, exclude=None):
        # `anonymised_at` is on no form, yet the birth-date rule reads it: a
        # form that leaves it out must still get the rule's message, not a 500.
        if exclude:
            exclude = set(exclude) - {"anonymised_at"}
        super().validate_constraints(exclude=exclude)

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.last_name, self.first_name, self.patronymic) if p
        )

    @property
    def short_name(self) -> str:
        """«Иванова М.П.», as in the responsible column of a roadmap."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()

    def age(self, on: datetime.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, on or timezone.localdate())

    def is_minor(self, on: datetime.date | None = None) -> bool:
        age = self.age(on)
        return age is not None and age < AGE_OF_MAJORITY

    def experience_years(self, on: datetime.date | None = None) -> int | None:
        if self.teaching_since is None:
            return None
        return max(age_on(self.teaching_since, on or timezone.localdate()), 0)


def consent_withdrawn_by(day: datetime.date) -> Q:
    """Withdrawn on the day or before: from that day on it no longer holds."""
    return Q(withdrawn_on__lte=day)


def consent_expired_by(day: datetime.date) -> Q:
    """Its term ended before the day (it still holds on `valid_until` itself)."""
    return Q(valid_until__lt=day)


def consent_valid_on(day: datetime.date) -> Q:
    """The one rule for a consent in force on a day: given by then, neither
    withdrawn nor expired. `Consent.is_valid` says the same of one row in
    Python (tests/mentoring/test_consent_validity.py holds them together)."""
    return Q(given_on__lte=day) & ~consent_withdrawn_by(day) & ~consent_expired_by(day)


class ConsentQuerySet(ScopedByPersonQuerySet):
    def valid_on(self, day: datetime.date | None = None):
        """Consents in force on the day (today if not given)."""
        return self.filter(consent_valid_on(day or timezone.localdate()))

    # The name the services and other branches call.
    valid = valid_on

    def withdrawn_by(self, day: datetime.date | None = None):
        return self.filter(consent_withdrawn_by(day or timezone.localdate()))

    def expired_by(self, day: datetime.date | None = None):
        return self.filter(consent_expired_by(day or timezone.localdate()))


class Consent(models.Model):
    class Kind(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("На обработку персональных данных")
        GUARDIAN = (
            "guardian",
            _(
                "Законного представителя на обработку персональных данных несовершеннолетнего"
            ),
        )
        MENTOR_DUTIES = (
            "mentor_duties",
            _("На возложение дополнительных обязанностей наставника (ст. 351.8 ТК РФ)"),
        )
        DISTRIBUTION = "distribution", _("На распространение персональных данных")
        # 156-ФЗ (since 01.09.2025): transfer to third parties is consented to
        # by a document separate from the consent to processing.
        TRANSFER = "transfer", _("На передачу персональных данных третьим лицам")
        GUARDIAN_TRANSFER = (
            "guardian_transfer",
            _(
                "Законного представителя на передачу персональных данных "
                "несовершеннолетнего третьим лицам"
            ),
        )

    class Purpose(models.TextChoices):
        PROCESSING = "processing", _("обработка")
        TRANSFER = "transfer", _("передача третьим лицам")
        DISTRIBUTION = "distribution", _("распространение")
        DUTIES = "duties", _("обязанности наставника")

    # What each kind consents to; a guardian kind is the same purpose given
    # for a minor.
    PURPOSE_OF_KIND = {
        Kind.PERSONAL_DATA: Purpose.PROCESSING,
        Kind.GUARDIAN: Purpose.PROCESSING,
        Kind.TRANSFER: Purpose.TRANSFER,
        Kind.GUARDIAN_TRANSFER: Purpose.TRANSFER,
        Kind.DISTRIBUTION: Purpose.DISTRIBUTION,
        Kind.MENTOR_DUTIES: Purpose.DUTIES,
    }
    GUARDIAN_KINDS = (Kind.GUARDIAN, Kind.GUARDIAN_TRANSFER)

    class Medium(models.TextChoices):
        PAPER = "paper", _("на бумаге")
        ELECTRONIC = "electronic", _("в электронной форме")

    person = models.ForeignKey(
        Person,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    kind = models.CharField(_("вид согласия"), max_length=20, choices=Kind.choices)
    medium = models.CharField(
        _("форма"), max_length=12, choices=Medium.choices, default=Medium.PAPER
    )
    representative_name = models.CharField(
        _("законный представитель (ФИО)"), max_length=255, blank=True
    )
    purposes = models.TextField(
        _("цели обработки"),
        blank=True,
        default="Организация и сопровождение наставнической деятельности, "
        "мониторинг и отчётность по программе наставничества.",
    )
    given_on = models.DateField(_("дано"))
    # The date decides validity; the moment is the record 156-ФЗ asks for
    # (an electronic consent has it; a paper one dated earlier, its day's start).
    given_at = models.DateTimeField(_("дано (дата и время)"), default=timezone.now)
    text_version = models.CharField(
        _("редакция текста"),
        max_length=40,
        blank=True,
        help_text=_("Редакция бланка, на котором дано согласие."),
    )
    valid_until = models.DateField(_("действует до"), null=True, blank=True)
    withdrawn_on = models.DateField(_("отозвано"), null=True, blank=True)
    scan = scan_field(_("скан документа"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внесено"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("внесено в систему"), default=timezone.now)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["person", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("given_on")),
                name="consent_valid_until_after_given",
                violation_error_message=_(
                    "Срок действия согласия не может закончиться раньше даты его получения."
                ),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_(
                    "Согласие не может быть отозвано раньше, чем дано."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["guardian", "guardian_transfer"])
                | ~Q(representative_name=""),
                name="consent_guardian_names_representative",
                violation_error_message=_(
                    "Укажите ФИО законного представителя, давшего согласие."
                ),
            ),
        ]

    def __str__(self):
        day = date_format(self.given_on, "SHORT_DATE_FORMAT")
        return f"{self.get_kind_display()} — {self.person} ({day})"

    def clean(self):
        if self.given_on and self.given_on > timezone.localdate():
            raise ValidationError(
                {"given_on": _("Согласие не может быть дано в будущем.")}, code="future"
            )

    @property
    def purpose(self) -> str:
        return self.PURPOSE_OF_KIND[self.kind]

    def is_withdrawn(self, on: datetime.date | None = None) -> bool:
        """`consent_withdrawn_by`, for this row."""
        day = on or timezone.localdate()
        return self.withdrawn_on is not None and self.withdrawn_on <= day

    def is_expired(self, on: datetime.date | None = None) -> bool:
        """`consent_expired_by`, for this row."""
        day = on or timezone.localdate()
        return self.valid_until is not None and self.valid_until < day

    def is_valid(self, on: datetime.date | None = None) -> bool:
        """`consent_valid_on`, for this row (a prefetched list needs no query)."""
        day = on or timezone.localdate()
        return (
            self.given_on <= day
            and not self.is_withdrawn(day)
            and not self.is_expired(day)
        )


class ImportColumnMapping(models.Model):
    """What a column of an organization's own files holds, as its curator said.

    Schools keep their lists in the same shape year after year: the second
    import of a «Ф. И. О. полностью» column needs no question.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="import_mappings",
    )
    kind = models.CharField(_("что загружается"), max_length=20)
    header = models.CharField(_("заголовок столбца"), max_length=255)
    field = models.CharField(
        _("поле"), max_length=50, blank=True, help_text=_("Пусто: не загружать.")
    )

    objects = ScopedByOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("сопоставление столбца")
        verbose_name_plural = _("сопоставления столбцов")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "header"],
                name="import_mapping_unique_header",
            )
        ]

    def __str__(self):
        return f"{self.header} → {self.field or '—'}"
