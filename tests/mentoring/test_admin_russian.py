"""The admin's messages built around a model's name read right in Russian.

Django's Russian agrees them with a masculine noun: «Добавить еще один
Встреча», «Встреча … был успешно изменен», «Удалить выбранные участники».
"""

import json

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, PairFactory, UserFactory
from tests.mentoring.admin_helpers import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def test_the_pairs_meetings_inline_offers_another_meeting_in_russian(client, curator):
    pair = PairFactory(active=True, organization=curator.organization)
    page = client.get(reverse("admin:mentoring_pair_change", args=[pair.pk])).text
    # The inline's options are JSON in an attribute, non-ASCII escaped.
    assert json.dumps("Добавить ещё: Встреча")[1:-1] in page
    assert json.dumps("Добавить еще один")[1:-1] not in page


def test_a_saved_meeting_is_reported_without_a_masculine_ending(client, curator):
    meeting = MeetingFactory(pair__organization=curator.organization)
    url = reverse("admin:mentoring_meeting_change", args=[meeting.pk])
    data = admin_form_data(client.get(url), topic="Разбор открытого урока")
    page = client.post(url, data, follow=True).text
    assert "Изменения сохранены: встреча" in page
    assert "был успешно" not in page


def test_the_delete_action_on_people_reads_right(client, curator):
    page = client.get(reverse("admin:mentoring_person_changelist")).text
    assert "Удалить выбранные записи: участники" in page
    assert "Удалить выбранные участники" not in page
