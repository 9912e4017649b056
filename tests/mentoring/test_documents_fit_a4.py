"""Every document, filled with the longest content a school realistically
gives it, stays inside the printable area of every A4 page."""

import datetime

import pytest
from django.urls import reverse

from mentoring import documents
from mentoring.models import Order, OrderReward, Person, ProgramItem
from mentoring.pdf import render_pdf
from mentoring.services import logins
from mentoring.services import orders as order_services
from roadmap import services as roadmap_services
from roadmap.documents import roadmap_pdf
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    ProgramItemFactory,
    UserFactory,
)
from tests.pdf_layout import SLIPS, pages, words_past_margins

from .orders_helpers import named_pair, pdf_text

pytestmark = pytest.mark.django_db

LONG_ORG = (
    "Государственное бюджетное общеобразовательное учреждение средняя "
    "общеобразовательная школа № 1234 с углублённым изучением английского и "
    "немецкого языков, информатики и информационно-коммуникационных технологий "
    "Красногвардейского района Санкт-Петербурга имени Героя Советского Союза "
    "Н.А. Римского-Корсакова"
)
LONG_POSITION = (
    "заместитель директора по учебно-воспитательной работе и информационно-"
    "коммуникационным технологиям, учитель информатики высшей категории"
)
# Hyphenated surnames and long first names and patronymics, as in real banks.
NAMES = [
    ("Римская-Корсакова", "Александра", "Константиновна", Person.Gender.FEMALE),
    ("Бонч-Бруевич", "Владислав", "Вячеславович", Person.Gender.MALE),
    ("Салтыкова-Щедрина", "Елизавета", "Александровна", Person.Gender.FEMALE),
    ("Мамин-Сибиряк", "Константин", "Святославович", Person.Gender.MALE),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def school():
    return OrganizationFactory(
        full_name=LONG_ORG,
        short_name="ГБОУ СОШ № 1234 Красногвардейского района",
        head_name="Е.А. Римская-Корсакова",
        head_position="Исполняющий обязанности директора",
        order_number_suffix="-од",
    )


@pytest.fixture
def curator(school):
    person = PersonFactory(
        organization=school,
        last_name="Салтыкова-Щедрина",
        first_name="Елизавета",
        patronymic="Александровна",
        position=LONG_POSITION,
        consented=True,
    )
    person.user = UserFactory(curator=True, organization=school)
    person.save()
    return person.user


def _person(n, **extra):
    last, first, middle, gender = NAMES[n % len(NAMES)]
    return {
        "last_name": last,
        "first_name": first,
        "patronymic": middle,
        "gender": gender,
        **extra,
    }


def _sign(order, school, curator):
    order_services.submit_order(order=order, by=curator)
    director = UserFactory(director=True, organization=school)
    return order_services.sign_order(order=order, director=director)


def assert_fits(content: bytes, **margins):
    assert pages(content), "no page"
    outside = words_past_margins(content, **margins)
    assert not outside, "past the printable area: " + ", ".join(
        f"p.{w.page} «{w.text}» x {w.x_min:.0f}–{w.x_max:.0f} "
        f"y {w.y_min:.0f}–{w.y_max:.0f}"
        for w in outside[:10]
    )


def test_a_pair_order_of_forty_pairs_fits_its_pages(school, curator):
    pairs = [
        named_pair(
            school,
            mentor=_person(n, position=LONG_POSITION),
            mentees=[_person(n + 1, position=LONG_POSITION)],
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2027, 5, 31),
        )
        for n in range(40)
    ]
    order = order_services.create_pair_order(
        organization=school, pairs=pairs, by=curator
    )
    order = _sign(order, school, curator)
    content = order_services.stored_order_pdf(order=order)
    assert_fits(content)
    text = pdf_text(content)
    # Nothing fell off the sheet: the fortieth pair's clause, its appendix
    # row's last column, the signer.
    assert "1.40. Закрепить наставником" in text
    assert "на 40 поз." in text
    assert text.count("по 31.05.2027") >= 40
    assert "Е.А. Римская-Корсакова" in text


