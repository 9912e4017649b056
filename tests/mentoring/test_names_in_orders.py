"""Names and positions in an order's running text: rendered from the people's
cards until signing, frozen once signed (issue 13)."""

import pytest
from django.urls import reverse

from mentoring import documents
from mentoring.models import Order
from mentoring.services import orders as order_services
from tests.factories import (
    ConsentFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
)

from .orders_helpers import named_pair, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return OrganizationFactory()


@pytest.fixture
def curator(school):
    user = UserFactory(curator=True, organization=school)
    person = PersonFactory(
        organization=school,
        user=user,
        last_name="Бонч-Бруевич",
        first_name="Ольга",
        patronymic="Витальевна",
        gender="female",
        position="заместитель директора по учебно-воспитательной работе",
    )
    ConsentFactory(person=person)
    return user


def _items(order):
    return " ".join(order.items.values_list("text", flat=True))


def _mentor(pair):
    return pair.participations.get(role="mentor").person


def test_the_curators_position_and_name_are_declined_in_the_items(school, curator):
    appointment = order_services.create_order(
        organization=school, kind=Order.Kind.CURATOR, by=curator
    )
    assert (
        "учебный год заместителя директора по учебно-воспитательной работе "
        "Бонч-Бруевич Ольгу Витальевну." in _items(appointment)
    )
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    assert (
        "Заместителю директора по учебно-воспитательной работе Бонч-Бруевич Ольге "
        "Витальевне, куратору программы наставничества, обеспечить" in _items(order)
    )


def test_a_correction_on_a_card_reaches_a_draft_already_drafted(
    school, curator, client
):
    pair = named_pair(
        school,
        mentor={
            "last_name": "Малец",
            "first_name": "Олег",
            "patronymic": "Иванович",
            "gender": "male",
        },
    )
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    mentor = _mentor(pair)
    mentor.name_accusative = "Мальца Олега Ивановича"
    mentor.save(update_fields=["name_accusative"])
    client.force_login(curator)
    response = client.get(reverse("mentoring:order-pdf", args=[order.pk]))
    content = b"".join(response.streaming_content)
    assert "Закрепить наставником Мальца Олега Ивановича" in pdf_text(content)
    assert "Мальца Олега Ивановича" in _items(order)


def test_a_signed_order_keeps_the_text_it_was_signed_with(school, curator):
    pair = named_pair(
        school,
        mentor={
            "last_name": "Малец",
            "first_name": "Олег",
            "patronymic": "Иванович",
            "gender": "male",
        },
    )
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    mentor = _mentor(pair)
    mentor.name_accusative = "Мальца Олега Ивановича"
    mentor.save(update_fields=["name_accusative"])
    order_services.submit_order(order=order, by=curator)
    director = UserFactory(director=True, organization=school)
    order_services.sign_order(order=order, director=director)
    signed_text = _items(order)
    assert "Закрепить наставником Мальца Олега Ивановича" in signed_text
    mentor.name_accusative = "Мальцева Олега Ивановича"
    mentor.save(update_fields=["name_accusative"])
    order.refresh_from_db()
    order_services.refresh_order_text(order=order)
    assert _items(order) == signed_text
    assert "Мальцева" not in pdf_text(documents.order_pdf(order=order))


def test_items_the_curator_typed_are_kept_until_signing(school, curator):
    pair = named_pair(school)
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    texts = list(order.items.values_list("text", flat=True))
    texts[-1] = "Контроль за исполнением приказа возложить на Бонч-Бруевич О.В."
    order_services.set_order_items(order=order, texts=texts, by=curator)
    mentor = _mentor(pair)
    mentor.name_accusative = "Исправленную Фамилию"
    mentor.save(update_fields=["name_accusative"])
    order.refresh_from_db()
    order_services.refresh_order_text(order=order)
    assert order.items_edited
    assert _items(order) == " ".join(texts)


def test_a_form_saved_with_the_items_unchanged_keeps_them_standard(school, curator):
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    texts = list(order.items.values_list("text", flat=True))
    order_services.set_order_items(order=order, texts=texts, by=curator)
    order.refresh_from_db()
    assert not order.items_edited


def test_the_familiarization_list_names_only_the_employees(school, curator):
    pair = named_pair(
        school,
        mentor={"last_name": "Ершов", "first_name": "Андрей", "patronymic": "Н"},
        mentees=[
            {
                "last_name": "Соколова",
                "first_name": "Полина",
                "patronymic": "Игоревна",
                "category": "student",
                "school_class": "7Б",
            },
            {
                "last_name": "Глебов",
                "first_name": "Илья",
                "patronymic": "Романович",
                "category": "student",
                "school_class": "7Б",
            },
        ],
    )
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    text = pdf_text(documents.order_pdf(order=order))
    start = text.index("С приказом ознакомлены:")
    listed = text[start : text.index("Приложение к приказу", start)]
    assert "А.Н. Ершов" in listed
    assert "О.В. Бонч-Бруевич" in listed
    assert "Соколова" not in listed
    assert "Глебов" not in listed


def test_the_program_carries_the_curators_name(school, curator):
    program = ProgramFactory(pair__organization=school)
    text = pdf_text(documents.program_pdf(program=program))
    assert text.count("О.В. Бонч-Бруевич") == 2
