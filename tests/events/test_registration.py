"""Curators put their mentors down for the district's events; the
methodologist may put down anyone of the district."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from mentoring.models import AuditEntry, Consent
from tests.events.helpers import district
from tests.factories import (
    EventFactory,
    MentorProfileFactory,
    OrganizationFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def register(client, user, event, mentor):
    client.force_login(user)
    return client.post(
        reverse("events:register", args=[event.pk]),
        {"mentor": mentor.pk},
        follow=True,
    )


def test_a_curator_registers_a_mentor_of_the_school(client):
    area = district()
    event = EventFactory(district=area.district)

    response = register(client, area.curator, event, area.mentor)

    assert "записан(а) на мероприятие" in response.text
    registration = Registration.objects.get(event=event)
    assert registration.mentor == area.mentor
    assert registration.registered_by == area.curator
    assert AuditEntry.objects.filter(action="event.registered").count() == 1


def test_the_methodologist_registers_a_mentor_of_any_school_of_the_district(
    client,
):
    area = district()
    event = EventFactory(district=area.district)

    register(client, area.methodologist, event, area.neighbours_mentor)

    assert Registration.objects.filter(
        event=event, mentor=area.neighbours_mentor
    ).exists()


def test_a_curator_cannot_register_another_schools_mentor(client):
    area = district()
    event = EventFactory(district=area.district)
    client.force_login(area.curator)

    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"mentor": area.neighbours_mentor.pk},
    )

    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_a_mentor_is_not_registered_twice(client):
    area = district()
    event = EventFactory(district=area.district)
    register(client, area.curator, event, area.mentor)

    response = register(client, area.methodologist, event, area.mentor)

    assert "уже записан(а) на это мероприятие" in response.text
    assert Registration.objects.filter(event=event).count() == 1


def test_a_mentor_without_a_valid_consent_is_refused(client):
    area = district()
    event = EventFactory(district=area.district)
    area.mentor.person.consents.filter(kind=Consent.Kind.PERSONAL_DATA).update(
        withdrawn_on=timezone.localdate()
    )

    response = register(client, area.curator, event, area.mentor)

    assert "нет действующего согласия" in response.text
    assert not Registration.objects.exists()


def test_another_districts_mentor_is_refused_even_to_the_superuser(client):
    area = district()
    event = EventFactory(district=area.district)
    stranger = MentorProfileFactory(person__organization=OrganizationFactory())

    response = register(
        client, UserFactory(is_superuser=True, is_staff=True), event, stranger
    )

    assert "работает не в районе" in response.text
    assert not Registration.objects.exists()


def test_another_districts_methodologist_does_not_find_the_event(client):
    area = district()
    event = EventFactory(district=area.district)
    stranger = UserFactory(methodologist=True)
    client.force_login(stranger)

    for url in (
        reverse("events:detail", args=[event.pk]),
        reverse("events:edit", args=[event.pk]),
        reverse("events:sheet-pdf", args=[event.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("events:register", args=[event.pk]), {"mentor": area.mentor.pk}
    )
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_a_curator_takes_off_only_the_schools_own_registration(client):
    area = district()
    own = RegistrationFactory(mentor=area.mentor)
    neighbours = RegistrationFactory(event=own.event, mentor=area.neighbours_mentor)
    client.force_login(area.curator)

    refused = client.post(reverse("events:unregister", args=[neighbours.pk]))
    done = client.post(reverse("events:unregister", args=[own.pk]))

    assert refused.status_code == 404
    assert done.status_code == 302
    assert list(Registration.objects.all()) == [neighbours]
    assert AuditEntry.objects.filter(action="event.unregistered").count() == 1


def test_the_curator_sees_only_the_schools_own_participants(client):
    area = district()
    event = EventFactory(district=area.district)
    RegistrationFactory(event=event, mentor=area.mentor)
    RegistrationFactory(event=event, mentor=area.neighbours_mentor)
    client.force_login(area.curator)

    response = client.get(reverse("events:detail", args=[event.pk]))

    assert area.mentor.person.full_name in response.text
    assert area.neighbours_mentor.person.full_name not in response.text


def test_after_the_event_only_the_methodologist_adds_a_walk_in(client):
    area = district()
    event = EventFactory(
        district=area.district,
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
        ends_on=timezone.localdate() - datetime.timedelta(days=2),
    )

    late = register(client, area.curator, event, area.mentor)
    walk_in = register(client, area.methodologist, event, area.neighbours_mentor)

    assert "записываться на него поздно" in late.text
    assert "записан(а) на мероприятие" in walk_in.text
    assert list(Registration.objects.values_list("mentor", flat=True)) == [
        area.neighbours_mentor.pk
    ]


def test_the_superuser_creates_an_event_for_a_chosen_district(client):
    area = district()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    client.post(
        reverse("events:create"),
        {
            "district": area.district.pk,
            "kind": "consultation",
            "title": "Консультация для наставников",
            "starts_on": "2030-05-20",
            "ends_on": "2030-05-20",
            "place": "ИМЦ",
        },
    )

    assert Event.objects.get().district == area.district
