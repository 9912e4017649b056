"""Two directors' signatures at the same moment get consecutive numbers."""

import threading

import pytest
from django.db import connection

from mentoring.models import Order
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, UserFactory

from .orders_helpers import named_pair


@pytest.mark.django_db(transaction=True)
def test_two_orders_signed_at_once_get_two_consecutive_numbers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    school = OrganizationFactory(order_number_suffix="-од")
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
    assert numbers == [1, 2]
