"""The methodologist's home page starts with the schools that fell behind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.district.test_organizations_table import _add_school
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("mentoring:home")).content.decode()


def test_schools_late_or_without_feedback_are_listed_with_links(client, district):
    page = _home(client, district.methodologist)
    assert "Школы, которым нужно внимание" in page
    roadmap = district.gymnasium.roadmaps.order_by("-year").first()
    late = reverse("roadmap:detail", args=[roadmap.pk])
    assert f'<a href="{late}">Гимназия №\u00a01</a>' in page
    assert "просроченных мероприятий: 1" in page
    monitoring = reverse("surveys:monitoring") + f"?organization={district.lyceum.pk}"
    assert f'<a href="{monitoring}">Лицей №\u00a02</a>' in page
    assert "анкет обратной связи заполнено 0 %" in page
    assert "Школа соседей" not in page


def test_a_district_on_track_is_told_so(client, district):
    other = UserFactory(methodologist=True)
    page = _home(client, other)
    assert "Все организации района идут по дорожным картам" in page


def test_the_panel_is_the_methodologists_only(client, district):
    page = _home(client, UserFactory(curator=True, organization=district.lyceum))
    assert "Школы, которым нужно внимание" not in page


def test_the_panel_costs_the_same_queries_at_two_sizes(client, district):
    client.force_login(district.methodologist)
    url = reverse("mentoring:home")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(10, 16):
        _add_school(district, n)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
