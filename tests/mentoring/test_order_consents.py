"""No order of any kind names a person without a valid consent (issue 10, item 2).

Pairs, reward rows, the familiarization list and the people its text names
(the curator appointed): «Направить на подпись» and signing refuse, naming
each person, where the order names them and which consent is missing.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import AuditEntry, Consent, Order, OrderReward, Pair
from mentoring.services import orders as order_services
from tests.factories import (
    ConsentFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

from .consent_audit import consent_violations
from .orders_helpers import named_pair

pytestmark = pytest.mark.django_db

PERSONAL_DATA = "на обработку персональных данных"
GUARDIAN = (
    "законного представителя на обработку персональных данных несовершеннолетнего"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def school():
    return OrganizationFactory(order_number_suffix="-од")


@pytest.fixture
def curator(school):
    return UserFactory(curator=True, organization=school)


@pytest.fixture
def director(school):
    return UserFactory(director=True, organization=school)


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def reward_order(curator, rewarded):
    order = order_services.create_order(
        organization=curator.organization, kind=Order.Kind.REWARD, by=curator
    )
    return order_services.set_order_rewards(
        order=order,
        rows=[(p, OrderReward.Kind.THANKS, "За наставничество") for p in rewarded],
        by=curator,
    )


def test_reward_rows_and_the_familiarization_list_need_consent(school, curator):
    expired = PersonFactory(organization=school, last_name="Орлова", first_name="Нина")
    ConsentFactory(person=expired, expired=True)
    withdrawn = PersonFactory(
        organization=school, last_name="Гусева", first_name="Вера"
    )
    ConsentFactory(person=withdrawn, withdrawn=True)
    minor = PersonFactory(
        organization=school, student=True, last_name="Белова", first_name="Катя"
    )
    ConsentFactory(person=minor, kind=Consent.Kind.GUARDIAN, withdrawn=True)
    order = reward_order(curator, [expired])
    order_services.set_order_acquaintances(
        order=order, people=[withdrawn, minor], by=curator
    )

    with pytest.raises(ValidationError) as error:
        order_services.submit_order(order=order, by=curator)

    assert error.value.messages == [
        f"{expired.full_name} (приложение о поощрении): нет действующего согласия — "
        f"{PERSONAL_DATA}.",
        f"{minor.full_name} (лист ознакомления): нет действующего согласия — "
        f"{GUARDIAN}.",
        f"{withdrawn.full_name} (лист ознакомления): нет действующего согласия — "
        f"{PERSONAL_DATA}.",
    ]
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT
    assert not AuditEntry.objects.filter(action="order.submitted").exists()


def test_the_curator_the_order_appoints_needs_consent(school, curator):
    person = PersonFactory(
        organization=school,
        last_name="Корнилова",
        first_name="Анна",
        patronymic="Михайловна",
        user=curator,
    )
    order = order_services.create_order(
        organization=school, kind=Order.Kind.CURATOR, by=curator
    )
    assert "Корнилову Анну Михайловну" in order.items.first().text
    # Off the familiarization list, the text still names her.
    order_services.set_order_acquaintances(order=order, people=[], by=curator)

    with pytest.raises(ValidationError) as error:
        order_services.submit_order(order=order, by=curator)
    assert error.value.messages == [
        f"{person.full_name} (назван(а) в тексте приказа): нет действующего "
        f"согласия — {PERSONAL_DATA}."
    ]

    ConsentFactory(person=person)
    order_services.submit_order(order=order, by=curator)
    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE


def test_a_consent_withdrawn_after_sending_stops_the_reward_order_signature(
    client, school, curator, director
):
    rewarded = PersonFactory(organization=school, consented=True)
    order = reward_order(curator, [rewarded])
    order_services.submit_order(order=order, by=curator)
    services.withdraw_consent(
        consent=rewarded.consents.get(kind=Consent.Kind.PERSONAL_DATA), by=curator
    )

    client.force_login(director)
    response = client.post(
        reverse("mentoring:order-sign", args=[order.pk]), follow=True
    )

    assert (
        f"{rewarded.full_name} (приложение о поощрении): нет действующего согласия"
        in response.text
    )
    order.refresh_from_db()
    assert (order.status, order.number, order.pdf.name) == (
        Order.Status.ON_SIGNATURE,
        None,
        "",
    )
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["order.submitted", "consent.withdrawn"]


def test_a_consent_withdrawn_between_preview_and_signing_leaves_everything_as_it_was(
    client, school, curator, director
):
    pair = named_pair(school)
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    # The director previews the order; meanwhile the mentee's consent is withdrawn.
    client.force_login(director)
    preview = client.get(reverse("mentoring:order-pdf", args=[order.pk]))
    assert preview.status_code == 200
    mentee = pair.participations.get(role="mentee").person
    services.withdraw_consent(
        consent=mentee.consents.get(kind=Consent.Kind.PERSONAL_DATA), by=curator
    )

    response = client.post(
        reverse("mentoring:order-sign", args=[order.pk]), follow=True
    )

    assert (
        f"{mentee.full_name} (наставляемый, пара/группа № {pair.pk}; лист "
        f"ознакомления): нет действующего согласия — {PERSONAL_DATA}."
    ) in response.text
    order.refresh_from_db()
    pair.refresh_from_db()
    assert (order.status, order.number) == (Order.Status.ON_SIGNATURE, None)
    assert pair.status == Pair.Status.SUSPENDED
    trail = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert trail[-4:] == [
        "order.submitted",
        "consent.withdrawn",
        "mentee_bank.archived",
        "pair.status_changed",
    ]
    assert not AuditEntry.objects.filter(action="order.signed").exists()
    assert consent_violations() == []


def test_an_order_signed_on_paper_earlier_is_checked_on_that_day(
    school, curator, director
):
    # The consent expired yesterday; the order was signed on paper before that.
    rewarded = PersonFactory(organization=school)
    ConsentFactory(
        person=rewarded,
        given_on=yesterday() - datetime.timedelta(days=100),
        valid_until=yesterday(),
    )
    order = reward_order(curator, [rewarded])
    Order.objects.filter(pk=order.pk).update(status=Order.Status.ON_SIGNATURE)
    day = yesterday() - datetime.timedelta(days=10)
    order_services.sign_order(order=order, director=director, on=day)
    order.refresh_from_db()
    assert order.signed_on == day
    assert consent_violations() == []
