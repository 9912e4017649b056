"""Roadmap activities download as XLSX from the back office; the printed
roadmap's XLSX keeps typed text as text."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from roadmap.models import Activity
from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
)
from tests.mentoring.test_exports import NASTY, assert_kept_as_text, column

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _sheet(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content)).active


def test_activities_export_the_filtered_activities_of_the_own_school(client, curator):
    stage = StageFactory(roadmap__organization=curator.organization, name=NASTY[0])
    for content in NASTY:
        ActivityFactory(stage=stage, content=content)
    ActivityFactory(stage=stage, content="Проведённое", done=True)
    ActivityFactory(stage__roadmap__organization=OrganizationFactory(), content="Чужое")

    sheet = _sheet(
        client.get(
            reverse("admin:roadmap_activity_export"),
            {"status__exact": Activity.Status.PLANNED},
        )
    )

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == (
        "Содержание деятельности, мероприятие",
        "Этап",
        "Срок исполнения",
    )
    assert sorted(column(rows, rows[0][0])) == sorted(NASTY)
    assert_kept_as_text(sheet, NASTY)


def test_an_activities_export_costs_the_same_queries_for_2_and_20_rows(
    client, curator, django_assert_num_queries
):
    roadmap = RoadmapFactory(organization=curator.organization)
    url = reverse("admin:roadmap_activity_export")
    ActivityFactory.create_batch(2, stage__roadmap=roadmap)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)

    ActivityFactory.create_batch(18, stage__roadmap=roadmap)
    with django_assert_num_queries(len(two)):
        rows = list(_sheet(client.get(url)).iter_rows(values_only=True))
    assert len(rows) == 21


def test_roadmaps_list_exports_the_own_school_only(client, curator):
    RoadmapFactory(organization=curator.organization, title=NASTY[0])
    RoadmapFactory(organization=OrganizationFactory(), title="Чужая карта")

    sheet = _sheet(
        client.get(reverse("admin:roadmap_roadmap_export"), {"is_template__exact": 0})
    )

    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "Чужая карта" not in str(rows)
    assert rows[0][0] == "Дорожная карта"


def test_the_printed_roadmaps_xlsx_keeps_typed_text_as_text(client):
    roadmap = RoadmapFactory()
    stage = StageFactory(roadmap=roadmap, name="+Этап")
    for content in NASTY:
        ActivityFactory(stage=stage, content=content)
    client.force_login(UserFactory(director=True, organization=roadmap.organization))

    sheet = _sheet(client.get(reverse("roadmap:xlsx", args=[roadmap.pk])))

    assert_kept_as_text(sheet, [*NASTY, "+Этап"])


def test_the_activities_list_offers_the_export_with_its_filter(client, curator):
    response = client.get(
        reverse("admin:roadmap_activity_changelist"), {"status__exact": "planned"}
    )

    url = reverse("admin:roadmap_activity_export") + "?status__exact=planned"
    assert f'href="{url}"' in response.text


def test_the_roadmaps_list_offers_the_import_beside_the_export(client, curator):
    response = client.get(reverse("admin:roadmap_roadmap_changelist"))

    assert reverse("admin:roadmap_roadmap_import") in response.text
    assert reverse("admin:roadmap_roadmap_export") in response.text
