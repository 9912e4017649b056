"""One rule for a consent in force on a day (`consent_valid_on`): the SQL
filter and `Consent.is_valid` agree on every arrangement of its dates."""

import datetime
import itertools

import pytest
from django.utils import timezone

from mentoring.models import Consent, Person
from mentoring.selectors import with_consent_state
from tests.factories import ConsentFactory, PersonFactory

SHIFTS = (-1, 0, 1)


@pytest.fixture
def day():
    # At run time, not import: a run may cross midnight in the school's zone.
    return timezone.localdate() - datetime.timedelta(days=10)


def _on(day, shift):
    return None if shift is None else day + datetime.timedelta(days=shift)


def _arrangements(day):
    """Given, withdrawn and expiry dates around day, as the constraints allow."""
    for given, withdrawn, until in itertools.product(
        SHIFTS, (None, *SHIFTS), (None, *SHIFTS)
    ):
        if (withdrawn is not None and withdrawn < given) or (
            until is not None and until < given
        ):
            continue
        yield _on(day, given), _on(day, withdrawn), _on(day, until)


@pytest.mark.django_db
def test_the_query_and_the_row_agree_on_every_arrangement(day):
    person = PersonFactory()
    consents = [
        ConsentFactory(
            person=person, given_on=given, withdrawn_on=withdrawn, valid_until=until
        )
        for given, withdrawn, until in _arrangements(day)
    ]
    in_force = set(Consent.objects.valid_on(day).values_list("pk", flat=True))
    withdrawn = set(Consent.objects.withdrawn_by(day).values_list("pk", flat=True))
    expired = set(Consent.objects.expired_by(day).values_list("pk", flat=True))

    for consent in consents:
        dates = (consent.given_on, consent.withdrawn_on, consent.valid_until)
        assert (consent.pk in in_force) == consent.is_valid(day), dates
        assert (consent.pk in withdrawn) == consent.is_withdrawn(day), dates
        assert (consent.pk in expired) == consent.is_expired(day), dates
    # Held on its last day, not on the day it is withdrawn, not before given.
    assert {
        (c.given_on, c.withdrawn_on, c.valid_until) for c in consents if c.is_valid(day)
    } == {
        (given, withdrawn, until)
        for given, withdrawn, until in _arrangements(day)
        if given <= day
        and (withdrawn is None or withdrawn > day)
        and (until is None or until >= day)
    }


@pytest.mark.django_db
def test_the_persons_consent_state_follows_the_same_rule(day):
    held = PersonFactory()
    ConsentFactory(person=held, valid_until=day)
    withdrawn = PersonFactory()
    ConsentFactory(person=withdrawn, withdrawn_on=day)

    state = dict(
        with_consent_state(Person.objects.all(), day).values_list(
            "pk", "has_valid_consent"
        )
    )

    assert state[held.pk] is True
    assert state[withdrawn.pk] is False
