"""The catalogue of mentoring forms in the back office."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["curator", "methodologist"])
def test_the_forms_catalogue_lists_who_mentors_whom(client, role):
    client.force_login(UserFactory(**{role: True}))

    response = client.get(reverse("admin:mentoring_mentoringform_changelist"))

    assert response.status_code == 200
    assert "Формы наставничества" in response.text
    # «учитель — учитель»: both sides named by their categories' labels.
    assert "Педагогический работник" in response.text


@pytest.mark.django_db
def test_the_forms_catalogue_opens_for_the_administrator(admin_client):
    response = admin_client.get(reverse("admin:mentoring_mentoringform_changelist"))

    assert response.status_code == 200
