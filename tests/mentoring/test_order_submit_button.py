"""A draft's page sends it to the director, with the service's refusals."""

import pytest
from django.urls import reverse

from mentoring.models import Order
from mentoring.services import orders as order_services
from tests.factories import UserFactory

from .orders_helpers import mentor_without_duties_consent, named_pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _draft(curator, pair=None):
    school = curator.organization
    return order_services.create_pair_order(
        organization=school, pairs=[pair or named_pair(school)], by=curator
    )


def _submit_url(order):
    return reverse("admin:mentoring_order_submit", args=[order.pk])


def test_the_draft_page_sends_the_order_to_sign(client, curator):
    order = _draft(curator)
    page = client.get(reverse("admin:mentoring_order_change", args=[order.pk]))
    assert f'action="{_submit_url(order)}"' in page.text
    assert "Направить на подпись</button>" in page.text

    response = client.post(_submit_url(order), follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE
    assert response.redirect_chain[-1][0] == reverse(
        "admin:mentoring_order_change", args=[order.pk]
    )
    assert "направлен руководителю на подпись" in response.text
    # Sent: the page no longer offers to send it.
    assert _submit_url(order) not in response.text


def test_the_draft_page_shows_why_the_order_cannot_be_sent(client, curator):
    school = curator.organization
    pair = named_pair(school)
    mentor = mentor_without_duties_consent(
        school, last_name="Фомин", first_name="Олег", patronymic="Петрович"
    )
    pair.participations.filter(role="mentor").update(person=mentor)
    order = _draft(curator, pair)

    response = client.post(_submit_url(order), follow=True)

    assert "Фомин Олег Петрович (наставник" in response.text
    assert "нет действующего согласия" in response.text
    assert Order.objects.get().status == Order.Status.DRAFT


def test_the_submit_address_takes_only_a_post(client, curator):
    order = _draft(curator)
    assert client.get(_submit_url(order)).status_code == 405
    assert Order.objects.get().status == Order.Status.DRAFT
