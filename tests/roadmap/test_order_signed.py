"""The roadmap listens to the core: a signed order closes the activity it proves,
in the signing's own transaction (mentoring.signals.order_signed)."""

import pytest
from django.core.exceptions import ValidationError

from mentoring.models import AuditEntry, Order, Pair
from mentoring.services import orders as order_services
from mentoring.signals import order_signed
from roadmap.models import Activity
from tests.factories import (
    ActivityFactory,
    OrderFactory,
    OrganizationFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
)
from tests.mentoring.orders_helpers import named_pair

pytestmark = pytest.mark.django_db


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


def activity(school, code):
    stage = StageFactory(roadmap=RoadmapFactory(organization=school), number="1")
    return ActivityFactory(stage=stage, code=code)


def pair_order_on_signature(school, curator):
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    return order_services.submit_order(order=order, by=curator)


def test_signing_regulations_closes_adopting_the_acts_and_nothing_else(
    school, director
):
    adopt = activity(school, "adopt_acts")
    forming = activity(school, "form_pairs")
    order = OrderFactory(
        organization=school,
        kind=Order.Kind.REGULATIONS,
        title="Об утверждении положения о наставничестве",
        on_signature=True,
    )

    order_services.sign_order(order=order, director=director)

    adopt.refresh_from_db()
    forming.refresh_from_db()
    assert adopt.status == Activity.Status.DONE
    assert adopt.evidence.get().source == order
    assert forming.status == Activity.Status.PLANNED


def test_an_order_of_another_kind_closes_no_activity(school, director):
    forming = activity(school, "form_pairs")
    order = OrderFactory(
        organization=school,
        kind=Order.Kind.OTHER,
        title="О дежурстве",
        on_signature=True,
    )

    order_services.sign_order(order=order, director=director)

    forming.refresh_from_db()
    assert forming.status == Activity.Status.PLANNED
    assert not forming.evidence.exists()


def test_the_signal_carries_the_signed_order_its_director_and_day(
    school, curator, director
):
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    order = pair_order_on_signature(school, curator)
    order_signed.connect(listener, dispatch_uid="test-listener")
    try:
        signed = order_services.sign_order(order=order, director=director)
    finally:
        order_signed.disconnect(dispatch_uid="test-listener")

    [announced] = heard
    assert announced["order"] == signed
    assert announced["order"].status == Order.Status.SIGNED
    assert announced["by"] == director
    assert announced["on"] == signed.signed_on


def test_a_failing_listener_refuses_the_signing_and_undoes_the_roadmap(
    school, curator, director
):
    forming = activity(school, "form_pairs")
    order = pair_order_on_signature(school, curator)

    def refuse(sender, **kwargs):
        raise ValidationError("Дорожная карта недоступна.", code="test")

    # Connected after the roadmap's own receiver, so that one has written
    # its evidence by the time this one fails.
    order_signed.connect(refuse, dispatch_uid="test-refuse")
    try:
        with pytest.raises(ValidationError, match="Дорожная карта недоступна."):
            order_services.sign_order(order=order, director=director)
    finally:
        order_signed.disconnect(dispatch_uid="test-refuse")

    order.refresh_from_db()
    forming.refresh_from_db()
    assert (order.status, order.number) == (Order.Status.ON_SIGNATURE, None)
    assert set(order.pairs.values_list("status", flat=True)) == {Pair.Status.DRAFT}
    assert not AuditEntry.objects.filter(action="order.signed").exists()
    assert forming.status == Activity.Status.PLANNED
    assert not forming.evidence.exists()
