"""Every change made in the roadmap's back office goes through its services:
the service's refusals show on the form in Russian with nothing saved, a
success leaves the service's audit entry, and a status changes only through
the actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry
from roadmap.models import Activity, Evidence, Roadmap, Stage
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    OrganizationFactory,
    PersonFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _curator_of(client, roadmap):
    user = UserFactory(curator=True, organization=roadmap.organization)
    client.force_login(user)
    return user


def _actions(obj):
    return list(AuditEntry.objects.for_object(obj).values_list("action", flat=True))


# ---------------------------------------------------------------- the roadmap


def _roadmap_data(roadmap, stages=(), **changes):
    data = {
        "layout": roadmap.layout,
        "year": roadmap.year,
        "title": roadmap.title,
        "preamble": roadmap.preamble,
        "adoption_protocol_number": "",
        "adopted_on": "",
        "approver_position": "",
        "approver_name": "",
        "approval_order_number": "",
        "approval_order_on": "",
        **_management("stages", total=len(stages), initial=len(stages)),
        **changes,
    }
    for i, stage in enumerate(stages):
        data.update(
            {
                f"stages-{i}-id": stage.pk,
                f"stages-{i}-roadmap": roadmap.pk,
                f"stages-{i}-position": stage.position,
                f"stages-{i}-number": stage.number,
                f"stages-{i}-name": stage.name,
            }
        )
    return data


def _add_stage_row(data, index, number, name):
    data["stages-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"stages-{index}-position": str(index),
            f"stages-{index}-number": number,
            f"stages-{index}-name": name,
        }
    )
    return data


def _post_roadmap(client, roadmap, data):
    return client.post(reverse("admin:roadmap_roadmap_change", args=[roadmap.pk]), data)


def test_a_curator_creates_a_roadmap_of_their_school_with_an_audit_entry(client):
    curator = UserFactory(curator=True)
    client.force_login(curator)
    data = {
        "layout": Roadmap.Layout.SCHOOL,
        "year": "2025",
        "title": "Дорожная карта на 2025/2026 учебный год",
        "preamble": "",
        **_management("stages", total=1),
        "stages-0-position": "0",
        "stages-0-number": "1",
        "stages-0-name": "Подготовка условий",
    }

    response = client.post(reverse("admin:roadmap_roadmap_add"), data)

    assert response.status_code == 302
    roadmap = Roadmap.objects.get(is_template=False)
    assert roadmap.organization == curator.organization
    assert _actions(roadmap) == ["roadmap.created"]
    stage = roadmap.stages.get()
    assert _actions(stage) == ["roadmap.stage_added"]
    assert AuditEntry.objects.for_object(stage).get().actor == curator


def test_a_new_year_re_reads_the_deadlines_and_is_audited(client):
    roadmap = RoadmapFactory(year=2025)
    activity = ActivityFactory(stage__roadmap=roadmap, deadline_text="Май")
    _curator_of(client, roadmap)

    response = _post_roadmap(client, roadmap, _roadmap_data(roadmap, year="2026"))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.ends_on == datetime.date(2027, 5, 31)
    entry = AuditEntry.objects.for_object(roadmap).get()
    assert entry.action == "roadmap.edited"
    assert entry.data["year"] == [2025, 2026]


def test_the_administrator_hands_a_roadmap_to_another_school(client):
    roadmap = RoadmapFactory()
    school = OrganizationFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    data = _roadmap_data(roadmap, organization=school.pk, district="")

    response = _post_roadmap(client, roadmap, data)

    assert response.status_code == 302
    roadmap.refresh_from_db()
    assert roadmap.organization == school
    entry = AuditEntry.objects.for_object(roadmap).get()
    assert entry.data["organization"][1] == school.pk


def test_saving_an_unchanged_roadmap_records_nothing(client):
    roadmap = RoadmapFactory()
    _curator_of(client, roadmap)

    response = _post_roadmap(client, roadmap, _roadmap_data(roadmap))

    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


def test_a_methodologist_cannot_change_a_schools_roadmap(client):
    roadmap = RoadmapFactory(title="Дорожная карта школы")
    methodologist = UserFactory(
        methodologist=True, district=roadmap.organization.district
    )
    client.force_login(methodologist)

    response = _post_roadmap(
        client, roadmap, _roadmap_data(roadmap, title="Правка района")
    )

    assert response.status_code == 403
    roadmap.refresh_from_db()
    assert roadmap.title == "Дорожная карта школы"
    assert not AuditEntry.objects.exists()


# ---------------------------------------------------------------- stages


def test_a_stage_added_in_the_roadmaps_form_is_audited(client):
    roadmap = RoadmapFactory()
    first = StageFactory(roadmap=roadmap, number="1", position=0)
    _curator_of(client, roadmap)
    data = _add_stage_row(_roadmap_data(roadmap, [first]), 1, "2", "Обучение")

    response = _post_roadmap(client, roadmap, data)

    assert response.status_code == 302
    added = roadmap.stages.get(number="2")
    assert _actions(added) == ["roadmap.stage_added"]
    assert not AuditEntry.objects.for_object(first).exists()  # unchanged


def test_a_stage_number_already_in_the_roadmap_is_refused_on_the_form(client):
    roadmap = RoadmapFactory()
    first = StageFactory(roadmap=roadmap, number="1", name="Подготовка", position=0)
    second = StageFactory(roadmap=roadmap, number="2", name="Обучение", position=1)
    _curator_of(client, roadmap)
    data = _roadmap_data(roadmap, [first, second])
    data["stages-1-number"] = "1."

    response = _post_roadmap(client, roadmap, data)

    assert response.status_code == 200
    assert "Этап с номером «1.» в дорожной карте уже есть." in response.text
    second.refresh_from_db()
    assert second.number == "2"
    assert not AuditEntry.objects.exists()


def test_a_stage_renamed_and_one_deleted_in_the_roadmaps_form_are_audited(client):
    roadmap = RoadmapFactory()
    first = StageFactory(roadmap=roadmap, number="1", name="Подготовка", position=0)
    second = StageFactory(roadmap=roadmap, number="2", position=1)
    ActivityFactory(stage=second)
    _curator_of(client, roadmap)
    data = _roadmap_data(roadmap, [first, second])
    data["stages-0-name"] = "Подготовка условий"
    data["stages-1-DELETE"] = "on"

    response = _post_roadmap(client, roadmap, data)

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.name == "Подготовка условий"
    assert not Stage.objects.filter(pk=second.pk).exists()
    assert _actions(first) == ["roadmap.stage_edited"]
    removed = AuditEntry.objects.get(action="roadmap.stage_removed")
    assert removed.object_id == second.pk
    assert "мероприятиями: 1" in removed.message


def _stage_data(stage, activities=(), **changes):
    data = {
        "position": stage.position,
        "number": stage.number,
        "name": stage.name,
        **_management("activities", total=len(activities), initial=len(activities)),
        **changes,
    }
    for i, activity in enumerate(activities):
        data.update(_activity_row(i, activity=activity))
    return data


def _activity_row(i, activity=None, **changes):
    row = {
        "position": activity.position if activity else i,
        "code": activity.code if activity else "",
        "content": activity.content if activity else "",
        "deadline_text": activity.deadline_text if activity else "",
        "responsible_roles": activity.responsible_roles if activity else "",
        **changes,
    }
    if activity is not None:
        row.update({"id": activity.pk, "stage": activity.stage_id})
    return {f"activities-{i}-{key}": value for key, value in row.items()}


def _post_stage(client, stage, data):
    return client.post(reverse("admin:roadmap_stage_change", args=[stage.pk]), data)


def test_a_stage_renumbered_on_its_page_is_audited(client):
    stage = StageFactory(number="1")
    _curator_of(client, stage.roadmap)

    response = _post_stage(client, stage, _stage_data(stage, number="1.1"))

    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.number == "1.1"
    entry = AuditEntry.objects.for_object(stage).get()
    assert (entry.action, entry.data["number"]) == (
        "roadmap.stage_edited",
        ["1", "1.1"],
    )


def test_a_stage_renumbered_onto_another_is_refused_on_its_page(client):
    stage = StageFactory(number="1")
    StageFactory(roadmap=stage.roadmap, number="2")
    _curator_of(client, stage.roadmap)

    response = _post_stage(client, stage, _stage_data(stage, number="2."))

    assert response.status_code == 200
    assert "Этап с таким номером в дорожной карте уже есть." in response.text
    stage.refresh_from_db()
    assert stage.number == "1"
    assert not AuditEntry.objects.exists()


def test_a_schools_curator_cannot_change_a_stage_of_the_district_roadmap(client):
    district = DistrictFactory()
    stage = StageFactory(
        roadmap=RoadmapFactory(of_district=True, district=district), name="Районный"
    )
    client.force_login(UserFactory(curator=True, organization__district=district))

    response = _post_stage(client, stage, _stage_data(stage, name="Школьный"))

    assert response.status_code == 403
    stage.refresh_from_db()
    assert stage.name == "Районный"


# ---------------------------------------------------------------- activities on the stage's page


def test_an_activity_added_on_the_stages_page_is_audited(client):
    stage = StageFactory()
    person = PersonFactory(organization=stage.roadmap.organization)
    _curator_of(client, stage.roadmap)
    data = _stage_data(stage)
    data["activities-TOTAL_FORMS"] = "1"
    data.update(
        _activity_row(
            0,
            content="Анкетирование педагогов",
            deadline_text="Октябрь",
            responsible=[person.pk],
        )
    )

    response = _post_stage(client, stage, data)

    assert response.status_code == 302
    activity = stage.activities.get()
    assert list(activity.responsible.all()) == [person]
    assert activity.ends_on.month == 10
    assert _actions(activity) == ["roadmap.activity_added"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"deadline_text": "Новябрь"}, "«Новябрь» — не месяц"),
        ({"responsible": "outsider"}, "Выберите корректный вариант"),
    ],
)
def test_an_activity_the_service_refuses_is_not_added_on_the_stages_page(
    client, row, message
):
    stage = StageFactory()
    outsider = PersonFactory(last_name="Чужова")
    _curator_of(client, stage.roadmap)
    if row.get("responsible") == "outsider":
        row = {"responsible": [outsider.pk]}
    data = _stage_data(stage)
    data["activities-TOTAL_FORMS"] = "1"
    data.update(_activity_row(0, content="Анкетирование", **row))

    response = _post_stage(client, stage, data)

    assert response.status_code == 200
    assert message in response.text
    assert "Чужова" not in response.text
    assert not stage.activities.exists()
    assert not AuditEntry.objects.exists()


def test_a_forged_status_in_the_stages_activity_rows_changes_nothing(client):
    activity = ActivityFactory(content="Анкетирование")
    stage = activity.stage
    _curator_of(client, stage.roadmap)
    data = _stage_data(stage, [activity])
    data.update(
        {
            "activities-0-content": "Анкетирование педагогов",
            "activities-0-status": "done",
            "activities-0-done_on": "01.09.2025",
        }
    )

    response = _post_stage(client, stage, data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.content == "Анкетирование педагогов"
    assert (activity.status, activity.done_on) == ("planned", None)
    assert _actions(activity) == ["roadmap.activity_edited"]


def test_an_activity_deleted_on_the_stages_page_is_audited(client):
    activity = ActivityFactory()
    stage = activity.stage
    _curator_of(client, stage.roadmap)
    data = _stage_data(stage, [activity])
    data["activities-0-DELETE"] = "on"

    response = _post_stage(client, stage, data)

    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert _actions(activity) == ["roadmap.activity_removed"]


# ---------------------------------------------------------------- the activity's page


def _activity_data(activity, evidence=(), **changes):
    data = {
        "position": activity.position,
        "code": activity.code,
        "content": activity.content,
        "deadline_text": activity.deadline_text,
        "responsible": [p.pk for p in activity.responsible.all()],
        "responsible_roles": activity.responsible_roles,
        **_management("evidence", total=len(evidence), initial=len(evidence)),
        **changes,
    }
    for i, item in enumerate(evidence):
        data.update(
            {
                f"evidence-{i}-id": item.pk,
                f"evidence-{i}-activity": activity.pk,
                f"evidence-{i}-title": item.title,
                f"evidence-{i}-url": item.url,
            }
        )
    return data


def _post_activity(client, activity, data):
    url = reverse("admin:roadmap_activity_change", args=[activity.pk])
    return client.post(url, data)


def test_responsible_people_set_on_the_activitys_page_are_audited(client):
    activity = ActivityFactory()
    person = PersonFactory(organization=activity.stage.roadmap.organization)
    _curator_of(client, activity.stage.roadmap)

    response = _post_activity(
        client, activity, _activity_data(activity, responsible=[person.pk])
    )

    assert response.status_code == 302
    assert list(activity.responsible.all()) == [person]
    entry = AuditEntry.objects.for_object(activity).get()
    assert entry.action == "roadmap.activity_edited"
    assert entry.data["responsible"] == [[], [person.pk]]


def test_a_person_of_another_school_is_refused_without_naming_them(client):
    activity = ActivityFactory()
    outsider = PersonFactory(last_name="Чужова", first_name="Анна")
    _curator_of(client, activity.stage.roadmap)

    response = _post_activity(
        client, activity, _activity_data(activity, responsible=[outsider.pk])
    )

    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.text
    assert "Чужова" not in response.text
    assert not activity.responsible.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("status", "done_on"), [("done", "01.09.2025"), ("in_progress", "")]
)
def test_a_forged_status_on_the_activitys_page_changes_nothing(client, status, done_on):
    activity = ActivityFactory()
    _curator_of(client, activity.stage.roadmap)

    response = _post_activity(
        client, activity, _activity_data(activity, status=status, done_on=done_on)
    )

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.done_on) == ("planned", None)
    assert not AuditEntry.objects.exists()


def test_a_forged_done_on_does_not_move_the_day_an_activity_was_done(client):
    activity = ActivityFactory(done=True, done_on=datetime.date(2025, 10, 1))
    _curator_of(client, activity.stage.roadmap)

    _post_activity(
        client, activity, _activity_data(activity, status="planned", done_on="")
    )

    activity.refresh_from_db()
    assert (activity.status, activity.done_on) == ("done", datetime.date(2025, 10, 1))


def test_the_status_is_shown_not_editable_on_the_activitys_page(client):
    activity = ActivityFactory()
    _curator_of(client, activity.stage.roadmap)

    page = client.get(reverse("admin:roadmap_activity_change", args=[activity.pk]))

    assert 'name="status"' not in page.text
    assert 'name="done_on"' not in page.text
    assert "Запланировано" in page.text


def test_evidence_added_on_the_activitys_page_is_audited(client):
    activity = ActivityFactory()
    curator = _curator_of(client, activity.stage.roadmap)
    data = _activity_data(activity)
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-title": "Протокол педсовета № 3",
            "evidence-0-url": "https://school.example/p3.pdf",
        }
    )

    response = _post_activity(client, activity, data)

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.added_by == curator
    entry = AuditEntry.objects.for_object(activity).get()
    assert entry.action == "roadmap.evidence_added"
    assert "Протокол педсовета № 3" in entry.message


def test_evidence_with_a_bad_link_is_refused_on_the_activitys_page(client):
    activity = ActivityFactory()
    _curator_of(client, activity.stage.roadmap)
    data = _activity_data(activity)
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-title": "Протокол",
            "evidence-0-url": "javascript:alert(1)",
        }
    )

    response = _post_activity(client, activity, data)

    assert response.status_code == 200
    assert "Введите адрес страницы" in response.text
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.exists()


def test_evidence_changed_and_removed_on_the_activitys_page_is_audited(client):
    activity = ActivityFactory()
    kept = Evidence.objects.create(activity=activity, title="Протокол")
    dropped = Evidence.objects.create(activity=activity, title="Черновик")
    _curator_of(client, activity.stage.roadmap)
    data = _activity_data(activity, [kept, dropped])
    data["evidence-0-title"] = "Протокол № 3"
    data["evidence-1-DELETE"] = "on"

    response = _post_activity(client, activity, data)

    assert response.status_code == 302
    assert list(activity.evidence.values_list("title", flat=True)) == ["Протокол № 3"]
    assert sorted(_actions(activity)) == [
        "roadmap.evidence_edited",
        "roadmap.evidence_removed",
    ]


def test_an_activity_deleted_from_its_page_is_audited(client):
    activity = ActivityFactory()
    _curator_of(client, activity.stage.roadmap)
    url = reverse("admin:roadmap_activity_delete", args=[activity.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert _actions(activity) == ["roadmap.activity_removed"]


# ---------------------------------------------------------------- status actions


def _act(client, action, *activities):
    return client.post(
        reverse("admin:roadmap_activity_changelist"),
        {"action": action, "_selected_action": [a.pk for a in activities]},
        follow=True,
    )


def test_marking_done_reopening_and_starting_go_through_the_service(client):
    activity = ActivityFactory()
    _curator_of(client, activity.stage.roadmap)

    done = _act(client, "mark_done", activity)
    activity.refresh_from_db()
    assert "Отмечено выполненными: 1." in done.text
    assert (activity.status, activity.done_on) == ("done", timezone.localdate())

    reopened = _act(client, "reopen", activity)
    activity.refresh_from_db()
    assert "Возвращено в запланированные: 1." in reopened.text
    assert (activity.status, activity.done_on) == ("planned", None)

    _act(client, "mark_in_progress", activity)
    activity.refresh_from_db()
    assert activity.status == "in_progress"
    entries = AuditEntry.objects.for_object(activity).order_by("pk")
    assert [e.data["to"] for e in entries] == ["done", "planned", "in_progress"]
    assert {e.action for e in entries} == {"roadmap.activity_status"}


def test_marking_done_again_keeps_the_day_and_records_nothing(client):
    activity = ActivityFactory(done=True, done_on=datetime.date(2025, 10, 1))
    _curator_of(client, activity.stage.roadmap)

    response = _act(client, "mark_done", activity)

    assert "Уже в статусе «Выполнено»: 1." in response.text
    activity.refresh_from_db()
    assert activity.done_on == datetime.date(2025, 10, 1)
    assert not AuditEntry.objects.exists()


def test_a_school_cannot_mark_the_district_roadmaps_activity_done(client):
    district = DistrictFactory()
    activity = ActivityFactory(
        stage__roadmap=RoadmapFactory(of_district=True, district=district)
    )
    client.force_login(UserFactory(curator=True, organization__district=district))

    response = _act(client, "mark_done", activity)

    assert response.status_code == 200
    assert "Нет прав изменять дорожную карту" in response.text
    activity.refresh_from_db()
    assert activity.status == "planned"
    assert not AuditEntry.objects.exists()


def test_a_methodologist_cannot_delete_a_schools_activities_in_bulk(client):
    activity = ActivityFactory()
    client.force_login(
        UserFactory(
            methodologist=True,
            district=activity.stage.roadmap.organization.district,
        )
    )

    response = client.post(
        reverse("admin:roadmap_activity_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [activity.pk],
            "post": "yes",
        },
        follow=True,
    )

    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert not AuditEntry.objects.exists()
