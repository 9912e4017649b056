"""Factories for every model; states are traits (`PairFactory(active=True)`)."""

import datetime
import importlib
from pathlib import Path

import factory
from django.apps import apps as django_apps
from django.utils import timezone
from factory.django import DjangoModelFactory

from mentoring.consent_texts import current_text_version
from mentoring.models import (
    BankStatus,
    Consent,
    District,
    DocumentKind,
    Meeting,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    MentorTraining,
    Organization,
    Pair,
    Participation,
    Person,
    PersonDocument,
    Program,
    ProgramItem,
    Region,
    Role,
    User,
)
from mentoring.services.consents import consent_given_at

TODAY = datetime.date.today


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February in a common year
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Субъект РФ {n}")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Невский район {n}")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    district = factory.SubFactory(DistrictFactory)
    full_name = factory.Sequence(
        lambda n: (
            f"Государственное бюджетное общеобразовательное учреждение гимназия № {n}"
        )
    )
    short_name = factory.Sequence(lambda n: f"ГБОУ гимназия № {n}")
    place = "г. Санкт-Петербург"
    head_name = "С.А. Анисимова"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.PARTICIPANT
    password = factory.PostGenerationMethodCall("set_password", "пароль-для-тестов")

    class Params:
        curator = factory.Trait(
            role=Role.CURATOR,
            is_staff=True,
            organization=factory.SubFactory(OrganizationFactory),
        )
        director = factory.Trait(
            role=Role.DIRECTOR, organization=factory.SubFactory(OrganizationFactory)
        )
        psychologist = factory.Trait(
            role=Role.PSYCHOLOGIST, organization=factory.SubFactory(OrganizationFactory)
        )
        methodologist = factory.Trait(
            role=Role.METHODOLOGIST,
            is_staff=True,
            district=factory.SubFactory(DistrictFactory),
        )
        regional = factory.Trait(
            role=Role.REGIONAL, region=factory.SubFactory(RegionFactory)
        )

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(DjangoModelFactory):
    """An adult teacher by default; traits for the other categories."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    last_name = factory.Iterator(
        ["Иванова", "Петрова", "Сидорова", "Кузнецова", "Смирнова"]
    )
    first_name = factory.Iterator(["Мария", "Анна", "Ольга", "Елена", "Татьяна"])
    patronymic = factory.Iterator(["Петровна", "Сергеевна", "Ивановна", "Олеговна"])
    gender = Person.Gender.FEMALE
    category = Person.Category.TEACHER
    birth_date = factory.LazyFunction(lambda: years_ago(40))
    position = "учитель математики"
    teaching_since = factory.LazyFunction(lambda: years_ago(15))

    class Params:
        male = factory.Trait(
            gender=Person.Gender.MALE,
            last_name=factory.Iterator(["Петров", "Соколов", "Морозов", "Волков"]),
            first_name=factory.Iterator(["Иван", "Сергей", "Алексей", "Дмитрий"]),
            patronymic=factory.Iterator(["Сергеевич", "Иванович", "Петрович"]),
        )
        young = factory.Trait(
            birth_date=factory.LazyFunction(lambda: years_ago(24)),
            teaching_since=factory.LazyFunction(lambda: years_ago(1)),
            position="учитель русского языка",
        )
        student = factory.Trait(
            category=Person.Category.STUDENT,
            birth_date=factory.LazyFunction(lambda: years_ago(13)),
            teaching_since=None,
            position="",
            school_class="7Б",
            legal_representative="Иванов Пётр Сергеевич",
        )
        adult_student = factory.Trait(
            category=Person.Category.STUDENT,
            birth_date=factory.LazyFunction(lambda: years_ago(18, days=30)),
            teaching_since=None,
            position="",
            school_class="11А",
        )
        university_student = factory.Trait(
            category=Person.Category.UNIVERSITY_STUDENT,
            birth_date=factory.LazyFunction(lambda: years_ago(20)),
            teaching_since=None,
            position="студент РГПУ им. А.И. Герцена",
        )
        employer = factory.Trait(
            category=Person.Category.EMPLOYER,
            teaching_since=None,
            position="инженер ООО «Пример»",
        )
        # A person ready for work: the consents their category needs.
        consented = factory.Trait(
            consent=factory.RelatedFactory(
                "tests.factories.ConsentFactory",
                factory_related_name="person",
                kind=factory.LazyAttribute(
                    lambda c: (
                        Consent.Kind.GUARDIAN
                        if c.factory_parent.is_minor
                        else Consent.Kind.PERSONAL_DATA
                    )
                ),
            ),
            duties_consent=factory.RelatedFactory(
                "tests.factories.ConsentFactory",
                factory_related_name="person",
                kind=Consent.Kind.MENTOR_DUTIES,
            ),
        )
        # An outside adult cleared to work with minors (ТК РФ ст. 351.1).
        cleared = factory.Trait(
            record_certificate=factory.RelatedFactory(
                "tests.factories.PersonDocumentFactory",
                factory_related_name="person",
            )
        )
        is_minor = factory.LazyAttribute(
            lambda o: o.birth_date is not None and o.birth_date > years_ago(18)
        )


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    kind = Consent.Kind.PERSONAL_DATA
    given_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=30)
    )
    representative_name = factory.LazyAttribute(
        lambda c: "Иванов Пётр Сергеевич" if c.kind in Consent.GUARDIAN_KINDS else ""
    )
    given_at = factory.LazyAttribute(lambda c: consent_given_at(c.given_on))
    text_version = factory.LazyAttribute(lambda c: current_text_version(c.kind))

    class Params:
        withdrawn = factory.Trait(
            withdrawn_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=1)
            )
        )
        expired = factory.Trait(
            given_on=factory.LazyFunction(lambda: years_ago(2)),
            valid_until=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=1)
            ),
        )


class PersonDocumentFactory(DjangoModelFactory):
    """A certificate of no criminal record, issued two months ago for a year."""

    class Meta:
        model = PersonDocument

    person = factory.SubFactory(PersonFactory, employer=True)
    kind = DocumentKind.CRIMINAL_RECORD
    number = factory.Sequence(lambda n: f"{n:07d}/Д")
    issued_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=60)
    )
    valid_until = factory.LazyAttribute(
        lambda d: d.issued_on + datetime.timedelta(days=364)
    )
    issued_by = "ГУ МВД России по г. Санкт-Петербургу и Ленинградской области"

    class Params:
        expired = factory.Trait(
            issued_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=400)
            ),
            valid_until=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=36)
            ),
        )
        expiring = factory.Trait(
            issued_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=350)
            ),
            valid_until=factory.LazyFunction(
                lambda: timezone.localdate() + datetime.timedelta(days=10)
            ),
        )


FORMS_FIXTURE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "mentoring_forms.json"
)


# What the data migrations load and the code relies on, with how to tell it is there.
CATALOGUES = [
    (
        "mentoring",
        "0002_mentoring_forms_catalogue",
        "load_forms",
        "mentoring.MentoringForm",
        {},
    ),
    (
        "mentoring",
        "0010_form_documents",
        "seed_requirements",
        "mentoring.DocumentRequirement",
        {},
    ),
    (
        "roadmap",
        "0002_roadmap_templates",
        "load_templates",
        "roadmap.Roadmap",
        {"is_template": True},
    ),
    (
        "surveys",
        "0002_standard_questionnaires",
        "load_questionnaires",
        "surveys.Questionnaire",
        {"is_standard": True},
    ),
]


def ensure_catalogue() -> None:
    """Restore the catalogues the data migrations load.

    Transactional tests (browser, races) flush every table afterwards, the
    catalogues too; the tests that follow expect them, as production has them.
    """
    for app, migration, loader, model, lookup in CATALOGUES:
        if not django_apps.get_model(model).objects.filter(**lookup).exists():
            module = importlib.import_module(f"{app}.migrations.{migration}")
            getattr(module, loader)(django_apps, None)


def form(code: str) -> MentoringForm:
    """A form from the catalogue the data migration loads."""
    ensure_catalogue()
    return MentoringForm.objects.get(code=code)


class MentorProfileFactory(DjangoModelFactory):
    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory, consented=True)
    status = BankStatus.IN_BANK
    capacity = 2
    competencies = "Подготовка к ОГЭ, формирующее оценивание"

    @factory.post_generation
    def forms(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.forms.set(extracted)


class MentorTrainingFactory(DjangoModelFactory):
    class Meta:
        model = MentorTraining

    mentor = factory.SubFactory(MentorProfileFactory)
    kind = MentorTraining.Kind.SESSION
    programme = "Установочная сессия наставников"
    completed_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=60)
    )
    hours = 4


class MenteeProfileFactory(DjangoModelFactory):
    class Meta:
        model = MenteeProfile

    person = factory.SubFactory(PersonFactory, consented=True, young=True)
    status = BankStatus.IN_BANK
    category = MenteeProfile.Category.YOUNG_SPECIALIST
    requests = "Планирование уроков по ФОП\nРабота с родителями"


class PairFactory(DjangoModelFactory):
    """A draft teacher–teacher pair with one mentor and one mentee in the banks."""

    class Meta:
        model = Pair
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    form = factory.LazyFunction(lambda: form("teacher-teacher"))
    status = Pair.Status.DRAFT
    starts_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=60)
    )
    ends_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=200)
    )

    class Params:
        approved = factory.Trait(status=Pair.Status.APPROVED)
        active = factory.Trait(status=Pair.Status.ACTIVE)
        completed = factory.Trait(
            status=Pair.Status.COMPLETED,
            closed_on=factory.LazyFunction(timezone.localdate),
        )

    @factory.post_generation
    def people(obj, create, extracted, **kwargs):
        """`people=False` leaves the pair empty; by default one mentor and one mentee."""
        if not create or extracted is False:
            return
        mentor = MentorProfileFactory(person__organization=obj.organization).person
        mentee = MenteeProfileFactory(person__organization=obj.organization).person
        Participation.objects.create(
            pair=obj, person=mentor, role=Participation.Role.MENTOR
        )
        Participation.objects.create(
            pair=obj, person=mentee, role=Participation.Role.MENTEE
        )


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    pair = factory.SubFactory(PairFactory, people=False)
    person = factory.SubFactory(PersonFactory)
    role = Participation.Role.MENTEE


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    pair = factory.SubFactory(PairFactory, active=True)
    goal = "Адаптация молодого специалиста в коллективе и профессии"
    tasks = "Освоить планирование уроков; выстроить работу с родителями"
    starts_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=30)
    )
    ends_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=240)
    )
    status = Program.Status.APPROVED


class ProgramItemFactory(DjangoModelFactory):
    class Meta:
        model = ProgramItem

    program = factory.SubFactory(ProgramFactory)
    position = factory.Sequence(int)
    direction = "Планирование уроков"
    content = "Совместная разработка технологической карты урока"
    due_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=20)
    )
    form = "Консультация"


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    pair = factory.SubFactory(PairFactory, active=True)
    kind = Meeting.Kind.REGULAR
    starts_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=3)
    )
    topic = "Разбор открытого урока"
    status = Meeting.Status.HELD


# ---------------------------------------------------------------- orders

from mentoring.models import Order, OrderAcquaintance, OrderItem  # noqa: E402


class OrderFactory(DjangoModelFactory):
    """A draft order of the organization, with two items; traits for the statuses."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    kind = Order.Kind.PAIRS
    title = "О закреплении наставнических пар (групп) на 2026/2027 учебный год"
    preamble = (
        "В соответствии с Положением о системе наставничества, статьёй 351.8 "
        "Трудового кодекса Российской Федерации"
    )
    place = factory.LazyAttribute(lambda o: o.organization.place)

    class Params:
        on_signature = factory.Trait(
            status=Order.Status.ON_SIGNATURE,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        returned = factory.Trait(
            status=Order.Status.RETURNED,
            director_comment="Уточните сроки.",
            decided_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):
        """`items=[]` leaves the order without items; by default two."""
        if not create:
            return
        texts = (
            extracted
            if extracted is not None
            else [
                "Закрепить наставнические пары (группы) согласно приложению.",
                "Контроль за исполнением настоящего приказа оставляю за собой.",
            ]
        )
        for position, text in enumerate(texts, start=1):
            OrderItem.objects.create(order=obj, position=position, text=text)


class OrderAcquaintanceFactory(DjangoModelFactory):
    class Meta:
        model = OrderAcquaintance

    order = factory.SubFactory(OrderFactory)
    person = factory.SubFactory(
        PersonFactory, organization=factory.SelfAttribute("..order.organization")
    )


# ---------------------------------------------------------------- roadmap

from mentoring.dates import academic_year  # noqa: E402
from roadmap.deadlines import parse_deadline  # noqa: E402
from roadmap.models import Activity, Roadmap, Stage  # noqa: E402


class RoadmapFactory(DjangoModelFactory):
    """A school's roadmap for the current academic year."""

    class Meta:
        model = Roadmap

    organization = factory.SubFactory(OrganizationFactory)
    year = factory.LazyFunction(academic_year)
    title = factory.LazyAttribute(
        lambda r: (
            f"Дорожная карта реализации системы наставничества на {r.year}/"
            f"{r.year + 1} учебный год"
        )
    )

    class Params:
        of_district = factory.Trait(
            organization=None, district=factory.SubFactory(DistrictFactory)
        )


class StageFactory(DjangoModelFactory):
    class Meta:
        model = Stage

    roadmap = factory.SubFactory(RoadmapFactory)
    position = factory.Sequence(int)
    number = factory.Sequence(lambda n: str(n + 1))
    name = "Формирование банка наставляемых"


class ActivityFactory(DjangoModelFactory):
    """An activity due on `ends_on` (a date), planned by default."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    stage = factory.SubFactory(StageFactory)
    position = factory.Sequence(int)
    content = "Сбор информации о профессиональных запросах педагогов."
    deadline_text = "В течение года"
    deadline_kind = factory.LazyAttribute(
        lambda a: parse_deadline(a.deadline_text, year=a.stage.roadmap.year).kind
    )
    starts_on = factory.LazyAttribute(
        lambda a: parse_deadline(a.deadline_text, year=a.stage.roadmap.year).starts_on
    )
    ends_on = factory.LazyAttribute(
        lambda a: parse_deadline(a.deadline_text, year=a.stage.roadmap.year).ends_on
    )

    class Params:
        done = factory.Trait(
            status=Activity.Status.DONE,
            done_on=factory.LazyFunction(timezone.localdate),
        )

    @factory.post_generation
    def responsible(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.responsible.set(extracted)


# ---------------------------------------------------------------- surveys

from surveys.models import (  # noqa: E402
    Question,
    Questionnaire,
    QuestionnaireVersion,
)


def questionnaire(code: str) -> Questionnaire:
    """A standard questionnaire loaded by the surveys data migration.

    Transactional tests flush it like every table; it is loaded again from
    the same fixture by the migration's own function.
    """
    found = Questionnaire.objects.filter(code=code).first()
    if found:
        return found
    from django.apps import apps

    migration = importlib.import_module(
        "surveys.migrations.0002_standard_questionnaires"
    )
    migration.load_questionnaires(apps, None)
    return Questionnaire.objects.get(code=code)


class QuestionnaireFactory(DjangoModelFactory):
    """An organization's own questionnaire: one version, a scale and a text."""

    class Meta:
        model = Questionnaire
        skip_postgeneration_save = True

    kind = Questionnaire.Kind.CUSTOM
    audience = Questionnaire.Audience.MENTEE
    title = factory.Sequence(lambda n: f"Анкета № {n}")
    organization = factory.SubFactory(OrganizationFactory)

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        version = QuestionnaireVersion.objects.create(questionnaire=obj, number=1)
        rows = extracted or [
            {"code": "rating", "text": "Оцените встречу", "kind": "scale"},
            {
                "code": "comment",
                "text": "Комментарий",
                "kind": "long_text",
                "is_required": False,
            },
        ]
        for position, row in enumerate(rows, start=1):
            Question.objects.create(
                questionnaire=obj, version=version, position=position, **row
            )


def fill_questionnaire(
    code: str, *, respondent, answers=None, submitted_at=None, **about
):
    """A response through the service; required questions not named get the
    lowest scale value, the first option, 0 or a dash."""
    from surveys.services import current_version, submit_response

    obj = questionnaire(code)
    answers = answers or {}
    defaults = {
        Question.Kind.SCALE: lambda q: q.scale_min,
        Question.Kind.SINGLE: lambda q: q.choices[0],
        Question.Kind.MULTIPLE: lambda q: q.choices[:1],
        Question.Kind.NUMBER: lambda q: 0,
    }
    raw = {}
    for q in current_version(obj).questions.all():
        if q.code in answers:
            raw[q.pk] = answers[q.code]
        elif q.is_required:
            raw[q.pk] = defaults.get(q.kind, lambda q: "—")(q)
    response = submit_response(
        questionnaire=obj, respondent=respondent, raw=raw, by=None, **about
    )
    if submitted_at is not None:
        response.submitted_at = submitted_at
        response.save(update_fields=["submitted_at"])
    return response


# ---------------------------------------------------------------- reviews (issue 14)

from reviews.models import Review  # noqa: E402


class ReviewFactory(DjangoModelFactory):
    """A school's program sent for review, pending; `roadmap=True`-style
    states as traits."""

    class Meta:
        model = Review

    organization = factory.SubFactory(OrganizationFactory)
    subject = Review.Subject.PROGRAM
    title = "Программа наставничества педагогических работников"
    url = "https://school.example/nastavnichestvo/programma.pdf"
    submitted_by = factory.SubFactory(
        UserFactory,
        curator=True,
        organization=factory.SelfAttribute("..organization"),
    )

    class Params:
        of_roadmap = factory.Trait(
            subject=Review.Subject.ROADMAP,
            roadmap=factory.SubFactory(
                RoadmapFactory, organization=factory.SelfAttribute("..organization")
            ),
            url="",
        )
        returned = factory.Trait(
            status=Review.Status.RETURNED,
            comments="Уточните сроки мероприятий.",
            decided_by=factory.SubFactory(
                UserFactory,
                methodologist=True,
                district=factory.SelfAttribute("..organization.district"),
            ),
            decided_at=factory.LazyFunction(timezone.now),
        )
        approved = factory.Trait(
            status=Review.Status.APPROVED,
            decided_by=factory.SubFactory(
                UserFactory,
                methodologist=True,
                district=factory.SelfAttribute("..organization.district"),
            ),
            decided_at=factory.LazyFunction(timezone.now),
        )


# District events (issue 14, item 5).
from events.models import Event, Registration  # noqa: E402


class EventFactory(DjangoModelFactory):
    """A seminar of the district in two weeks' time; `held` one that took place."""

    class Meta:
        model = Event

    district = factory.SubFactory(DistrictFactory)
    kind = MentorTraining.Kind.SEMINAR
    title = "Наставничество как ресурс профессионального роста педагога"
    starts_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=14)
    )
    ends_on = factory.LazyAttribute(lambda e: e.starts_on)
    time = "14:00–16:30"
    place = "ИМЦ, ул. Ленина, 5, ауд. 12"
    programme = "1. Роль наставника.\n2. Персонализированная программа."
    hours = 3

    class Params:
        held = factory.Trait(
            starts_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=1)
            )
        )


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    mentor = factory.SubFactory(
        MentorProfileFactory,
        person__organization__district=factory.SelfAttribute("....event.district"),
    )
