"""A bank entry's organization is its person's, kept by the database
(migration 0023_bank_organization): the banks are scoped by it."""

import pytest
from django.urls import reverse

from mentoring.models import MenteeProfile, MentorProfile, Person
from tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _organization_ids(profiles):
    return {
        type(p): type(p)
        .objects.filter(pk=p.pk)
        .values_list("organization_id", flat=True)[0]
        for p in profiles
    }


def test_bank_entries_follow_their_person_to_another_school(client):
    mentor = MentorProfileFactory()
    mentee = MenteeProfileFactory(person__organization=mentor.person.organization)
    school = mentor.person.organization
    other = OrganizationFactory(district=school.district)
    assert set(_organization_ids([mentor, mentee]).values()) == {school.pk}

    Person.objects.filter(pk__in=[mentor.person_id, mentee.person_id]).update(
        organization=other
    )
    assert set(_organization_ids([mentor, mentee]).values()) == {other.pk}
    # A save from an instance read before the move does not put it back.
    mentor.notes = "Перешла в другую школу"
    mentor.save()
    assert _organization_ids([mentor])[MentorProfile] == other.pk

    # The banks are scoped by it: the new school's curator sees the entries.
    for organization, seen in ((school, False), (other, True)):
        client.force_login(UserFactory(curator=True, organization=organization))
        for model, name in (
            (MentorProfile, "mentorprofile"),
            (MenteeProfile, "menteeprofile"),
        ):
            page = client.get(reverse(f"admin:mentoring_{name}_changelist")).text
            assert (
                str(mentor.person if model is MentorProfile else mentee.person) in page
            ) is seen
