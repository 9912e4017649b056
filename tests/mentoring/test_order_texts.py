"""The standard wording of orders, read from templates/orders/texts/."""

import pytest
from django.core.exceptions import ValidationError

from mentoring.models import Order
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

from .orders_helpers import named_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return OrganizationFactory()


@pytest.fixture
def curator(school):
    user = UserFactory(curator=True, organization=school)
    PersonFactory(
        organization=school,
        user=user,
        last_name="Корнилова",
        first_name="Анна",
        patronymic="Михайловна",
        position="заместитель директора по УВР",
    )
    return user


def test_a_pair_order_lists_each_pair_on_its_own_line_and_its_term(school, curator):
    pairs = [named_pair(school) for _ in range(2)]
    order = order_services.create_pair_order(
        organization=school, pairs=pairs, by=curator
    )
    items = list(order.items.values_list("text", flat=True))
    lines = items[0].split("\n")
    assert lines[0] == (
        "Закрепить наставнические пары (группы) согласно приложению к настоящему "
        "приказу:"
    )
    assert len(lines) == 3 and all(
        line.startswith("Закрепить наставником") for line in lines[1:]
    )
    assert items[1].startswith("Установить срок реализации")
    assert (
        "Заместителю директора по УВР Корниловой Анне Михайловне, "
        "куратору программы наставничества, обеспечить" in items[3]
    )
    assert items[-1] == "Контроль за исполнением настоящего приказа оставляю за собой."


def test_a_pair_without_dates_is_not_drafted_into_an_order(school, curator):
    # Signing would otherwise date it by the signing day, a term the director
    # never saw in the preview.
    pair = named_pair(school, starts_on=None, ends_on=None)
    with pytest.raises(ValidationError) as refused:
        order_services.create_pair_order(organization=school, pairs=[pair], by=curator)
    assert refused.value.messages == [
        f"У пары/группы № {pair.pk} не указан срок наставничества: укажите "
        "начало и окончание в карточке пары."
    ]
    assert not Order.objects.exists()


def test_a_pair_whose_dates_were_cleared_is_not_sent_to_sign(school, curator):
    pair = named_pair(school)
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    type(pair).objects.filter(pk=pair.pk).update(starts_on=None, ends_on=None)
    with pytest.raises(ValidationError) as refused:
        order_services.submit_order(order=order, by=curator)
    assert "не указан срок наставничества" in " ".join(refused.value.messages)
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT


def test_wrapped_lines_of_a_template_make_one_sentence(school, curator):
    order = order_services.create_order(
        organization=school, kind=Order.Kind.CURATOR, by=curator
    )
    assert order.preamble.endswith(
        "Положением о системе наставничества, в целях организации наставнической "
        "деятельности"
    )
    first = order.items.first().text
    assert "\n" not in first
    assert first.endswith(
        "учебный год заместителя директора по УВР Корнилову Анну Михайловну."
    )


def test_without_a_curator_the_appointment_leaves_a_blank(school):
    author = UserFactory(curator=True, organization=school)
    order = order_services.create_order(
        organization=school, kind=Order.Kind.CURATOR, by=author
    )
    assert order.items.first().text.endswith("учебный год ____________________.")
    assert not order.acquaintances.exists()


def test_another_order_has_the_basis_and_the_control_clause(school, curator):
    order = order_services.create_order(
        organization=school, kind=Order.Kind.OTHER, by=curator, title="О дежурстве"
    )
    assert order.preamble.startswith("В соответствии с Федеральным законом")
    assert list(order.items.values_list("text", flat=True)) == [
        "Контроль за исполнением настоящего приказа оставляю за собой."
    ]
