"""The questionnaires' list counts only the answers the user may read."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    MenteeProfileFactory,
    OrganizationFactory,
    UserFactory,
    fill_questionnaire,
    questionnaire,
)


def _answered(code, organization, times):
    for _ in range(times):
        mentee = MenteeProfileFactory(person__organization=organization).person
        fill_questionnaire(code, respondent=mentee)


def _count_in_row(response, title):
    row = next(r for r in response.text.split("<tr") if title in r)
    return re.search(r'class="field-response_count">(\d+)<', row).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["curator", "methodologist"])
def test_a_standard_questionnaire_counts_only_own_answers(client, role):
    own = OrganizationFactory()
    _answered("mentee-request", own, 1)
    _answered("mentee-request", OrganizationFactory(), 2)
    if role == "curator":
        client.force_login(UserFactory(curator=True, organization=own))
    else:
        client.force_login(UserFactory(methodologist=True, district=own.district))

    response = client.get(reverse("admin:surveys_questionnaire_changelist"))

    title = questionnaire("mentee-request").title
    assert _count_in_row(response, title) == "1"


@pytest.mark.django_db
def test_the_administrator_counts_every_schools_answers(admin_client):
    _answered("mentee-request", OrganizationFactory(), 1)
    _answered("mentee-request", OrganizationFactory(), 2)

    response = admin_client.get(reverse("admin:surveys_questionnaire_changelist"))

    assert _count_in_row(response, questionnaire("mentee-request").title) == "3"
