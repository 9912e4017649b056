"""The persons' and pairs' lists resolve their annotations once and clone
them for each request (ScopedAdminMixin.prepare_rows): what they show must
still follow the day and the user asking."""

import datetime

import pytest
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Consent
from tests.factories import ConsentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONS = reverse("admin:mentoring_person_changelist")


def test_the_persons_consent_column_follows_the_day(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    curator = UserFactory(curator=True)
    person = PersonFactory(organization=curator.organization)
    consent = ConsentFactory(person=person, valid_until=timezone.localdate())
    PersonFactory(organization=curator.organization, last_name="Безсогласия")
    client.force_login(curator)
    valid, missing = str(_boolean_icon(True)), str(_boolean_icon(False))

    # Valid through today: the data consent's icon is «yes», the transfer's
    # «no»; the other person has neither.
    page = client.get(PERSONS).text
    assert (page.count(valid), page.count(missing)) == (1, 3)
    filtered = client.get(PERSONS + "?consent=valid")
    assert person.full_name in filtered.text
    # The list's rows inside another query (an action's, a download's): the
    # consent condition, compiled once for the list, is relabelled there.
    rows = filtered.context["cl"].queryset.values("pk")
    assert list(Consent.objects.filter(person__in=rows)) == [consent]
    assert client.get(PERSONS + "?consent=valid").context["cl"].result_count == 1

    # Tomorrow the same list, built from the rows prepared yesterday's way
    # if they were kept, would still say «yes».
    time_machine.shift(datetime.timedelta(days=1))
    client.force_login(curator)
    page = client.get(PERSONS).text
    assert (page.count(valid), page.count(missing)) == (0, 4)
    assert person.full_name not in client.get(PERSONS + "?consent=valid").text
    assert person.full_name in client.get(PERSONS + "?consent=missing").text


def test_each_curator_sees_only_their_schools_rows_from_the_shared_rows(client):
    first, second = UserFactory(curator=True), UserFactory(curator=True)
    ours = PersonFactory(organization=first.organization)
    theirs = PersonFactory(organization=second.organization)
    for curator, seen, unseen in ((first, ours, theirs), (second, theirs, ours)):
        client.force_login(curator)
        for url in (PERSONS, reverse("admin:mentoring_pair_changelist")):
            assert client.get(url).status_code == 200
        page = client.get(PERSONS).text
        assert seen.full_name in page and unseen.full_name not in page