def test_a_reward_order_with_long_rows_fits(school, curator):
    order = order_services.create_order(
        organization=school, kind=Order.Kind.REWARD, by=curator
    )
    people = [
        PersonFactory(organization=school, consented=True, **_person(n))
        for n in range(12)
    ]
    for person in people:
        person.position = LONG_POSITION
        person.save()
    order_services.set_order_rewards(
        order=order,
        rows=[
            (
                person,
                OrderReward.Kind.MUNICIPAL,
                "За высокие результаты наставляемого в профессиональном конкурсе "
                "педагогического мастерства «Педагогические надежды» регионального "
                "уровня и за организацию сетевого взаимодействия",
            )
            for person in people
        ],
        by=curator,
    )
    assert_fits(documents.order_pdf(order=_sign(order, school, curator)))


@pytest.mark.parametrize(
    "kind", [Order.Kind.CURATOR, Order.Kind.REGULATIONS, Order.Kind.FINAL_EVENT]
)
def test_standard_orders_fit(school, curator, kind):
    order = order_services.create_order(organization=school, kind=kind, by=curator)
    assert_fits(documents.order_pdf(order=order))


def test_an_extract_of_a_long_order_fits(client, school, curator):
    mentor = _person(1, position=LONG_POSITION)
    pairs = [
        named_pair(school, mentor=mentor if n == 0 else _person(n), mentees=[{}])
        for n in range(3)
    ]
    order = order_services.create_pair_order(
        organization=school, pairs=pairs, by=curator
    )
    order = _sign(order, school, curator)
    person = pairs[0].participations.get(role="mentor").person
    person.user = UserFactory(organization=school)
    person.save()
    from mentoring.services.orders.extracts import issue_order_extract

    assert_fits(issue_order_extract(order=order, user=person.user))


def test_a_program_of_sixty_plan_rows_fits_and_keeps_its_last_column(school):
    pair = named_pair(
        school,
        mentor=_person(0, position=LONG_POSITION),
        mentees=[_person(1, position=LONG_POSITION), _person(3)],
    )
    program = ProgramFactory(
        pair=pair,
        tasks="\n".join(
            f"Задача {n}: освоить приёмы формирующего оценивания" for n in range(6)
        ),
        difficulties="Организация учебно-исследовательской деятельности\n"
        "Взаимодействие с родителями (законными представителями) обучающихся",
        strengths="Владение информационно-коммуникационными технологиями",
        expected_results="Самостоятельное проектирование уроков",
    )
    statuses = list(ProgramItem.Status)
    for n in range(60):
        status = statuses[n % len(statuses)]
        ProgramItemFactory(
            program=program,
            direction="Организация учебно-исследовательской и проектной деятельности",
            content="Совместная разработка технологической карты урока-исследования "
            "с использованием цифровых образовательных ресурсов",
            form="Взаимопосещение уроков, консультация",
            expected_result="Технологическая карта урока, самоанализ урока",
            status=status,
            done_on=datetime.date(2026, 11, 30)
            if status == ProgramItem.Status.DONE
            else None,
        )
    content = documents.program_pdf(program=program)
    assert_fits(content)
    text = pdf_text(content)
    for word in ["Отметка о", "выполнении", "Запланировано", "Выполнено 30.11.2026"]:
        assert word in text.replace("\u00ad", "").replace("- ", "-"), word
    # No row is split across pages: each page has as many rows' first words
    # («Совместная») as last words («ресурсов») of the content cell.
    for number, page_text in enumerate(_page_texts(content), start=1):
        words = page_text.split()
        assert words.count("Совместная") == words.count("ресурсов"), number


def test_consent_forms_fit(client, school, curator):
    adult = PersonFactory(organization=school, **_person(0))
    minor = PersonFactory(
        organization=school,
        student=True,
        legal_representative="Римская-Корсакова Александра Константиновна",
        **_person(1),
    )
    content = documents.consent_pdf(people=[adult, minor])
    assert_fits(content)
    assert len(pages(content)) == 2


def test_login_slips_fit(school, curator):
    people = [
        PersonFactory(organization=school, consented=True, email="", **_person(n))
        for n in range(6)
    ]
    result = logins.create_logins(persons=people, by=curator)
    assert len(result.slips) == 6
    assert_fits(documents.login_slips_pdf(slips=result.slips), portrait=SLIPS)


