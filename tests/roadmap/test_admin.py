"""The curator edits activities in the back office; the rules hold there too."""

import pytest
from django.urls import reverse

from mentoring.models import AuditEntry
from tests.factories import (
    ActivityFactory,
    PersonFactory,
    RoadmapFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _post(client, activity, **changes):
    data = {
        "position": activity.position,
        "code": activity.code,
        "content": activity.content,
        "deadline_text": activity.deadline_text,
        "responsible": [],
        "responsible_roles": activity.responsible_roles,
        "status": activity.status,
        "done_on": "",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
        **changes,
    }
    url = reverse("admin:roadmap_activity_change", args=[activity.pk])
    return client.post(url, data)


@pytest.fixture
def activity(client):
    activity = ActivityFactory(deadline_text="Май")
    client.force_login(
        UserFactory(curator=True, organization=activity.stage.roadmap.organization)
    )
    return activity


def test_a_new_deadline_text_moves_the_dates(client, activity):
    response = _post(client, activity, deadline_text="Октябрь – ноябрь")

    assert response.status_code == 302
    activity.refresh_from_db()
    year = activity.stage.roadmap.year
    assert (activity.starts_on.isoformat(), activity.ends_on.isoformat()) == (
        f"{year}-10-01",
        f"{year}-11-30",
    )
    entry = AuditEntry.objects.for_object(activity).get()
    assert entry.action == "roadmap.activity_edited"
    assert entry.organization == activity.stage.roadmap.organization


def test_a_bad_month_is_shown_on_the_field_and_nothing_changes(client, activity):
    response = _post(client, activity, deadline_text="Новябрь")

    assert response.status_code == 200
    assert "«Новябрь» — не месяц" in response.text
    activity.refresh_from_db()
    assert activity.deadline_text == "Май"


def test_a_person_of_another_school_cannot_be_made_responsible(client, activity):
    outsider = PersonFactory(last_name="Чужова")

    response = _post(client, activity, responsible=[outsider.pk])

    assert response.status_code == 200
    assert not activity.responsible.exists()


def test_another_schools_activity_is_not_found_in_the_admin(client):
    activity = ActivityFactory()
    client.force_login(UserFactory(curator=True))

    response = client.get(reverse("admin:roadmap_activity_change", args=[activity.pk]))

    assert response.status_code == 302  # the admin sends a missing object home


def test_two_stages_with_one_number_in_the_admin_form_are_refused(client):
    roadmap = RoadmapFactory()
    client.force_login(UserFactory(curator=True, organization=roadmap.organization))
    data = {
        "layout": roadmap.layout,
        "year": roadmap.year,
        "title": roadmap.title,
        "preamble": "",
        "adoption_protocol_number": "",
        "adopted_on": "",
        "approver_position": "",
        "approver_name": "",
        "approval_order_number": "",
        "approval_order_on": "",
        "stages-TOTAL_FORMS": "2",
        "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
        "stages-0-position": "0",
        "stages-0-number": "1",
        "stages-0-name": "Подготовка условий",
        "stages-1-position": "1",
        "stages-1-number": "1.",
        "stages-1-name": "Формирование банка наставляемых",
    }

    response = client.post(
        reverse("admin:roadmap_roadmap_change", args=[roadmap.pk]), data
    )

    assert response.status_code == 200
    assert "Этап с номером «1.» в дорожной карте уже есть." in response.text
    assert not roadmap.stages.exists()


def test_the_district_roadmap_is_read_only_in_a_schools_back_office(client):
    roadmap = RoadmapFactory(of_district=True, title="Дорожная карта района")
    curator = UserFactory(curator=True, organization__district=roadmap.district)
    client.force_login(curator)
    url = reverse("admin:roadmap_roadmap_change", args=[roadmap.pk])

    page = client.get(url)
    refused = client.post(url, {"title": "Чужая правка", "year": roadmap.year})

    assert page.status_code == 200
    assert 'name="title"' not in page.text  # shown, not editable
    assert refused.status_code == 403
    roadmap.refresh_from_db()
    assert roadmap.title == "Дорожная карта района"
