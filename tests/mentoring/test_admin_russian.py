"""The admin's messages built around a model's name read right in Russian.

Django's Russian agrees them with a masculine noun: «Добавить еще один
Встреча», «Встреча … был успешно изменен», «Удалить выбранные участники».
"""

import json
import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from mentoring.admin.russian import PHRASES
from mentoring.models import Participation
from tests.factories import (
    MeetingFactory,
    PairFactory,
    UserFactory,
    fill_questionnaire,
)
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
    assert json.dumps("Добавить ещё одну встречу")[1:-1] in page
    assert json.dumps("Добавить ещё одного участника")[1:-1] in page
    assert json.dumps("Добавить еще один")[1:-1] not in page


def test_the_add_button_names_the_model_in_the_accusative(client, curator):
    people = client.get(reverse("admin:mentoring_person_changelist")).text
    meetings = client.get(reverse("admin:mentoring_meeting_changelist")).text
    assert ">Добавить участника</a>" in people
    assert ">Добавить встречу</a>" in meetings


def test_every_model_the_admin_shows_has_its_phrases():
    """A new model or inline in the admin needs its accusative forms."""
    ours = ("mentoring", "roadmap", "surveys", "public")
    shown = set()
    for model, model_admin in admin.site._registry.items():
        shown.add(model._meta.label_lower)
        shown.update(inline.model._meta.label_lower for inline in model_admin.inlines)
    missing = {label for label in shown if label.split(".")[0] in ours} - set(PHRASES)
    assert missing == set()


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


def test_a_refused_edit_names_the_meeting_as_stored_not_as_typed(client, curator):
    meeting = MeetingFactory(pair__organization=curator.organization)
    mentor = meeting.pair.participations.get(role=Participation.Role.MENTOR).person
    fill_questionnaire("meeting-feedback-mentor", respondent=mentor, meeting=meeting)
    url = reverse("admin:mentoring_meeting_change", args=[meeting.pk])
    typed = timezone.localtime(meeting.starts_at).replace(year=2030)
    data = admin_form_data(client.get(url), starts_at_0=f"{typed:%d.%m.%Y}")
    page = client.post(url, data).text
    assert "По встрече уже есть обратная связь" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    assert str(meeting) in title and str(meeting) in crumbs
    assert "2030" not in title and "2030" not in crumbs


def test_the_add_page_breadcrumb_reads_right(client, curator):
    page = client.get(reverse("admin:mentoring_meeting_add")).text
    assert "Новая запись (встреча)" in page
