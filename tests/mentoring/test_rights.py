"""Services refuse to act for an organization the actor does not belong to."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import Consent, Pair
from tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    UserFactory,
    form,
)

pytestmark = pytest.mark.django_db


def test_curator_of_another_school_cannot_create_a_pair_there():
    org = OrganizationFactory()
    mentor = MentorProfileFactory(person__organization=org).person
    mentee = MenteeProfileFactory(person__organization=org).person
    outsider = UserFactory(curator=True)
    with pytest.raises(ValidationError) as error:
        services.create_pair(
            organization=org,
            form=form("teacher-teacher"),
            mentors=[mentor],
            mentees=[mentee],
            by=outsider,
        )
    assert "Нет прав вносить изменения за организацию" in error.value.messages[0]
    assert not Pair.objects.exists()


@pytest.mark.parametrize("role", ["participant", "psychologist"])
def test_only_curator_or_head_records_consents(role):
    person = PersonFactory()
    extra = {"organization": person.organization} if role != "participant" else {}
    user = UserFactory(role=role, **extra)
    with pytest.raises(ValidationError):
        services.give_consent(
            person=person,
            kind=Consent.Kind.PERSONAL_DATA,
            given_on=timezone.localdate(),
            by=user,
        )
    assert not person.consents.exists()


def test_curator_of_the_school_moves_its_pairs():
    pair = PairFactory(approved=True)
    curator = UserFactory(curator=True, organization=pair.organization)
    services.change_pair_status(pair=pair, to=Pair.Status.ACTIVE, by=curator)
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE


def test_withdrawing_a_consent_reports_the_persons_suspended_pairs(client):
    pair = PairFactory(active=True)
    curator = UserFactory(curator=True, organization=pair.organization)
    mentee = pair.participations.get(role="mentee").person
    consent = mentee.consents.get(kind=Consent.Kind.PERSONAL_DATA)
    client.force_login(curator)
    response = client.post(
        reverse("admin:mentoring_consent_changelist"),
        {"action": "withdraw", "_selected_action": [consent.pk]},
        follow=True,
    )
    assert (
        f"{mentee.full_name}: пары/группы № {pair.pk} приостановлены" in response.text
    )
    pair.refresh_from_db()
    assert pair.status == Pair.Status.SUSPENDED


def test_mentee_whose_consent_was_withdrawn_leaves_the_support_list(client):
    kept = MenteeProfileFactory(person__last_name="Ждущая")
    gone = MenteeProfileFactory(
        person__organization=kept.person.organization, person__last_name="Ушедшая"
    )
    services.withdraw_consent(
        consent=gone.person.consents.get(kind=Consent.Kind.PERSONAL_DATA), by=None
    )
    client.force_login(
        UserFactory(psychologist=True, organization=kept.person.organization)
    )
    page = client.get(reverse("mentoring:home")).text
    assert "Ждущая" in page
    assert "Ушедшая" not in page
