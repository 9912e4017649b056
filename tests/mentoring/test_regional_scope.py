"""The regional mentoring centre reads aggregates only: no personal record is
in its scope, in the site or in the admin."""

import pytest
from django.urls import reverse

from mentoring.models import Consent, Meeting, Organization, Pair, Person
from surveys.models import Response
from tests.factories import (
    ConsentFactory,
    DistrictFactory,
    MeetingFactory,
    OrganizationFactory,
    UserFactory,
    fill_questionnaire,
)


@pytest.mark.django_db
def test_the_regional_centre_sees_no_record_of_its_schools(client):
    regional = UserFactory(regional=True)
    district = DistrictFactory(region=regional.region)
    meeting = MeetingFactory(pair__organization=OrganizationFactory(district=district))
    mentee = meeting.pair.participations.get(role="mentee").person
    ConsentFactory(person=mentee)
    fill_questionnaire("mentee-request", respondent=mentee)

    for model in (Organization, Person, Consent, Pair, Meeting, Response):
        assert model.objects.filter(pk__in=model.objects.values("pk")).exists(), model
        assert not model.objects.visible_to(regional).exists(), model

    client.force_login(regional)
    # Not a back-office user: the admin sends it to its login page.
    response = client.get(reverse("admin:mentoring_person_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
