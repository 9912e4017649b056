"""From the curator's lists to the record where the next step is taken."""

import pytest
from django.urls import reverse

from mentoring import services
from mentoring.models import Consent, Participation
from tests.factories import PairFactory, UserFactory

pytestmark = pytest.mark.django_db


def suspended_pair():
    pair = PairFactory(active=True)
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    curator = UserFactory(curator=True, organization=pair.organization)
    services.withdraw_consent(
        consent=mentee.consents.get(kind=Consent.Kind.PERSONAL_DATA), by=curator
    )
    return pair, mentee, curator


def test_the_curators_home_links_each_suspended_pair_to_its_page(client):
    pair, mentee, curator = suspended_pair()
    client.force_login(curator)
    home = client.get(reverse("mentoring:home")).text
    assert reverse("admin:mentoring_pair_change", args=[pair.pk]) in home
    assert (
        reverse("admin:mentoring_pair_changelist") + "?status__exact=suspended" in home
    )


def test_the_director_without_the_back_office_gets_no_dead_link(client):
    pair, mentee, curator = suspended_pair()
    client.force_login(UserFactory(director=True, organization=pair.organization))
    home = client.get(reverse("mentoring:home")).text
    assert "Приостановлены — нужно решение куратора" in home
    assert reverse("admin:mentoring_pair_change", args=[pair.pk]) not in home


def test_the_destruction_list_links_the_person_for_the_curator(client):
    pair, mentee, curator = suspended_pair()
    client.force_login(curator)
    page = client.get(reverse("mentoring:consent-destruction")).text
    assert reverse("admin:mentoring_person_change", args=[mentee.pk]) in page
