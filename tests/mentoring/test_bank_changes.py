"""A bank entry cannot be changed from under the pairs that rely on it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import services
from mentoring.models import BankStatus, Pair, Participation
from tests.factories import PairFactory, UserFactory

pytestmark = pytest.mark.django_db


def _mentor_profile(pair):
    return pair.participations.get(role=Participation.Role.MENTOR).person.mentor_profile


def test_capacity_cannot_drop_below_the_current_load():
    pair = PairFactory(active=True)
    profile = _mentor_profile(pair)
    profile.capacity = 0 + 1
    services.save_mentor_profile(profile=profile, by=None)  # load 1: fine
    profile.refresh_from_db()
    assert profile.capacity == 1
    second = PairFactory(organization=pair.organization, people=False)
    Participation.objects.create(pair=second, person=profile.person, role="mentor")
    from tests.factories import MenteeProfileFactory

    Participation.objects.create(
        pair=second,
        person=MenteeProfileFactory(person__organization=pair.organization).person,
        role="mentee",
    )
    profile.capacity = 1
    with pytest.raises(ValidationError) as error:
        services.save_mentor_profile(profile=profile, by=None)
    assert "уже ведёт 2 наставляемых: меньше нельзя" in str(error.value)


def test_mentor_in_open_pairs_cannot_be_excluded_from_the_bank(client):
    pair = PairFactory(active=True)
    profile = _mentor_profile(pair)
    curator = UserFactory(curator=True, organization=pair.organization)
    client.force_login(curator)
    response = client.post(
        reverse("admin:mentoring_mentorprofile_changelist"),
        {"action": "exclude_from_bank", "_selected_action": [profile.pk]},
        follow=True,
    )
    assert "состоит в действующих парах/группах" in response.text
    profile.refresh_from_db()
    assert profile.status == BankStatus.IN_BANK


def test_curator_cannot_delete_bank_entries_or_consents(client):
    pair = PairFactory(active=True)
    profile = _mentor_profile(pair)
    client.force_login(UserFactory(curator=True, organization=pair.organization))
    url = reverse("admin:mentoring_mentorprofile_delete", args=[profile.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    consent = profile.person.consents.first()
    url = reverse("admin:mentoring_consent_delete", args=[consent.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403


def test_work_does_not_start_after_a_consent_was_withdrawn():
    pair = PairFactory(approved=True)
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    services.withdraw_consent(
        consent=mentee.consents.get(kind="personal_data"), by=None
    )
    with pytest.raises(ValidationError) as error:
        services.change_pair_status(pair=pair, to=Pair.Status.ACTIVE, by=None)
    assert "нет действующего согласия" in str(error.value)
    pair.refresh_from_db()
    # The withdrawal suspended it; without a new consent it does not resume.
    assert pair.status == Pair.Status.SUSPENDED


def test_changing_a_drafts_form_rechecks_its_people():
    from tests.factories import form

    pair = PairFactory()
    pair.form = form("student-student")
    with pytest.raises(ValidationError) as error:
        services.save_pair_draft(pair=pair, by=None)
    assert "не подходит" in str(error.value)
    pair.refresh_from_db()
    assert pair.form.code == "teacher-teacher"
