"""The mentees without a pair, all of them, with what the psychologist works from."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import Participation
from tests.factories import (
    MenteeProfileFactory,
    OrganizationFactory,
    PairFactory,
    UserFactory,
)

URL = reverse("mentoring:support")


@pytest.mark.django_db
def test_psychologist_reads_every_unpaired_mentee_of_her_school(client):
    organization = OrganizationFactory()
    MenteeProfileFactory(
        person__organization=organization,
        person__last_name="Лебедева",
        difficulties="Дисциплина на уроках",
    )
    paired = MenteeProfileFactory(
        person__organization=organization, person__last_name="Закреплённая"
    )
    pair = PairFactory(organization=organization, active=True)
    Participation.objects.create(
        pair=pair, person=paired.person, role=Participation.Role.MENTEE
    )
    MenteeProfileFactory(person__last_name="Чужая")

    client.force_login(UserFactory(psychologist=True, organization=organization))
    response = client.get(URL)
    page = response.content.decode()

    assert response.context["total"] == 1
    assert "Лебедева" in page and "Дисциплина на уроках" in page
    assert "Планирование уроков по ФОП" in page  # her requests
    assert "Закреплённая" not in page
    assert "Чужая" not in page


@pytest.mark.django_db
def test_support_page_queries_do_not_grow_with_mentees(
    client, django_assert_num_queries
):
    organization = OrganizationFactory()
    client.force_login(UserFactory(psychologist=True, organization=organization))
    MenteeProfileFactory.create_batch(2, person__organization=organization)
    client.get(URL)
    with CaptureQueriesContext(connection) as two:
        client.get(URL)
    MenteeProfileFactory.create_batch(18, person__organization=organization)
    with django_assert_num_queries(len(two)):
        response = client.get(URL)
    assert response.context["total"] == 20
