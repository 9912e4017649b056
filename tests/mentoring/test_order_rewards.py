"""The reward order's appendix: who is rewarded, how and for what."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import AuditEntry, Order, OrderReward
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def reward_order(curator):
    """A draft reward order; no pair has worked yet, so its appendix is empty."""
    return order_services.create_order(
        organization=curator.organization, kind=Order.Kind.REWARD, by=curator
    )


def test_a_reward_order_without_rewarded_people_is_not_sent(curator):
    order = reward_order(curator)
    assert not order.rewards.exists()
    with pytest.raises(ValidationError) as error:
        order_services.submit_order(order=order, by=curator)
    assert "В приказе о поощрении нет ни одного поощряемого" in str(error.value)
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT


def test_the_rows_of_a_signed_reward_order_cannot_be_changed(curator):
    order = reward_order(curator)
    person = PersonFactory(organization=curator.organization, consented=True)
    order_services.set_order_rewards(
        order=order,
        rows=[(person, OrderReward.Kind.BONUS, "За наставничество")],
        by=curator,
    )
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(
        order=order,
        director=UserFactory(director=True, organization=curator.organization),
    )
    with pytest.raises(ValidationError) as error:
        order_services.set_order_rewards(order=order, rows=[], by=curator)
    assert "Приказ «Подписан» изменять нельзя." in str(error.value)
    assert list(order.rewards.values_list("person", "kind")) == [
        (person.pk, OrderReward.Kind.BONUS)
    ]


def test_a_person_of_another_school_is_refused(curator):
    order = reward_order(curator)
    stranger = PersonFactory(
        organization=OrganizationFactory(), last_name="Чужая", first_name="Анна"
    )
    with pytest.raises(ValidationError) as error:
        order_services.set_order_rewards(
            order=order,
            rows=[(stranger, OrderReward.Kind.THANKS, "За наставничество")],
            by=curator,
        )
    assert "из другой организации" in str(error.value)
    assert not order.rewards.exists()


def _change_data(order, rewards):
    items = list(order.items.all())
    data = {
        "title": order.title,
        "preamble": order.preamble,
        "place": order.place,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "rewards-TOTAL_FORMS": str(len(rewards)),
        "rewards-INITIAL_FORMS": "0",
        "rewards-MIN_NUM_FORMS": "0",
        "rewards-MAX_NUM_FORMS": "1000",
        "acquaintances-TOTAL_FORMS": "0",
        "acquaintances-INITIAL_FORMS": "0",
        "acquaintances-MIN_NUM_FORMS": "0",
        "acquaintances-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        data |= {
            f"items-{i}-id": item.pk,
            f"items-{i}-order": order.pk,
            f"items-{i}-text": item.text,
        }
    for i, (person, kind, basis) in enumerate(rewards):
        data |= {
            f"rewards-{i}-person": person.pk,
            f"rewards-{i}-kind": kind,
            f"rewards-{i}-basis": basis,
        }
    return data


def test_curator_fills_the_appendix_in_the_admin_and_sends_the_order(client, curator):
    school = curator.organization
    order = reward_order(curator)
    url = reverse("admin:mentoring_order_change", args=[order.pk])
    page = client.get(url)
    assert "Вид поощрения" in page.text and "rewards-TOTAL_FORMS" in page.text
    first, second = PersonFactory.create_batch(2, organization=school, consented=True)
    response = client.post(
        url,
        _change_data(
            order,
            [
                (first, OrderReward.Kind.REGIONAL, "За победу в конкурсе"),
                (second, OrderReward.Kind.THANKS, "За работу с молодыми педагогами"),
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(order.rewards.values_list("position", "person", "kind")) == [
        (1, first.pk, OrderReward.Kind.REGIONAL),
        (2, second.pk, OrderReward.Kind.THANKS),
    ]
    assert AuditEntry.objects.filter(
        action="order.rewards_changed", actor=curator
    ).exists()
    client.post(
        reverse("admin:mentoring_order_changelist"),
        {"action": "submit", ACTION_CHECKBOX_NAME: [str(order.pk)]},
    )
    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE
    # On signature the appendix is shown but cannot be changed.
    page = client.get(url)
    assert 'name="rewards-0-kind"' not in page.text
    assert "За победу в конкурсе" in page.text


def test_admin_refuses_another_schools_person_with_a_message(client, curator):
    order = reward_order(curator)
    stranger = PersonFactory(organization=OrganizationFactory())
    url = reverse("admin:mentoring_order_change", args=[order.pk])
    response = client.post(
        url,
        _change_data(order, [(stranger, OrderReward.Kind.THANKS, "За работу")]),
        follow=True,
    )
    assert not order.rewards.exists()
    assert "Выберите корректный вариант" in response.text


def test_other_orders_have_no_reward_appendix_in_the_admin(client, curator):
    order = order_services.create_order(
        organization=curator.organization, kind=Order.Kind.FINAL_EVENT, by=curator
    )
    page = client.get(reverse("admin:mentoring_order_change", args=[order.pk]))
    assert page.status_code == 200
    assert "rewards-TOTAL_FORMS" not in page.text
