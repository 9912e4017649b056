"""The home page lists the roadmap activities the user answers for."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    PersonFactory,
    RoadmapFactory,
    UserFactory,
)


def _tasks(client, user) -> list[dict]:
    client.force_login(user)
    response = client.get(reverse("mentoring:home"))
    panels = {panel.name: panel.data for panel in response.context["panels"]}
    return panels["roadmap-tasks"]["items"]


def _due(days: int) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return {"deadline_text": "", "starts_on": None, "ends_on": day}


@pytest.mark.django_db
def test_overdue_tasks_come_first_then_by_deadline(client):
    organization = OrganizationFactory()
    user = UserFactory(psychologist=True, organization=organization)
    person = PersonFactory(organization=organization, user=user)
    roadmap = RoadmapFactory(organization=organization)
    later = ActivityFactory(
        stage__roadmap=roadmap, content="Позже", responsible=[person], **_due(20)
    )
    soon = ActivityFactory(
        stage__roadmap=roadmap, content="Скоро", responsible=[person], **_due(2)
    )
    late = ActivityFactory(
        stage__roadmap=roadmap, content="Просрочено", responsible=[person], **_due(-3)
    )
    ActivityFactory(
        stage__roadmap=roadmap, content="Сделано", responsible=[person], done=True
    )

    items = _tasks(client, user)

    assert [item["text"] for item in items] == ["Просрочено", "Скоро", "Позже"]
    assert items[0]["alert"] and "просрочено" in items[0]["note"]
    assert items[0]["url"].endswith(f"?person={person.pk}#activity-{late.pk}")
    assert {soon.pk, later.pk} <= {int(item["url"].rsplit("-", 1)[1]) for item in items}


@pytest.mark.django_db
def test_tasks_by_role_are_the_schools_own_not_the_districts_or_anothers(client):
    organization = OrganizationFactory()
    curator = UserFactory(curator=True, organization=organization)
    ActivityFactory(
        stage__roadmap__organization=organization,
        content="Свой куратор",
        responsible_roles="куратор, наставники",
    )
    ActivityFactory(
        stage__roadmap__organization=organization,
        content="Психологу",
        responsible_roles="педагог-психолог",
    )
    # The district's roadmap names every school's curator: not this one's task.
    ActivityFactory(
        stage__roadmap=RoadmapFactory(of_district=True, district=organization.district),
        content="Кураторы ОУ района",
        responsible_roles="кураторы ОУ",
    )
    ActivityFactory(
        stage__roadmap__organization=OrganizationFactory(),
        content="Чужой куратор",
        responsible_roles="куратор",
    )
    # Last year's roadmap is closed, whatever was left open in it.
    ActivityFactory(
        stage__roadmap=RoadmapFactory(
            organization=organization, year=timezone.localdate().year - 2
        ),
        content="Прошлый год",
        responsible_roles="куратор",
    )

    assert [item["text"] for item in _tasks(client, curator)] == ["Свой куратор"]


@pytest.mark.django_db
def test_the_methodologist_answers_for_the_district_roadmaps_imc_rows(client):
    organization = OrganizationFactory()
    methodologist = UserFactory(methodologist=True, district=organization.district)
    district_roadmap = RoadmapFactory(of_district=True, district=organization.district)
    ActivityFactory(
        stage__roadmap=district_roadmap, content="Семинар", responsible_roles="ИМЦ"
    )
    ActivityFactory(
        stage__roadmap=district_roadmap, content="Отчёт школ", responsible_roles="ОУ"
    )
    ActivityFactory(
        stage__roadmap__organization=organization,
        content="Школьное",
        responsible_roles="методист школы",
    )

    assert [item["text"] for item in _tasks(client, methodologist)] == ["Семинар"]
