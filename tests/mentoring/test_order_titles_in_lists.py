"""Orders in lists say whom they concern: the same title, different pairs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, UserFactory

from .orders_helpers import named_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return OrganizationFactory()


@pytest.fixture
def curator(school):
    return UserFactory(curator=True, organization=school)


NAME = ("last_name", "first_name", "patronymic")


def _pair(school, mentor, mentee):
    return named_pair(
        school,
        mentor=dict(zip(NAME, mentor, strict=True)),
        mentees=[dict(zip(NAME, mentee, strict=True))],
    )


def _pair_order(school, curator, pairs):
    return order_services.create_pair_order(
        organization=school, pairs=pairs, by=curator
    )


def _some_pairs(school, n):
    return [
        _pair(school, ("Иванова", "Мария", "Петровна"), ("Петров", "Иван", "Сергеевич"))
        for _ in range(n)
    ]


def test_the_admin_list_names_the_pairs_of_each_order(client, school, curator):
    _pair_order(
        school,
        curator,
        [
            _pair(
                school,
                ("Иванова", "Мария", "Петровна"),
                ("Петров", "Иван", "Сергеевич"),
            ),
            _pair(
                school, ("Сидорова", "Ольга", "Ивановна"), ("Кузнецова", "Елена", "")
            ),
            *_some_pairs(school, 3),
        ],
    )
    _pair_order(
        school,
        curator,
        [_pair(school, ("Орлова", "Нина", "Павловна"), ("Зайцев", "Олег", "Ильич"))],
    )
    client.force_login(curator)

    page = client.get(reverse("admin:mentoring_order_changelist")).text

    assert (
        "О закреплении наставнических пар (групп) на 2026/2027 учебный год: "
        "Иванова М.П. — Петров И.С.; Сидорова О.И. — Кузнецова Е.; ещё 3"
    ) in page
    assert "учебный год: Орлова Н.П. — Зайцев О.И.</a>" in page


def test_the_directors_page_names_the_pairs(client, school, curator):
    order = _pair_order(
        school,
        curator,
        [_pair(school, ("Орлова", "Нина", "Павловна"), ("Зайцев", "Олег", "Ильич"))],
    )
    order_services.submit_order(order=order, by=curator)
    client.force_login(UserFactory(director=True, organization=school))

    page = client.get(reverse("mentoring:orders")).text

    assert "учебный год: Орлова Н.П. — Зайцев О.И.</h2>" in page


@pytest.mark.parametrize(
    "url", ["admin:mentoring_order_changelist", "mentoring:orders"]
)
def test_naming_the_pairs_costs_no_query_per_order(
    client, school, curator, url, django_assert_num_queries
):
    director = UserFactory(director=True, organization=school)
    reader = curator if url.startswith("admin") else director

    def orders(n):
        for _ in range(n):
            order = _pair_order(school, curator, _some_pairs(school, 2))
            order_services.submit_order(order=order, by=curator)

    orders(2)
    client.force_login(reader)
    client.get(reverse(url))
    with CaptureQueriesContext(connection) as two:
        client.get(reverse(url))
    orders(6)
    with django_assert_num_queries(len(two)):
        page = client.get(reverse(url))
    assert (
        page.text.count("Иванова М.П. — Петров И.С.; Иванова М.П. — Петров И.С.") == 8
    )


def test_the_directors_cards_say_how_many_pairs_who_sent_and_the_decision(
    client, school, curator
):
    curator.first_name, curator.last_name = "Анна", "Куратова"
    curator.save(update_fields=["first_name", "last_name"])
    waiting = _pair_order(school, curator, _some_pairs(school, 2))
    order_services.submit_order(order=waiting, by=curator)
    returned = _pair_order(
        school,
        curator,
        [_pair(school, ("Орлова", "Нина", "Павловна"), ("Зайцев", "Олег", "Ильич"))],
    )
    order_services.submit_order(order=returned, by=curator)
    director = UserFactory(director=True, organization=school)
    order_services.return_order(order=returned, director=director, comment="Даты")
    client.force_login(director)

    page = client.get(reverse("mentoring:orders")).text

    waiting.refresh_from_db()
    sent = date_format(
        timezone.localtime(waiting.submitted_at), "SHORT_DATETIME_FORMAT"
    )
    assert f"пар и групп: 2 · направлен {sent} · Анна Куратова" in page
    assert "учебный год: Орлова Н.П. — Зайцев О.И.</span>" in page
    assert "Замечания: Даты" in page