def test_a_long_roadmap_fits_its_landscape_pages(school):
    responsible = PersonFactory(
        organization=school, position=LONG_POSITION, **_person(1)
    )
    roadmap = roadmap_services.create_roadmap(
        by=None,
        organization=school,
        year=2026,
        title="Дорожная карта реализации целевой модели наставничества "
        "педагогических работников и обучающихся на 2026/2027 учебный год",
        approver_name="Е.А. Римская-Корсакова",
        approver_position="Исполняющий обязанности директора",
        approval_order_number="112-од",
        approval_order_on=datetime.date(2026, 8, 31),
    )
    for s in range(8):
        stage = roadmap_services.add_stage(
            by=None,
            roadmap=roadmap,
            number=str(s + 1),
            name="Подготовка условий для запуска программы наставничества и "
            "формирование банка наставников и наставляемых",
        )
        for _a in range(6):
            roadmap_services.add_activity(
                by=None,
                stage=stage,
                content="Проведение педагогического совета, на котором "
                "рассматриваются вопросы организации наставничества, "
                "информирование родителей (законных представителей) обучающихся",
                deadline_text="Сентябрь – октябрь 2026 г.",
                responsible=[responsible],
                responsible_roles="Куратор, педагог-психолог, социальный педагог",
                code="",
            )
    content = roadmap_pdf(roadmap)
    assert_fits(content)
    assert len(pages(content)) > 2


def test_the_monitoring_report_fits(client, school, curator):
    client.force_login(curator)
    response = client.get(reverse("surveys:monitoring-pdf"), {"year": 2025})
    assert_fits(b"".join(response.streaming_content))


