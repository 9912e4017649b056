"""Where the school stands: the roadmap page for curator, director, methodologist."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Evidence
from tests.factories import (
    ActivityFactory,
    PersonFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _roadmap_with(count: int, roadmap=None):
    roadmap = roadmap or RoadmapFactory()
    people = PersonFactory.create_batch(2, organization=roadmap.organization)
    stages = StageFactory.create_batch(max(count // 3, 1), roadmap=roadmap)
    for index in range(count):
        ActivityFactory(
            stage=stages[index % len(stages)],
            responsible=people,
            ends_on=_days(index - count // 2),
            starts_on=_days(index - count // 2 - 30),
        )
    return roadmap


def test_overdue_and_due_soon_activities_are_highlighted(client):
    roadmap = RoadmapFactory()
    stage = StageFactory(roadmap=roadmap)
    ActivityFactory(stage=stage, content="Просроченное дело", ends_on=_days(-3))
    ActivityFactory(stage=stage, content="Скорое дело", ends_on=_days(10))
    ActivityFactory(stage=stage, content="Дальнее дело", ends_on=_days(60))
    ActivityFactory(stage=stage, content="Сделанное", ends_on=_days(-3), done=True)
    client.force_login(UserFactory(director=True, organization=roadmap.organization))

    response = client.get(reverse("roadmap:detail", args=[roadmap.pk]))

    overdue = response.context["overview"]
    assert (overdue.overdue, overdue.due_soon, overdue.done) == (1, 1, 1)
    page = response.text
    assert page.count("activity-overdue") == 1
    assert page.count("activity-due-soon") == 1
    assert "Просрочено" in page and "Срок подходит" in page
    assert "1 из 4" in page
    # The monthly plan colours the months each deadline spans by its state.
    expected = {
        "Просроченное дело": "tl-overdue",
        "Скорое дело": "tl-soon",
        "Дальнее дело": "tl-planned",
        "Сделанное": "tl-done",
    }
    for block in overdue.stages:
        for activity in block.activities:
            assert len(activity.timeline) == 12
            shown = {cell for cell in activity.timeline if cell}
            assert shown <= {expected[activity.content]}
            for cell in shown:
                assert f'<td class="{cell}"></td>' in page
    assert page.count('<td class="tl-') + page.count('<td class=""') == 4 * 12


def test_the_page_runs_the_same_queries_for_2_and_24_activities(
    client, django_assert_num_queries
):
    small, big = _roadmap_with(2), _roadmap_with(24)
    curator = UserFactory(curator=True, organization=small.organization)
    client.force_login(curator)
    client.get(reverse("roadmap:detail", args=[small.pk]))  # warm the session

    with django_assert_num_queries(8) as small_queries:
        client.get(reverse("roadmap:detail", args=[small.pk]))
    curator.organization = big.organization
    curator.save(update_fields=["organization"])
    with django_assert_num_queries(len(small_queries.captured_queries)):
        response = client.get(reverse("roadmap:detail", args=[big.pk]))
    assert response.status_code == 200


def test_filter_by_responsible_person_shows_only_their_activities(client):
    roadmap = RoadmapFactory()
    stage = StageFactory(roadmap=roadmap)
    kosareva = PersonFactory(organization=roadmap.organization, last_name="Косарева")
    pirogova = PersonFactory(organization=roadmap.organization, last_name="Пирогова")
    ActivityFactory(stage=stage, content="Анкетирование", responsible=[kosareva])
    ActivityFactory(stage=stage, content="Поддержка", responsible=[pirogova])
    client.force_login(UserFactory(curator=True, organization=roadmap.organization))

    response = client.get(
        reverse("roadmap:detail", args=[roadmap.pk]), {"person": pirogova.pk}
    )

    assert "Поддержка" in response.text
    assert "Анкетирование" not in response.text


def test_another_schools_roadmap_is_not_found(client):
    roadmap = RoadmapFactory()
    client.force_login(UserFactory(curator=True))

    response = client.get(reverse("roadmap:detail", args=[roadmap.pk]))

    assert response.status_code == 404


def test_a_participant_sees_no_roadmap(client):
    roadmap = RoadmapFactory()
    person = PersonFactory(organization=roadmap.organization)
    person.user = UserFactory()
    person.save()
    client.force_login(person.user)

    assert client.get(reverse("roadmap:detail", args=[roadmap.pk])).status_code == 404


def test_the_district_roadmap_is_read_only_for_its_schools(client):
    district_roadmap = RoadmapFactory(of_district=True)
    stage = StageFactory(roadmap=district_roadmap)
    activity = ActivityFactory(stage=stage, ends_on=_days(5))
    curator = UserFactory(
        curator=True, organization__district=district_roadmap.district
    )
    client.force_login(curator)

    page = client.get(reverse("roadmap:detail", args=[district_roadmap.pk]))
    refused = client.post(
        reverse("roadmap:activity-status", args=[activity.pk]), {"status": "done"}
    )

    assert page.status_code == 200
    assert "Отметить выполненным" not in page.text
    # The school sees the district's activity, so marking it is forbidden.
    assert refused.status_code == 403
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_the_methodologist_sees_the_districts_school_roadmaps(client):
    roadmap = RoadmapFactory()
    client.force_login(
        UserFactory(methodologist=True, district=roadmap.organization.district)
    )

    response = client.get(reverse("roadmap:list"))

    assert roadmap.organization.short_name in response.text


def test_the_curator_marks_an_activity_done(client):
    activity = ActivityFactory(ends_on=_days(-1))
    client.force_login(
        UserFactory(curator=True, organization=activity.stage.roadmap.organization)
    )

    client.post(
        reverse("roadmap:activity-status", args=[activity.pk]), {"status": "done"}
    )

    activity.refresh_from_db()
    assert (activity.status, activity.done_on) == ("done", timezone.localdate())


def test_the_list_runs_the_same_queries_for_2_and_20_roadmaps(
    client, django_assert_num_queries
):
    methodologist = UserFactory(methodologist=True)
    for _ in range(2):
        _roadmap_with(3, RoadmapFactory(organization__district=methodologist.district))
    client.force_login(methodologist)
    client.get(reverse("roadmap:list"))

    with django_assert_num_queries(3) as few:
        client.get(reverse("roadmap:list"))
    for _ in range(18):
        RoadmapFactory(organization__district=methodologist.district)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("roadmap:list"))
    assert response.text.count("list-group-item-action") == 20


def test_an_activity_names_its_people_roles_and_evidence(client):
    roadmap = RoadmapFactory()
    stage = StageFactory(roadmap=roadmap)
    people = [
        PersonFactory(organization=roadmap.organization, last_name=name, **names)
        for name, names in (
            ("Пирогова", {"first_name": "Анна", "patronymic": "Ивановна"}),
            ("Косарева", {"first_name": "Ольга", "patronymic": ""}),
        )
    ]
    activity = ActivityFactory(
        stage=stage, responsible=people, responsible_roles="куратор"
    )
    Evidence.objects.create(activity=activity, title="Приказ", url="/media/a.pdf")
    Evidence.objects.create(activity=activity, title="Отчёт", url="/\\evil.example/")
    ActivityFactory(stage=stage, content="Без людей", responsible_roles="")
    client.force_login(UserFactory(curator=True, organization=roadmap.organization))

    page = client.get(reverse("roadmap:detail", args=[roadmap.pk])).text

    assert "Ответственные:\n        Косарева О., Пирогова А.И., куратор" in page
    assert page.count("Ответственные:") == 1
    assert 'Подтверждение:\n        <a href="/media/a.pdf">Приказ</a>; Отчёт' in page
    assert page.count("Подтверждение:") == 1
    assert f'<option value="{people[1].pk}">Косарева О.</option>' in page
