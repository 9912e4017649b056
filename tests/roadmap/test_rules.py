"""Bad input gets a clear Russian message and nothing is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from roadmap import services
from roadmap.models import Roadmap
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


def test_a_stage_number_used_twice_is_refused():
    roadmap = RoadmapFactory()
    services.add_stage(by=None, roadmap=roadmap, number="1", name="Подготовка")

    with pytest.raises(ValidationError) as error:
        services.add_stage(by=None, roadmap=roadmap, number="1.", name="Ещё раз")

    assert "Этап с таким номером в дорожной карте уже есть." in error.value.messages
    assert roadmap.stages.count() == 1


def test_a_deadline_ending_before_its_start_is_refused_by_the_database_rule():
    activity = ActivityFactory.build(
        stage=StageFactory(),
        starts_on=datetime.date(2024, 5, 1),
        ends_on=datetime.date(2024, 4, 30),
    )

    with pytest.raises(ValidationError) as error:
        activity.full_clean()

    assert "Окончание срока не может быть раньше его начала." in str(error.value)


def test_a_bad_month_in_a_deadline_saves_nothing():
    stage = StageFactory()

    with pytest.raises(ValidationError) as error:
        services.add_activity(
            by=None, stage=stage, content="Анкетирование", deadline_text="Сентяб 2025"
        )

    assert "«Сентяб» — не месяц" in error.value.message_dict["deadline_text"][0]
    assert not stage.activities.exists()


def test_a_responsible_person_from_another_organization_is_refused():
    stage = StageFactory()
    outsider = PersonFactory(last_name="Чужова")

    with pytest.raises(ValidationError) as error:
        services.add_activity(
            by=None, stage=stage, content="Анкетирование", responsible=[outsider]
        )

    assert "сотрудник другой организации" in error.value.messages[0]
    assert not stage.activities.exists()


def test_the_refusal_does_not_name_a_person_the_curator_may_not_see():
    stage = StageFactory()
    curator = UserFactory(curator=True, organization=stage.roadmap.organization)
    outsider = PersonFactory(last_name="Гаврилов", first_name="Борис")

    with pytest.raises(ValidationError) as error:
        services.add_activity(
            by=curator, stage=stage, content="Анкетирование", responsible=[outsider]
        )

    assert "сотрудник другой организации" in error.value.messages[0]
    assert "Гаврилов" not in error.value.messages[0]


def test_the_refusal_names_a_person_the_methodologist_sees():
    stage = StageFactory()
    district = stage.roadmap.organization.district
    neighbour = PersonFactory(
        last_name="Гаврилов", organization=OrganizationFactory(district=district)
    )
    methodologist = UserFactory(methodologist=True, district=district)

    with pytest.raises(ValidationError) as error:
        services.check_responsible(
            roadmap=stage.roadmap, persons=[neighbour], by=methodologist
        )

    assert "Гаврилов" in error.value.messages[0]


def test_a_roadmap_belongs_to_an_organization_or_a_district_not_both():
    roadmap = Roadmap(
        organization=OrganizationFactory(),
        district=DistrictFactory(),
        year=2025,
        title="Дорожная карта",
    )

    with pytest.raises(ValidationError) as error:
        roadmap.full_clean()

    assert "либо организации, либо району" in str(error.value)


def test_another_schools_curator_cannot_add_a_stage():
    roadmap = RoadmapFactory()
    curator = UserFactory(curator=True)

    with pytest.raises(ValidationError, match="Нет прав"):
        services.add_stage(by=curator, roadmap=roadmap, number="1", name="Этап")
    assert not roadmap.stages.exists()


def test_a_schools_curator_cannot_change_the_district_roadmap():
    district = DistrictFactory()
    roadmap = RoadmapFactory(of_district=True, district=district)
    curator = UserFactory(curator=True, organization__district=district)
    methodologist = UserFactory(methodologist=True, district=district)

    assert not services.can_edit_roadmap(user=curator, roadmap=roadmap)
    assert services.can_edit_roadmap(user=methodologist, roadmap=roadmap)


def test_an_activity_cannot_be_done_on_a_day_still_to_come():
    activity = ActivityFactory()
    curator = UserFactory(
        curator=True, organization=activity.stage.roadmap.organization
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError, match="ещё не наступила"):
        services.set_activity_status(
            by=curator, activity=activity, status="done", done_on=tomorrow
        )

    activity.refresh_from_db()
    assert (activity.status, activity.done_on) == ("planned", None)


def test_reopening_an_activity_clears_the_day_it_was_done():
    activity = ActivityFactory(done=True)

    services.set_activity_status(by=None, activity=activity, status="planned")

    activity.refresh_from_db()
    assert (activity.status, activity.done_on) == ("planned", None)


def test_another_schools_curator_cannot_edit_or_remove_an_activity():
    activity = ActivityFactory(content="Анкетирование")
    stranger = UserFactory(curator=True)

    with pytest.raises(ValidationError, match="Нет прав"):
        services.edit_activity(by=stranger, activity=activity, content="Чужое")
    with pytest.raises(ValidationError, match="Нет прав"):
        services.remove_activity(by=stranger, activity=activity)
    with pytest.raises(ValidationError, match="Нет прав"):
        services.set_activity_status(by=stranger, activity=activity, status="done")
    with pytest.raises(ValidationError, match="Нет прав"):
        services.add_evidence(by=stranger, activity=activity, title="Приказ")

    activity.refresh_from_db()
    assert (activity.content, activity.status) == ("Анкетирование", "planned")
    assert not activity.evidence.exists()


def test_an_edit_cannot_make_a_person_of_another_school_responsible():
    activity = ActivityFactory()
    outsider = PersonFactory(last_name="Чужова")

    with pytest.raises(ValidationError, match="сотрудник другой организации"):
        services.edit_activity(
            by=None,
            activity=activity,
            content=activity.content,
            responsible=[outsider],
        )

    assert not activity.responsible.exists()


def test_a_stage_cannot_be_renumbered_onto_another():
    stage = StageFactory(number="1")
    StageFactory(roadmap=stage.roadmap, number="2")

    with pytest.raises(ValidationError) as error:
        services.edit_stage(by=None, stage=stage, number="2.", name="Этап", position=0)

    assert "Этап с таким номером в дорожной карте уже есть." in error.value.messages
    stage.refresh_from_db()
    assert stage.number == "1"


def test_a_schools_curator_cannot_retitle_or_remove_the_district_roadmap():
    district = DistrictFactory()
    roadmap = RoadmapFactory(of_district=True, district=district, title="Района")
    curator = UserFactory(curator=True, organization__district=district)

    with pytest.raises(ValidationError, match="Нет прав"):
        services.update_roadmap(by=curator, roadmap=roadmap, title="Школы")
    with pytest.raises(ValidationError, match="Нет прав"):
        services.remove_roadmap(by=curator, roadmap=roadmap)

    roadmap.refresh_from_db()
    assert roadmap.title == "Района"