def test_a_word_past_the_margin_is_caught(settings, tmp_path):
    """The check itself can fail: a cell wider than the sheet is reported."""
    (tmp_path / "wide.html").write_text(
        '{% extends "documents/base.html" %}{% block content %}'
        '<p>В пределах поля.</p><table class="wide"><tr><td>Слева</td>'
        "<td>Отметка</td></tr></table>{% endblock content %}"
        "{% block head %}<style>table.wide { width: 32cm; table-layout: fixed; }"
        "</style>{% endblock head %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    content = render_pdf("wide.html", {})
    assert "Отметка" in pdf_text(content)
    assert [w.text for w in words_past_margins(content)] == ["Отметка"]


def _page_texts(content: bytes) -> list[str]:
    return [" ".join(w.text for w in words) for _w, _h, words in pages(content)]


def test_the_signature_never_stands_alone_on_a_page(school, curator):
    """However long the order, its last item and the signature share a page.

    Items of six lines each move the signature down the page by a line at a
    time across two pages' worth of breaks."""
    last = "Контроль за исполнением настоящего приказа оставляю за собой."
    item = (
        "Учителям, закреплённым наставниками, разработать совместно с "
        "наставляемыми персонализированные программы наставничества, "
        "согласовать их с куратором, провести встречи по плану программ, после "
        "каждой встречи заполнять форму обратной связи в системе, а по итогам "
        "полугодия представить куратору отчёт о ходе работы пары (группы) с "
        "указанием достигнутых результатов и выявленных затруднений."
    )
    short = "Куратору обеспечить методическое сопровождение пар."
    for count in range(8, 14):
        for shorts in range(3):
            order = order_services.create_order(
                organization=school,
                kind=Order.Kind.FINAL_EVENT,
                by=curator,
                items=[item] * count + [short] * shorts + [last],
            )
            texts = _page_texts(documents.order_pdf(order=order))
            signed = [
                t for t in texts if "Римская-Корсакова" in t.split("ознакомлены")[0]
            ]
            assert signed and all("собой." in t for t in signed), (count, shorts)


def test_a_long_event_attendance_sheet_fits(school):
    from events.documents import sheet_pdf
    from tests.factories import EventFactory, MentorProfileFactory, RegistrationFactory

    event = EventFactory(
        district=school.district,
        title="Наставничество как ресурс профессионального роста молодого "
        "педагога: персонализированные программы, обратная связь и мониторинг",
        place="Информационно-методический центр Красногвардейского района, "
        "Санкт-Петербург, Заневский проспект, д. 32, корп. 3, лит. А, актовый зал",
        held=True,
    )
    for n in range(40):
        RegistrationFactory(
            event=event,
            mentor=MentorProfileFactory(
                person__organization=school,
                person__position=LONG_POSITION,
                **{f"person__{k}": v for k, v in _person(n).items()},
            ),
            attended=n % 3 == 0,
        )
    content = sheet_pdf(event)
    assert_fits(content)
    assert len(pages(content)) > 1


# Issue 14 (report): the report to the municipality, every row filled, and
# the district's version with forty schools of long names.
def _full_indicators():
    from collections import Counter

    from mentoring.models import MentoringForm, Pair
    from reports.indicators import Indicators

    every = Counter({c.value: 12345 for c in Person.Category})
    return Indicators(
        teachers=12345,
        young_teachers=1234,
        teachers_under_35=2345,
        mentors=3456,
        mentees=4567,
        mentors_by_category=every,
        mentees_by_category=every,
        mentor_teachers=3000,
        young_mentees=1000,
        mentees_under_35=2000,
        participants=8000,
        pairs=3000,
        groups=456,
        by_form={
            name: [1234, 567]
            for name in MentoringForm.objects.values_list("name", flat=True)
        },
        by_format=Counter({f.value: 999 for f in Pair.Format}),
        completed=100,
        terminated=20,
        overdue=3,
        terminated_by_reason=Counter({r.value: 4 for r in Pair.TerminationReason}),
        meetings=99999,
        meetings_mentor_feedback=88888,
        meetings_mentee_feedback=77777,
        meetings_full_feedback=66666,
        mentee_satisfaction_sum=8500.0,
        mentee_satisfaction_answers=100,
        mentor_satisfaction_sum=9000.0,
        mentor_satisfaction_answers=100,
        satisfaction_respondents=200,
        impact_before_sum=400.0,
        impact_before_answers=100,
        impact_after_sum=800.0,
        impact_after_answers=100,
    )


def test_the_report_to_the_municipality_fits(school):
    from reports.documents import report_pdf
    from reports.indicators import ReportPeriod
    from reports.selectors import Report

    ensure = _full_indicators()
    report = Report(
        scope=school.short_name,
        period=ReportPeriod.academic(2025),
        indicators=ensure,
        organization=school,
    )
    notes = "\n".join(
        "Недостаточно наставников-предметников для молодых специалистов "
        "естественнонаучного цикла; предлагаем организовать сетевое "
        "наставничество с ресурсными центрами района."
        for _ in range(12)
    )

    content = report_pdf(
        report,
        made_on=datetime.date(2026, 6, 1),
        notes=notes,
        sent_label="отправлен 01.06.2026",
        signer_position=school.head_position,
        signer=school.head_name,
    )

    assert_fits(content)
    assert "Римская-Корсакова" in pdf_text(content)


def test_the_districts_report_of_forty_schools_fits(school):
    from reports.documents import report_pdf
    from reports.indicators import ReportPeriod
    from reports.selectors import DISTRICT_COLUMNS, Report

    report = Report(
        scope="Красногвардейский район Санкт-Петербурга",
        period=ReportPeriod.academic(2025),
        indicators=_full_indicators(),
    )
    report.rows = [
        {
            "pk": n,
            "name": f"ГБОУ СОШ № {1000 + n} с углублённым изучением английского языка",
            "status": "принят 01.06.2026",
            "values": [12345] * 4 + [100] * (len(DISTRICT_COLUMNS) - 4),
        }
        for n in range(40)
    ]

    content = report_pdf(
        report,
        made_on=datetime.date(2026, 6, 1),
        signer_position="Методист района",
        signer="А.Б. Бонч-Бруевич",
    )

    assert_fits(content)
    assert len(pages(content)) > 3


# Issue 14, district: the methodologist's table, every form a column.
def test_the_districts_table_of_forty_organizations_fits(client, school):
    from district.models import Pilot
    from mentoring.models import MentoringForm
    from tests.factories import OrganizationFactory, PairFactory

    district = school.district
    district.name = "Красногвардейский район Санкт-Петербурга"
    district.save(update_fields=["name"])
    Pilot.objects.create(organization=school, since=datetime.date(2025, 9, 1))
    for form in MentoringForm.objects.all():
        PairFactory(organization=school, form=form, active=True)
    for n in range(40):
        OrganizationFactory(
            district=district,
            short_name=f"ГБОУ СОШ № {1300 + n} с углублённым изучением "
            "английского языка Красногвардейского района",
        )
    client.force_login(UserFactory(methodologist=True, district=district))
    response = client.get(reverse("district:organizations-pdf", args=[district.pk]))
    content = b"".join(response.streaming_content)
    assert_fits(content)
    assert len(pages(content)) > 2


# Issue 14, the information base: the mentor's portfolio.
def test_a_long_mentors_portfolio_fits(school, curator):
    from mentoring.models import (
        Consent,
        MentorTraining,
        Pair,
        Participation,
        Program,
    )
    from mentoring.services.programs import change_program_status
    from tests.factories import ConsentFactory, MentorTrainingFactory

    mentor = None
    for n in range(12):
        pair = named_pair(
            school,
            mentor=_person(0, position=LONG_POSITION),
            mentees=[_person(n + 1, position=LONG_POSITION), _person(n + 2)],
            status=Pair.Status.ACTIVE,
        )
        for mentee in pair.participations.filter(role=Participation.Role.MENTEE):
            # Named in the portfolio on their consent to transfer.
            ConsentFactory(person=mentee.person, kind=Consent.Kind.TRANSFER)
        if mentor is None:
            mentor = pair.participations.get(role=Participation.Role.MENTOR)
            mentor = mentor.person
        else:
            placeholder = pair.participations.get(role=Participation.Role.MENTOR)
            placeholder.person = mentor
            placeholder.save(update_fields=["person"])
        program = ProgramFactory(
            pair=pair,
            status=Program.Status.IN_PROGRESS,
            approved_on=datetime.date(2026, 9, 10),
            goal="Профессиональная адаптация молодого специалиста и освоение "
            "технологии формирующего оценивания в условиях реализации ФОП ООО",
            final_report="Наставляемый разработал рабочую программу по предмету, "
            "провёл открытый урок для методического объединения, принял участие "
            "в муниципальном конкурсе «Педагогический дебют» и стал призёром\n"
            "Удовлетворённость участием в программе — 9,2 балла из 10",
        )
        if n % 3 != 2:
            change_program_status(
                program=program, to=Program.Status.PARTIALLY_DONE, by=curator
            )
    for _n in range(8):
        MentorTrainingFactory(
            mentor=mentor.mentor_profile,
            kind=MentorTraining.Kind.COURSE,
            programme="Наставничество в образовательной организации: "
            "технологии сопровождения молодых педагогов и адаптации "
            "педагогических работников, сменивших место работы",
            hours=72,
            certificate="Удостоверение о повышении квалификации "
            "№ 782400123456 рег. № 12345-ПК",
        )
    order = order_services.create_order(
        organization=school, kind=Order.Kind.REWARD, by=curator
    )
    order_services.set_order_rewards(
        order=order,
        rows=[
            (
                mentor,
                OrderReward.Kind.REGIONAL,
                "За высокие результаты наставляемого в профессиональном конкурсе "
                "педагогического мастерства «Педагогические надежды» регионального "
                "уровня и за организацию сетевого взаимодействия",
            )
        ],
        by=curator,
    )
    _sign(order, school, curator)
    content = documents.portfolio_pdf(person=mentor)
    assert_fits(content)
    assert len(pages(content)) > 2
    text = pdf_text(content)
    # The last column of each table and the certification are on the sheet.
    # Namesakes are counted as people, not as names.
    assert "Наставляемых 24" in text
    assert "Бонч-Бруевич Владислав Вячеславович" in text
    assert text.count("Выполнена частично") >= 8
    assert text.count("рег. № 12345-ПК") == 8
    assert "сетевого взаимодействия" in text
    assert "Сведения верны" in text.split("сетевого взаимодействия")[-1]
