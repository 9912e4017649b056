"""Who sees which roadmap: the school its own and its district's, the
methodologist the district's, a participant none; templates all staff."""

import pytest

from roadmap.models import Activity, Roadmap, Stage
from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    PersonFactory,
    RoadmapFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _own(model, roadmap):
    if model is Roadmap:
        return Roadmap.objects.filter(pk=roadmap.pk)
    if model is Stage:
        return Stage.objects.filter(roadmap=roadmap)
    return Activity.objects.filter(stage__roadmap=roadmap)


@pytest.mark.parametrize("model", [Roadmap, Stage, Activity])
@pytest.mark.parametrize("role", ["curator", "director", "psychologist"])
def test_school_staff_see_their_own_and_their_districts_roadmaps_only(model, role):
    school = OrganizationFactory()
    mine = ActivityFactory(stage__roadmap__organization=school).stage.roadmap
    district = ActivityFactory(
        stage__roadmap=RoadmapFactory(of_district=True, district=school.district)
    ).stage.roadmap
    neighbour = ActivityFactory(
        stage__roadmap__organization__district=school.district
    ).stage.roadmap
    user = UserFactory(**{role: True, "organization": school})

    visible = model.objects.visible_to(user).filter(
        **({"is_template": False} if model is Roadmap else {})
    )

    assert set(visible) >= set(_own(model, mine)) | set(_own(model, district))
    assert not set(visible) & set(_own(model, neighbour))


@pytest.mark.parametrize("model", [Roadmap, Stage, Activity])
def test_the_methodologist_sees_their_districts_roadmaps_only(model):
    inside = ActivityFactory().stage.roadmap
    outside = ActivityFactory().stage.roadmap
    user = UserFactory(methodologist=True, district=inside.organization.district)

    visible = set(model.objects.visible_to(user))

    assert set(_own(model, inside)) <= visible
    assert not set(_own(model, outside)) & visible


@pytest.mark.parametrize("model", [Roadmap, Stage, Activity])
def test_a_participant_sees_no_roadmap(model):
    activity = ActivityFactory()
    person = PersonFactory(organization=activity.stage.roadmap.organization)
    person.user = UserFactory()
    person.save()

    assert not model.objects.visible_to(person.user).exists()
