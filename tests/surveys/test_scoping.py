"""Questionnaires are scoped by the shared rule (`scope_by_role`): the
standard ones are everyone's, an organization's own are its people's."""

import pytest
from django.contrib.auth.models import AnonymousUser

from surveys.models import Questionnaire
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    QuestionnaireFactory,
    UserFactory,
    questionnaire,
)


def _seen(user) -> set[str]:
    return set(
        Questionnaire.objects.visible_to(user)
        .exclude(organization__isnull=True)
        .values_list("title", flat=True)
    )


@pytest.mark.django_db
def test_each_role_sees_the_standard_forms_and_its_own_organizations():
    school = OrganizationFactory()
    neighbour = OrganizationFactory(district=school.district)
    far = OrganizationFactory()
    for organization, title in (
        (school, "своя"),
        (neighbour, "соседняя"),
        (far, "чужая"),
    ):
        QuestionnaireFactory(organization=organization, title=title)
    standard = questionnaire("mentee-request")
    participant = UserFactory()
    PersonFactory(organization=school, user=participant)

    assert _seen(UserFactory(curator=True, organization=school)) == {"своя"}
    assert _seen(UserFactory(methodologist=True, district=school.district)) == {
        "своя",
        "соседняя",
    }
    assert _seen(participant) == {"своя"}
    assert _seen(UserFactory()) == set()  # a login without a card
    assert _seen(UserFactory(is_superuser=True)) == {"своя", "соседняя", "чужая"}
    for user in (participant, UserFactory(), UserFactory(director=True)):
        assert Questionnaire.objects.visible_to(user).filter(pk=standard.pk).exists()
    assert not Questionnaire.objects.visible_to(AnonymousUser()).exists()
