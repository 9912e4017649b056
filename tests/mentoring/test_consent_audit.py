"""The consent audit over the whole database after the order, pair and meeting
workflows (the demo's own run is in test_demo_data.py)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from mentoring import services
from mentoring.models import Consent, Meeting, Order, OrderReward, Pair, Participation
from mentoring.services import orders as order_services
from mentoring.services.meetings import plan_meeting
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

from .consent_audit import consent_violations
from .orders_helpers import named_pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_workflows_leave_nobody_without_consent_anywhere():
    school = OrganizationFactory()
    curator = UserFactory(curator=True, organization=school)
    director = UserFactory(director=True, organization=school)
    pairs = [named_pair(school) for _ in range(3)]
    order = order_services.create_pair_order(
        organization=school, pairs=pairs, by=curator
    )
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(order=order, director=director)
    for pair in pairs:
        plan_meeting(
            pair=pair,
            by=curator,
            kind=Meeting.Kind.REGULAR,
            starts_at=timezone.now() + datetime.timedelta(days=7),
            topic="Разбор урока",
        )
    reward = order_services.create_order(
        organization=school, kind=Order.Kind.REWARD, by=curator
    )
    assert reward.rewards.count() == 3  # the standard appendix: the mentors
    order_services.submit_order(order=reward, by=curator)
    order_services.sign_order(order=reward, director=director)
    assert consent_violations() == []

    # One mentee withdraws, another's consent expires: the rules follow.
    first, second = (
        p.participations.get(role=Participation.Role.MENTEE).person for p in pairs[:2]
    )
    services.withdraw_consent(
        consent=first.consents.get(kind=Consent.Kind.PERSONAL_DATA), by=curator
    )
    second.consents.update(valid_until=timezone.localdate())
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert consent_violations(on=tomorrow)  # until the daily pass runs
    call_command(
        "apply_consent_expiries", "--on", tomorrow.isoformat(), stdout=StringIO()
    )

    assert consent_violations(on=tomorrow) == []
    statuses = sorted(Pair.objects.values_list("status", flat=True))
    assert statuses == ["active", "suspended", "suspended"]
    assert Meeting.objects.filter(status=Meeting.Status.PLANNED).count() == 1


def test_the_audit_finds_what_was_put_past_the_rules():
    # Written straight into the database, as a broken back office would.
    school = OrganizationFactory()
    pair = named_pair(school, status=Pair.Status.ACTIVE)
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    mentee.consents.update(withdrawn_on=timezone.localdate())
    stranger = PersonFactory(organization=school)
    order = Order.objects.create(
        organization=school,
        kind=Order.Kind.REWARD,
        title="О поощрении",
        preamble="—",
        status=Order.Status.SIGNED,
        year=2026,
        number=4,
        signed_on=timezone.localdate(),
    )
    OrderReward.objects.create(
        order=order, person=stranger, kind=OrderReward.Kind.THANKS, basis="—"
    )

    found = consent_violations()

    assert any(line.startswith("mentee bank: ") for line in found)
    assert any(line.startswith(f"pair {pair.pk} (active)") for line in found)
    assert any(line.startswith(f"signed order {order.pk}") for line in found)
