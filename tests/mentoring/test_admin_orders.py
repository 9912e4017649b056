"""Orders' reward rows and familiarization lists, through the order services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, Order, OrderReward
from mentoring.services import orders as order_services
from tests.factories import (
    OrderAcquaintanceFactory,
    OrderFactory,
    PersonFactory,
    UserFactory,
)
from tests.mentoring.admin_helpers import admin_form_data

pytestmark = pytest.mark.django_db


def today():
    # At run time, not import: a run may cross midnight in the school's zone.
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _url(order):
    return reverse("admin:mentoring_order_change", args=[order.pk])


def _order_audit(action):
    return AuditEntry.objects.filter(action=action)


def _reward_order(curator, rows=()):
    order = order_services.create_order(
        organization=curator.organization, kind=Order.Kind.REWARD, by=curator
    )
    if rows:
        order_services.set_order_rewards(order=order, rows=list(rows), by=curator)
    return order


def _rows(order):
    return list(order.rewards.values_list("person", "kind", "basis"))


def _signed_order(curator, **fields):
    return OrderFactory(
        organization=curator.organization,
        status=Order.Status.SIGNED,
        year=today().year,
        number=4,
        signed_on=today() - datetime.timedelta(days=5),
        **fields,
    )


def test_a_reward_row_without_a_basis_is_refused_on_the_page(client, curator):
    order = _reward_order(curator)
    person = PersonFactory(organization=curator.organization)
    data = admin_form_data(client.get(_url(order)))
    data |= {
        "rewards-TOTAL_FORMS": "1",
        "rewards-0-person": person.pk,
        "rewards-0-kind": OrderReward.Kind.THANKS,
        "rewards-0-basis": "   ",
    }

    response = client.post(_url(order), data)

    assert response.status_code == 200
    assert "Обязательное поле." in response.text
    assert not order.rewards.exists()
    assert not _order_audit("order.rewards_changed").exists()


def test_reward_rows_are_audited_when_they_change(client, curator):
    person = PersonFactory(organization=curator.organization)
    order = _reward_order(
        curator, [(person, OrderReward.Kind.THANKS, "За работу с молодыми")]
    )
    data = admin_form_data(
        client.get(_url(order)), **{"rewards-0-kind": OrderReward.Kind.BONUS}
    )

    response = client.post(_url(order), data)

    assert response.status_code == 302
    assert _rows(order) == [(person.pk, OrderReward.Kind.BONUS, "За работу с молодыми")]
    assert _order_audit("order.rewards_changed").filter(actor=curator).count() == 2


def test_rows_of_an_order_on_signature_stay_whatever_is_posted(client, curator):
    person = PersonFactory(organization=curator.organization)
    order = _reward_order(curator, [(person, OrderReward.Kind.THANKS, "За работу")])
    Order.objects.filter(pk=order.pk).update(status=Order.Status.ON_SIGNATURE)
    stranger = PersonFactory(organization=curator.organization)
    data = admin_form_data(client.get(_url(order)))
    data |= {
        "rewards-TOTAL_FORMS": "1",
        "rewards-INITIAL_FORMS": "0",
        "rewards-0-person": stranger.pk,
        "rewards-0-kind": OrderReward.Kind.BONUS,
        "rewards-0-basis": "Подменено",
        "acquaintances-TOTAL_FORMS": "1",
        "acquaintances-INITIAL_FORMS": "0",
        "acquaintances-0-person": stranger.pk,
        "status": Order.Status.SIGNED,
    }

    client.post(_url(order), data)

    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE
    assert _rows(order) == [(person.pk, OrderReward.Kind.THANKS, "За работу")]
    assert not order.acquaintances.exists()
    assert _order_audit("order.rewards_changed").count() == 1


def test_the_familiarization_list_is_set_by_the_service(client, curator):
    order = OrderFactory(organization=curator.organization)
    person = PersonFactory(organization=curator.organization)
    data = admin_form_data(client.get(_url(order)))
    data |= {
        "acquaintances-TOTAL_FORMS": "1",
        "acquaintances-0-person": person.pk,
        "acquaintances-0-acquainted_on": today().strftime("%d.%m.%Y"),  # forged
    }

    response = client.post(_url(order), data)

    assert response.status_code == 302
    [row] = order.acquaintances.all()
    assert (row.person, row.acquainted_on) == (person, None)
    assert _order_audit("order.acquaintances_set").get().actor == curator


def test_a_signed_orders_reading_date_is_not_before_its_signing(client, curator):
    order = _signed_order(curator)
    row = OrderAcquaintanceFactory(order=order)
    too_early = order.signed_on - datetime.timedelta(days=1)

    response = client.post(
        _url(order),
        admin_form_data(
            client.get(_url(order)),
            **{"acquaintances-0-acquainted_on": too_early.strftime("%d.%m.%Y")},
        ),
    )

    assert response.status_code == 200
    assert "Ознакомиться с приказом можно не раньше даты его подписания" in (
        response.text
    )
    row.refresh_from_db()
    assert row.acquainted_on is None
    assert not _order_audit("order.acquainted").exists()


def test_a_signed_orders_reading_date_is_recorded_with_who_wrote_it(client, curator):
    order = _signed_order(curator)
    row = OrderAcquaintanceFactory(order=order)
    other = PersonFactory(organization=curator.organization)
    data = admin_form_data(
        client.get(_url(order)),
        **{
            "acquaintances-0-acquainted_on": today().strftime("%d.%m.%Y"),
            "acquaintances-0-person": other.pk,  # forged: read-only once signed
        },
    )

    response = client.post(_url(order), data)

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.acquainted_on == today()
    assert row.person_id != other.pk
    entry = _order_audit("order.acquainted").get()
    assert (entry.actor, entry.data["person"]) == (curator, row.person_id)
