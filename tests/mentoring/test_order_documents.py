"""The printed orders, program and consent form, read back from the PDF."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mentoring import documents
from mentoring.models import Order, OrderReward, Pair, Person
from mentoring.services import orders as order_services
from tests.factories import (
    PersonFactory,
    ProgramFactory,
    ProgramItemFactory,
    UserFactory,
)
from tests.reference_images import assert_matches_reference

from .orders_helpers import (
    REFERENCE,
    gymnasium,
    gymnasium_curator,
    kind_heading,
    named_pair,
    pdf_pages,
    pdf_text,
)

# The references print dates (signed on, terms, the academic year): every
# test here runs on one fixed morning, so they do not change with the calendar.
FIXED_MOMENT = datetime.datetime(2026, 10, 16, 7, 0, tzinfo=datetime.UTC)
FIXED_CODE = "5E688E892EDB625D98F2"


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(FIXED_MOMENT, tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _looks_as_kept(content, stem):
    """Pixel by pixel against tests/mentoring/reference (UPDATE_REFERENCE=1)."""
    from django.conf import settings

    assert_matches_reference(content, REFERENCE, stem, settings.MEDIA_ROOT / "png")


@pytest.fixture
def school():
    return gymnasium()


@pytest.fixture
def curator(school):
    return gymnasium_curator(school)


def signed_pair_order(school, curator):
    teacher_pair = named_pair(
        school,
        mentor={
            "last_name": "Иванова",
            "first_name": "Мария",
            "patronymic": "Петровна",
            "position": "учитель русского языка и литературы",
        },
        mentees=[
            {
                "last_name": "Петров",
                "first_name": "Иван",
                "patronymic": "Сергеевич",
                "gender": Person.Gender.MALE,
                "position": "учитель истории",
            }
        ],
    )
    student_group = named_pair(
        school,
        mentor={
            "last_name": "Ершов",
            "first_name": "Андрей",
            "patronymic": "Николаевич",
            "gender": Person.Gender.MALE,
            "position": "учитель физики",
        },
        mentees=[
            {
                "last_name": "Соколова",
                "first_name": "Полина",
                "patronymic": "Игоревна",
                "category": Person.Category.STUDENT,
                "school_class": "9Б",
                "birth_date": timezone.localdate().replace(year=2012),
                "teaching_since": None,
                "position": "",
            },
            {
                "last_name": "Глебов",
                "first_name": "Илья",
                "patronymic": "Романович",
                "gender": Person.Gender.MALE,
                "category": Person.Category.STUDENT,
                "school_class": "9Б",
                "birth_date": timezone.localdate().replace(year=2012),
                "teaching_since": None,
                "position": "",
            },
        ],
        form=_form("teacher-student"),
    )
    order = order_services.create_pair_order(
        organization=school, pairs=[teacher_pair, student_group], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    director = UserFactory(director=True, organization=school)
    return _with_fixed_code(order_services.sign_order(order=order, director=director))


def _with_fixed_code(order):
    """The document code is random; the references keep one, so their QR
    code stays the same from run to run (the PDF is not stored yet)."""
    Order.objects.filter(pk=order.pk).update(signature_code=FIXED_CODE)
    order.refresh_from_db()
    return order


def _form(code):
    from tests.factories import form

    return form(code)


def _stored(order):
    return order_services.stored_order_pdf(order=order)


@pytest.mark.django_db
def test_pair_order_prints_the_requisites_pairs_and_names_in_case(school, curator):
    order = signed_pair_order(school, curator)
    text = pdf_text(_stored(order))
    today = timezone.localdate().strftime("%d.%m.%Y")
    year = documents.academic_year()
    for requisite in [
        school.full_name,
        today,
        "№ 1-од",
        "г. Санкт-Петербург",
        f"О закреплении наставнических пар (групп) на {year}/{year + 1} учебный год",
        "В соответствии с Положением о системе наставничества, статьёй 351.8",
        "ПРИКАЗЫВАЮ:",
        "1. Закрепить наставнические пары (группы) согласно приложению",
        "Директор",
        "С.А. Белоусова",
        "С приказом ознакомлены:",
        f"Приложение к приказу от {today} № 1-од",
        "Список наставнических пар (групп)",
    ]:
        assert requisite in text, requisite
    assert kind_heading(text, after=school.full_name, before=today), text[:400]
    # Names take their case in running text.
    assert (
        "1.1. Закрепить наставником Иванову Марию Петровну за молодым специалистом "
        "Петровым Иваном Сергеевичем" in text
    )
    assert (
        "1.2. Закрепить наставником Ершова Андрея Николаевича за группой "
        "наставляемых в составе: Глебова Ильи Романовича, Соколовой Полины Игоревны"
        in text
    )
    assert (
        "Заместителю директора по УВР Корниловой Анне Михайловне, "
        "куратору программы наставничества, обеспечить" in text
    )
    # The appendix: names in the nominative, with positions and classes (cells
    # wrap, so each piece is looked for in the appendix's text).
    appendix = text[text.index("Список наставнических пар (групп)") :]
    for piece in [
        "Иванова Мария Петровна,",
        "учитель русского языка и литературы",
        "Петров Иван Сергеевич,",
        "учитель истории",
        "Соколова Полина Игоревна,",
        "обучающаяся 9Б класса",
        "Глебов Илья Романович,",
        "обучающийся 9Б класса",
        "Учитель – ученик; традиционная",
    ]:
        assert piece in appendix, piece
    # The familiarization list: the employees the order concerns and the
    # curator; the 9th graders are not asked to sign a staff order.
    start = text.index("С приказом ознакомлены:")
    listed = text[start : text.index("Приложение к приказу", start)]
    for name in ["М.П. Иванова", "И.С. Петров", "А.Н. Ершов", "А.М. Корнилова"]:
        assert name in listed, name
    for name in ["П.И. Соколова", "И.Р. Глебов"]:
        assert name not in listed, name
    _looks_as_kept(_stored(order), "order_pairs")


@pytest.mark.django_db
def test_draft_preview_has_blank_number_and_date(client, school, curator):
    pair = named_pair(school)
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    client.force_login(curator)
    response = client.get(reverse("mentoring:order-pdf", args=[order.pk]))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    text = pdf_text(b"".join(response.streaming_content))
    assert "№ ______" in text and "20___ г." in text
    assert (
        f'filename="proekt_prikaza_{order.pk}.pdf"' in response["Content-Disposition"]
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Order.Kind.FINAL_EVENT, "итоговое мероприятие"),
        (Order.Kind.REGULATIONS, "Утвердить Положение о системе наставничества"),
        (Order.Kind.CURATOR, "Назначить куратором"),
    ],
)
@pytest.mark.django_db
def test_other_orders_print_their_standard_text(school, curator, kind, expected):
    order = order_services.create_order(organization=school, kind=kind, by=curator)
    content = documents.order_pdf(order=order)
    text = pdf_text(content)
    assert order.title in text
    assert expected in text
    assert "ПРИКАЗЫВАЮ:" in text
    assert "Контроль за исполнением настоящего приказа оставляю за собой." in text
    if kind == Order.Kind.CURATOR:
        assert "заместителя директора по УВР Корнилову Анну Михайловну" in text
    _looks_as_kept(content, f"order_{kind}")


@pytest.mark.django_db
def test_reward_order_prints_its_appendix_table_in_order(school, curator):
    worked = named_pair(
        school,
        status=Pair.Status.ACTIVE,
        mentor={
            "last_name": "Лебедева",
            "first_name": "Ирина",
            "patronymic": "Викторовна",
            "position": "учитель математики",
        },
    )
    order = order_services.create_order(
        organization=school, kind=Order.Kind.REWARD, by=curator
    )
    lebedeva = worked.participations.get(role="mentor").person
    assert [(r.person, r.kind) for r in order.rewards.all()] == [
        (lebedeva, OrderReward.Kind.THANKS)
    ]
    ershov = PersonFactory(
        organization=school,
        last_name="Ершов",
        first_name="Андрей",
        patronymic="Николаевич",
        gender=Person.Gender.MALE,
        position="учитель физики",
        consented=True,
    )
    abramova = PersonFactory(
        organization=school,
        last_name="Абрамова",
        first_name="Ольга",
        patronymic="Сергеевна",
        position="педагог-психолог",
        consented=True,
    )
    order_services.set_order_rewards(
        order=order,
        rows=[
            (
                lebedeva,
                OrderReward.Kind.MUNICIPAL,
                "За высокие результаты наставляемого в профессиональном конкурсе",
            ),
            (ershov, OrderReward.Kind.CERTIFICATE, "За руководство группой"),
            (abramova, OrderReward.Kind.THANKS, "За сопровождение пар"),
        ],
        by=curator,
    )
    order_services.submit_order(order=order, by=curator)
    director = UserFactory(director=True, organization=school)
    order = _with_fixed_code(order_services.sign_order(order=order, director=director))
    content = _stored(order)
    text = pdf_text(content)
    day = order.signed_on.strftime("%d.%m.%Y")
    assert (
        "1. Поощрить участников наставнической деятельности согласно приложению" in text
    )
    assert f"Приложение к приказу от {day} № 1-од" in text
    assert "ФИО Должность Вид поощрения Основание" in text
    rows = [
        "1 Лебедева Ирина Викторовна учитель математики Рекомендовать к награждению",
        "2 Ершов Андрей Николаевич учитель физики Наградить грамотой За руководство "
        "группой",
        "3 Абрамова Ольга Сергеевна педагог-психолог Объявить благодарность За "
        "сопровождение пар",
    ]
    positions = [text.find(row) for row in rows]
    assert -1 not in positions, text
    assert positions == sorted(positions)
    assert pdf_pages(content) == 2
    _looks_as_kept(content, "order_reward")


@pytest.mark.django_db
def test_program_prints_passport_plan_and_signatures(client, school, curator):
    pair = named_pair(
        school,
        mentor={
            "last_name": "Гусева",
            "first_name": "Наталья",
            "patronymic": "Петровна",
        },
        mentees=[
            {
                "last_name": "Волков",
                "first_name": "Денис",
                "patronymic": "Андреевич",
                "gender": Person.Gender.MALE,
            }
        ],
    )
    program = ProgramFactory(
        pair=pair, tasks="Освоить планирование уроков\nРабота с родителями"
    )
    ProgramItemFactory(
        program=program, content="Совместная разработка технологической карты урока"
    )
    client.force_login(curator)
    response = client.get(reverse("mentoring:program-pdf", args=[program.pk]))
    content = b"".join(response.streaming_content)
    text = pdf_text(content)
    for part in [
        "УТВЕРЖДАЮ",
        "Персонализированная программа наставничества",
        "Волкова Дениса Андреевича",
        "Наставник Гусева Наталья Петровна",
        "Освоить планирование уроков",
        "Совместная разработка технологической карты урока",
        "Н.П. Гусева",
        "Д.А. Волков",
    ]:
        assert part in text, part
    assert "programma_nastavnichestva_volkov_ot_" in response["Content-Disposition"]
    _looks_as_kept(content, "program")


@pytest.mark.django_db
def test_consent_form_is_prefilled_and_has_the_guardian_variant(
    client, school, curator
):
    adult = PersonFactory(
        organization=school,
        last_name="Смирнова",
        first_name="Ольга",
        patronymic="Игоревна",
    )
    minor = PersonFactory(
        organization=school,
        student=True,
        last_name="Кузнецов",
        first_name="Пётр",
        patronymic="Ильич",
        gender=Person.Gender.MALE,
        legal_representative="Кузнецова Елена Викторовна",
    )
    client.force_login(curator)
    adult_pdf = b"".join(
        client.get(reverse("mentoring:consent-form", args=[adult.pk])).streaming_content
    )
    text = pdf_text(adult_pdf)
    assert "Я, Смирнова Ольга Игоревна" in text
    assert "152-ФЗ" in text and school.full_name in text
    for item in [
        "Цель обработки",
        "Перечень персональных данных",
        "Срок действия согласия",
    ]:
        assert item in text
    assert pdf_pages(adult_pdf) == 1
    response = client.get(reverse("mentoring:consent-form", args=[minor.pk]))
    minor_pdf = b"".join(response.streaming_content)
    text = pdf_text(minor_pdf)
    assert "Согласие на обработку персональных данных несовершеннолетнего" in text
    assert "Я, Кузнецова Елена Викторовна" in text
    assert "законным представителем несовершеннолетнего Кузнецова Петра Ильича" in text
    assert pdf_pages(minor_pdf) == 1
    assert 'filename="soglasie_kuznetsov_p.i..pdf"' in response["Content-Disposition"]
    _looks_as_kept(adult_pdf, "consent")
    _looks_as_kept(minor_pdf, "consent_guardian")


def test_file_names_are_transliterated():
    assert documents.transliterate("Приказ № 63-од от 16.10.2026") == (
        "prikaz_63-od_ot_16.10.2026"
    )
    assert documents.transliterate("Щёкина Юлия") == "shchekina_iuliia"
