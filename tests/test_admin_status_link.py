"""A record whose status only the list's actions change links to them."""

import pytest
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    MeetingFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    OrderFactory,
    PairFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _records(organization):
    pair = PairFactory(active=True, organization=organization)
    return {
        "mentoring_pair": pair,
        "mentoring_meeting": MeetingFactory(pair=pair),
        "mentoring_program": ProgramFactory(pair=pair),
        "mentoring_consent": pair.participations.first().person.consents.first(),
        "mentoring_order": OrderFactory(organization=organization),
        "roadmap_activity": ActivityFactory(stage__roadmap__organization=organization),
        "mentoring_menteeprofile": MenteeProfileFactory(
            person__organization=organization
        ),
        "mentoring_mentorprofile": MentorProfileFactory(
            person__organization=organization
        ),
    }


def test_the_change_page_opens_the_list_with_the_record_and_its_actions(client):
    curator = UserFactory(curator=True)
    client.force_login(curator)
    for name, record in _records(curator.organization).items():
        change = client.get(reverse(f"admin:{name}_change", args=[record.pk])).text
        target = reverse(f"admin:{name}_changelist") + f"?id__exact={record.pk}"
        assert f'href="{target}"' in change, name
        listed = client.get(target)
        assert listed.status_code == 200, name
        assert listed.context["cl"].result_count == 1, name
        assert 'name="action"' in listed.text, name


def test_a_consent_is_withdrawn_from_its_list(client):
    curator = UserFactory(curator=True)
    client.force_login(curator)
    pair = PairFactory(active=True, organization=curator.organization)
    consent = pair.participations.first().person.consents.first()
    page = client.get(reverse("admin:mentoring_consent_change", args=[consent.pk]))
    target = reverse("admin:mentoring_consent_changelist") + f"?id__exact={consent.pk}"
    assert f'href="{target}"' in page.text
    assert ">Отозвать</a>" in page.text
