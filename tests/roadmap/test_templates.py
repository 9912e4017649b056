"""The model roadmaps come with the app; a curator copies one in one step."""

import datetime

import pytest
from django.urls import reverse

from roadmap.deadlines import DeadlineKind
from roadmap.models import Roadmap
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_teachers_students_and_district_templates_are_installed():
    templates = {r.code: r for r in Roadmap.objects.filter(is_template=True)}

    assert set(templates) == {"teachers", "students", "district"}
    assert [s.number for s in templates["teachers"].stages.all()] == [
        str(n) for n in range(1, 8)
    ]
    assert templates["students"].stages.count() == 7
    assert templates["district"].layout == Roadmap.Layout.DISTRICT


def test_a_curator_creates_the_years_roadmap_from_a_template_in_one_step(client):
    curator = UserFactory(curator=True)
    template = Roadmap.objects.get(is_template=True, code="teachers")
    client.force_login(curator)

    response = client.post(
        reverse("roadmap:create"), {"template": template.pk, "year": 2025}, follow=True
    )

    roadmap = Roadmap.objects.get(organization=curator.organization)
    assert "Дорожная карта создана." in response.text
    assert roadmap.year == 2025
    assert roadmap.stages.count() == 7
    pairs = roadmap.stages.get(number="5").activities.get(code="form_pairs")
    assert (pairs.deadline_kind, pairs.starts_on, pairs.ends_on) == (
        DeadlineKind.MONTH,
        datetime.date(2025, 10, 1),
        datetime.date(2025, 10, 31),
    )
    final = roadmap.stages.get(number="6").activities.get(code="final_event")
    assert final.ends_on == datetime.date(2026, 5, 31)
    assert roadmap.approver_name == curator.organization.head_name


def test_a_methodologist_creates_the_district_roadmap_from_the_district_template(
    client,
):
    methodologist = UserFactory(methodologist=True)
    template = Roadmap.objects.get(is_template=True, code="district")
    client.force_login(methodologist)

    client.post(reverse("roadmap:create"), {"template": template.pk, "year": 2025})

    roadmap = Roadmap.objects.get(district=methodologist.district)
    assert roadmap.organization is None
    assert roadmap.layout == Roadmap.Layout.DISTRICT
