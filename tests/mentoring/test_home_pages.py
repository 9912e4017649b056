"""Each role's home page starts the day's work, and tells it in links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    MenteeProfileFactory,
    OrderFactory,
    OrganizationFactory,
    PersonFactory,
)
from tests.mentoring.home_data import (
    ROLES,
    fill_school,
    meetings_of,
    participant_pair,
    staff_user,
)

HOME = reverse("mentoring:home")


def _user(role, organization):
    if role in ("mentor", "mentee"):
        user, pair = participant_pair(role, organization)
        return user, pair
    return staff_user(role, organization), None


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_psychologist_starts_with_the_mentees_she_supports_and_her_tasks(client):
    organization = OrganizationFactory()
    psychologist = staff_user("psychologist", organization)
    person = PersonFactory(organization=organization, user=psychologist)
    MenteeProfileFactory(
        person__organization=organization,
        person__last_name="Лебедева",
        person__first_name="Вера",
    )
    MenteeProfileFactory(person__last_name="Чужая")  # another school
    mine = ActivityFactory(
        stage__roadmap__organization=organization,
        content="Сопровождение наставляемых без пары",
        responsible=[person],
    )
    by_role = ActivityFactory(
        stage__roadmap__organization=organization,
        content="Диагностика адаптации",
        responsible_roles="педагог-психолог",
    )
    ActivityFactory(
        stage__roadmap__organization=organization,
        content="Подготовить приказ",
        responsible_roles="куратор",
    )

    page = _page(client, psychologist)

    support = page.index("Требуется сопровождение")
    assert support < page.index("Мои мероприятия дорожной карты")
    assert "Лебедева Вера" in page
    assert "Чужая" not in page
    assert f'href="{reverse("mentoring:support")}"' in page
    detail = reverse("roadmap:detail", args=[mine.stage.roadmap_id])
    assert f'href="{detail}?person={person.pk}#activity-{mine.pk}"' in page
    assert f"#activity-{by_role.pk}" in page
    assert "Подготовить приказ" not in page
    # Her page keeps to her work: no back-office lists, no orders.
    assert "/admin/" not in page
    assert "Приказы" not in page


@pytest.mark.django_db
def test_director_is_asked_to_sign_the_orders_awaiting_signature(client):
    organization = OrganizationFactory()
    OrderFactory.create_batch(2, organization=organization, on_signature=True)
    OrderFactory(on_signature=True)  # another school's

    client.force_login(staff_user("director", organization))
    response = client.get(HOME)

    today = {item["text"]: item for item in response.context["today"]}
    assert today["Приказы на подпись"]["count"] == 2
    assert today["Приказы на подпись"]["url"] == reverse("mentoring:orders")
    assert f'href="{reverse("mentoring:orders")}"' in response.content.decode()


@pytest.mark.django_db
def test_curator_sees_returned_orders_suspended_pairs_and_mentors_owing_feedback(
    client,
):
    organization = OrganizationFactory()
    fill_school(organization, 2)

    client.force_login(staff_user("curator", organization))
    response = client.get(HOME)
    page = response.content.decode()

    today = {item["text"]: item for item in response.context["today"]}
    assert today["Приказы, возвращённые на доработку"]["count"] == 2
    assert today["Приостановленные пары ждут решения"]["count"] == 2
    assert today["Наставляемые без пары: нужно сопровождение"]["count"] >= 2
    assert "Обратная связь после встреч не заполнена · наставников: 2" in page
    assert f'href="{reverse("surveys:feedback-owed")}"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_participant_sees_feedback_owed_and_this_weeks_meetings(client, role):
    user, pair = participant_pair(role, OrganizationFactory())
    meetings_of(pair, 1)
    owed = pair.meetings.get(status="held")
    coming = pair.meetings.get(status="planned")

    page = _page(client, user)

    assert "На этой неделе" in page
    assert f'href="{reverse("surveys:feedback", args=[owed.pk])}"' in page
    assert f'href="{reverse("surveys:pair", args=[pair.pk])}"' in page
    assert page.index("Заполнить обратную связь") < page.index("Встреча: ")
    assert coming.topic in page
    # A participant's page names no school-wide figures.
    assert "Наставляемых без пары" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_home_page_queries_do_not_grow_with_the_school(client, role):
    organization = OrganizationFactory()
    user, pair = _user(role, organization)
    fill_school(organization, 1)
    if pair:
        meetings_of(pair, 1)
    client.force_login(user)
    client.get(HOME)
    with CaptureQueriesContext(connection) as small:
        client.get(HOME)

    fill_school(organization, 6)
    if pair:
        meetings_of(pair, 6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(HOME)

    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large]


@pytest.mark.django_db
def test_nothing_owed_is_not_listed(client):
    organization = OrganizationFactory()
    OrderFactory(organization=organization)  # a draft: not owed to anyone yet

    page = _page(client, staff_user("curator", organization))

    assert "Срочных дел нет" in page
    assert "Приказы, возвращённые на доработку" not in page
