"""People and the mentoring itself: organizations, the two banks, consents,
pairs and groups, programs, meetings, and the audit trail."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Who counts as a minor for consent purposes (152-ФЗ: a legal representative consents).
AGE_OF_MAJORITY = 18


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def private_upload_path(instance, filename: str) -> str:
    """A random name: the uploader's file name may itself be personal data,
    and a guessable path must never be enough to reach a scan."""
    extension = Path(filename).suffix.lower()[:10]
    folder = instance._meta.model_name + "s"
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def limit_upload_size(file) -> None:
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Файл больше 10 МБ: отсканируйте документ с меньшим разрешением."),
            code="file_too_large",
        )


class Role(models.TextChoices):
    CURATOR = "curator", _("Куратор")
    DIRECTOR = "director", _("Руководитель")
    PSYCHOLOGIST = "psychologist", _("Педагог-психолог")
    METHODOLOGIST = "methodologist", _("Методист района")
    PARTICIPANT = "participant", _("Участник (наставник, наставляемый)")


ORGANIZATION_ROLES = (Role.CURATOR, Role.DIRECTOR, Role.PSYCHOLOGIST)


class District(models.Model):
    name = models.CharField(_("наименование"), max_length=255, unique=True)
    region = models.CharField(_("субъект РФ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("муниципальный район")
        verbose_name_plural = _("муниципальные районы")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.METHODOLOGIST:
            return self.filter(district_id=user.district_id)
        if user.organization_id:
            return self.filter(pk=user.organization_id)
        return self.none()


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
    order_number_suffix = models.CharField(
        _("суффикс номера приказа"),
        max_length=10,
        blank=True,
        help_text=_("Например «-од»: приказ № 63-од."),
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
            )
        ]

    def __str__(self):
        return self.short_name


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
        ]


class ScopedByOrganizationQuerySet(models.QuerySet):
    """Rows that belong to an organization (STYLE.md, «Access scoping»).

    Participants see what `for_participant` gives them: nothing, unless the
    model says otherwise.
    """

    def for_organization(self, organization_id):
        return self.filter(organization_id=organization_id)

    def for_district(self, district_id):
        return self.filter(organization__district_id=district_id)

    def for_participant(self, user):
        return self.none()

    def visible_to(self, user):
        return _scope(
            self,
            user,
            org="organization_id",
            district="organization__district_id",
            participant=self.for_participant,
        )


class PersonQuerySet(ScopedByOrganizationQuerySet):
    def for_participant(self, user):
        """A participant sees themselves and the people in their pairs."""
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
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)

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
            models.CheckConstraint(
                condition=~Q(category="student") | Q(birth_date__isnull=False),
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


class ScopedByPersonQuerySet(models.QuerySet):
    """Rows that belong to a person: seen where the person is seen."""

    def visible_to(self, user):
        return _scope(
            self,
            user,
            org="person__organization_id",
            district="person__organization__district_id",
            participant=lambda u: self.filter(person__user=u),
        )


class ScopedByPairQuerySet(models.QuerySet):
    """Rows that belong to a pair: seen where the pair is seen."""

    def visible_to(self, user):
        return _scope(
            self,
            user,
            org="pair__organization_id",
            district="pair__organization__district_id",
            participant=lambda u: self.filter(pair__in=Pair.objects.for_participant(u)),
        )


class ConsentQuerySet(ScopedByPersonQuerySet):
    def valid(self, on: datetime.date | None = None):
        """Consents in force on the day: given, not withdrawn, not expired."""
        day = on or timezone.localdate()
        return self.filter(
            Q(given_on__lte=day),
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


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
    valid_until = models.DateField(_("действует до"), null=True, blank=True)
    withdrawn_on = models.DateField(_("отозвано"), null=True, blank=True)
    scan = models.FileField(
        _("скан документа"),
        upload_to=private_upload_path,
        blank=True,
        validators=[
            FileExtensionValidator(["pdf", "jpg", "jpeg", "png"]),
            limit_upload_size,
        ],
        help_text=_("PDF, JPG или PNG, не больше 10 МБ."),
    )
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
                condition=~Q(kind="guardian") | ~Q(representative_name=""),
                name="consent_guardian_names_representative",
                violation_error_message=_(
                    "Укажите ФИО законного представителя, давшего согласие."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person} ({self.given_on:%d.%m.%Y})"

    def clean(self):
        if self.given_on and self.given_on > timezone.localdate():
            raise ValidationError(
                {"given_on": _("Согласие не может быть дано в будущем.")}, code="future"
            )

    def is_valid(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.given_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
            and (self.valid_until is None or self.valid_until >= day)
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
    notes = models.TextField(_("примечания"), blank=True)

    objects = ScopedByPersonQuerySet.as_manager()

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
        return f"{self.programme} ({self.completed_on:%d.%m.%Y})"


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
    notes = models.TextField(_("примечания"), blank=True)

    objects = ScopedByPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("наставляемый (банк)")
        verbose_name_plural = _("банк наставляемых")
        ordering = ["person__last_name", "person__first_name"]

    def __str__(self):
        return str(self.person)


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
    TRANSITIONS = {
        Status.DRAFT: (Status.APPROVED,),
        Status.APPROVED: (Status.ACTIVE, Status.TERMINATED),
        Status.ACTIVE: (Status.COMPLETED, Status.TERMINATED),
        Status.COMPLETED: (),
        Status.TERMINATED: (),
    }
    OPEN_STATUSES = (Status.DRAFT, Status.APPROVED, Status.ACTIVE)

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
        local = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()}: {self.topic} ({local:%d.%m.%Y})"


class AuditEntryQuerySet(ScopedByOrganizationQuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )


class AuditEntry(models.Model):
    """Who changed what and when: pairs, consents, bank entries, orders."""

    at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("действие"), max_length=50)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("вид записи"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("номер записи"))
    object_repr = models.CharField(_("объект"), max_length=255)
    message = models.CharField(_("описание"), max_length=500)
    data = models.JSONField(_("подробности"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("запись журнала")
        verbose_name_plural = _("журнал изменений")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{timezone.localtime(self.at):%d.%m.%Y %H:%M} {self.message}"


def _scope(qs, user, *, org: str, district: str, participant):
    """The one place that says who sees what (STYLE.md, «Access scoping»)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    if user.role in ORGANIZATION_ROLES:
        return qs.filter(**{org: user.organization_id})
    if user.role == Role.METHODOLOGIST:
        return qs.filter(**{district: user.district_id})
    if user.role == Role.PARTICIPANT:
        return participant(user)
    return qs.none()


# Orders refer to the models above; imported last (see the README's layout).
from .matching import (  # noqa: E402, F401  (needs the models above)
    MatchingRun,
    Preference,
    Suggestion,
    UnmatchedMentee,
)
from .orders import Order, OrderAcquaintance, OrderItem, OrderReward  # noqa: E402, F401
