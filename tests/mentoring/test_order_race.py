"""Two directors' signatures at the same moment get consecutive numbers."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mentoring.models import Order
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, UserFactory

from .orders_helpers import named_pair


@pytest.mark.django_db(transaction=True)
def test_two_orders_signed_at_once_get_two_consecutive_numbers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The school's journal stands at 113: the two take 113 and 114.
    school = OrganizationFactory(
        order_number_suffix="-од",
        order_number_next=113,
        order_number_year=timezone.localdate().year,
    )
    curator = UserFactory(curator=True, organization=school)
    directors = [UserFactory(director=True, organization=school) for _ in range(2)]
    orders = []
    for _ in range(2):
        order = order_services.create_pair_order(
            organization=school, pairs=[named_pair(school)], by=curator
        )
        orders.append(order_services.submit_order(order=order, by=curator))
    start = threading.Barrier(2)
    failures = []

    def sign(order, director):
        try:
            start.wait()
            order_services.sign_order(order=order, director=director)
        except Exception as error:  # reported below, the thread must not die silently
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign, args=(order, director))
        for order, director in zip(orders, directors, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(
        Order.objects.filter(organization=school).values_list("number", flat=True)
    )
    assert numbers == [113, 114]


@pytest.mark.django_db(transaction=True)
def test_a_paper_entry_and_a_signing_at_once_never_share_a_number(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    school = OrganizationFactory(
        order_number_suffix="-од",
        order_number_next=113,
        order_number_year=timezone.localdate().year,
    )
    curator = UserFactory(curator=True, organization=school)
    director = UserFactory(director=True, organization=school)
    orders = []
    for _ in range(2):
        order = order_services.create_order(
            organization=school,
            kind=Order.Kind.OTHER,
            by=curator,
            title="Об организации наставничества",
            preamble="В целях развития наставничества",
            items=["Утвердить график встреч."],
        )
        orders.append(order_services.submit_order(order=order, by=curator))
    start = threading.Barrier(2)
    refusals, failures = [], []

    def run(call):
        try:
            start.wait()
            call()
        except ValidationError as error:
            refusals.append(error)
        except Exception as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    # Both want 113: the paper journal gave it, and it is the register's next.
    calls = [
        lambda: order_services.sign_order(order=orders[0], director=director),
        lambda: order_services.register_paper_order(
            order=orders[1],
            by=curator,
            number=113,
            signed_on=timezone.localdate(),
        ),
    ]
    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    signed = dict(
        Order.objects.filter(
            organization=school, status=Order.Status.SIGNED
        ).values_list("pk", "number")
    )
    if refusals:
        # The signing came first: the paper number was taken, and said so.
        assert "уже есть в журнале" in refusals[0].messages[0]
        assert signed == {orders[0].pk: 113}
    else:
        # The paper entry came first: the signing went on after it.
        assert signed == {orders[1].pk: 113, orders[0].pk: 114}
    school.refresh_from_db()
    assert school.order_number_next == max(signed.values()) + 1
