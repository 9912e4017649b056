"""Odd numbers in URLs and forms are «not there», never an error page."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["abc", "²", "-1", "9" * 40])
def test_monitoring_ignores_a_year_or_organization_that_is_not_a_number(client, value):
    client.force_login(UserFactory(curator=True))
    url = reverse("surveys:monitoring")
    assert client.get(url, {"year": value, "organization": value}).status_code == 200


def test_swap_with_a_suggestion_that_is_not_a_number_is_not_found(client):
    from mentoring.matching.scoring import Weights
    from mentoring.services.matching import run_matching
    from tests.factories import MenteeProfileFactory, MentorProfileFactory, form

    curator = UserFactory(curator=True)
    tt = form("teacher-teacher")
    MentorProfileFactory(person__organization=curator.organization, forms=[tt])
    MenteeProfileFactory(person__organization=curator.organization)
    run = run_matching(
        organization=curator.organization, by=curator, forms=[tt], weights=Weights()
    )
    suggestion = run.suggestions.get()
    client.force_login(curator)
    url = reverse("mentoring:matching-swap", args=[run.pk, suggestion.pk])
    assert client.post(url, {"other": "abc"}).status_code == 404
