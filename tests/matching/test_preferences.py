"""The curator enters the choices made after the group meeting in the admin."""

import pytest
from django.urls import reverse

from mentoring.models import AuditEntry, Preference
from tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def add(client, **data):
    return client.post(
        reverse("admin:mentoring_preference_add"),
        {"side": "mentee", "rank": 1, **data},
        follow=True,
    )


def test_a_curator_records_a_mentees_first_choice(client):
    mentee = MenteeProfileFactory().person
    mentor = MentorProfileFactory(person__organization=mentee.organization).person
    curator = UserFactory(curator=True, organization=mentee.organization)
    client.force_login(curator)
    response = add(client, chooser=mentee.pk, chosen=mentor.pk)
    assert response.status_code == 200
    preference = Preference.objects.get()
    assert (preference.chooser, preference.chosen, preference.rank) == (
        mentee,
        mentor,
        1,
    )
    assert preference.recorded_by == curator
    assert AuditEntry.objects.filter(action="matching.preference").exists()


def test_a_second_first_choice_is_refused(client):
    mentee = MenteeProfileFactory().person
    first, second = (
        MentorProfileFactory(person__organization=mentee.organization).person
        for _ in range(2)
    )
    client.force_login(UserFactory(curator=True, organization=mentee.organization))
    add(client, chooser=mentee.pk, chosen=first.pk)
    response = add(client, chooser=mentee.pk, chosen=second.pk)
    assert "Это место в списке уже занято." in response.text
    assert Preference.objects.count() == 1


def test_another_schools_people_cannot_be_chosen(client):
    mentee = MenteeProfileFactory().person
    outsider = MentorProfileFactory().person
    client.force_login(UserFactory(curator=True, organization=mentee.organization))
    response = add(client, chooser=mentee.pk, chosen=outsider.pk)
    assert not Preference.objects.exists()
    assert "Выберите корректный вариант" in response.text
