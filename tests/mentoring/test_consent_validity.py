"""One rule for a consent in force on a day (`consent_valid_on`): the SQL
filter and `Consent.is_valid` agree on every arrangement of its dates."""

import datetime
import itertools

import pytest
from django.utils import timezone

from mentoring.models import Consent, Person
from mentoring.selectors import with_consent_state
from tests.factories import ConsentFactory, PersonFactory

DAY = timezone.localdate() - datetime.timedelta(days=10)
SHIFTS = (-1, 0, 1)


def _on(shift):
    return None if shift is None else DAY + datetime.timedelta(days=shift)


def _arrangements():
    """Given, withdrawn and expiry dates around DAY, as the constraints allow."""
    for given, withdrawn, until in itertools.product(
        SHIFTS, (None, *SHIFTS), (None, *SHIFTS)
    ):
        if (withdrawn is not None and withdrawn < given) or (
            until is not None and until < given
        ):
            continue
        yield _on(given), _on(withdrawn), _on(until)


@pytest.mark.django_db
def test_the_query_and_the_row_agree_on_every_arrangement():
    person = PersonFactory()
    consents = [
        ConsentFactory(
            person=person, given_on=given, withdrawn_on=withdrawn, valid_until=until
        )
        for given, withdrawn, until in _arrangements()
    ]
    in_force = set(Consent.objects.valid_on(DAY).values_list("pk", flat=True))
    withdrawn = set(Consent.objects.withdrawn_by(DAY).values_list("pk", flat=True))
    expired = set(Consent.objects.expired_by(DAY).values_list("pk", flat=True))

    for consent in consents:
        dates = (consent.given_on, consent.withdrawn_on, consent.valid_until)
        assert (consent.pk in in_force) == consent.is_valid(DAY), dates
        assert (consent.pk in withdrawn) == consent.is_withdrawn(DAY), dates
        assert (consent.pk in expired) == consent.is_expired(DAY), dates
    # Held on its last day, not on the day it is withdrawn, not before given.
    assert {
        (c.given_on, c.withdrawn_on, c.valid_until) for c in consents if c.is_valid(DAY)
    } == {
        (given, withdrawn, until)
        for given, withdrawn, until in _arrangements()
        if given <= DAY
        and (withdrawn is None or withdrawn > DAY)
        and (until is None or until >= DAY)
    }


@pytest.mark.django_db
def test_the_persons_consent_state_follows_the_same_rule():
    held = PersonFactory()
    ConsentFactory(person=held, valid_until=DAY)
    withdrawn = PersonFactory()
    ConsentFactory(person=withdrawn, withdrawn_on=DAY)

    state = dict(
        with_consent_state(Person.objects.all(), DAY).values_list(
            "pk", "has_valid_consent"
        )
    )

    assert state[held.pk] is True
    assert state[withdrawn.pk] is False
