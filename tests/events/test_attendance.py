"""The methodologist marks who came; the mentor's training record follows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from mentoring.models import AuditEntry, Consent, MentorTraining
from tests.events.helpers import district
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def mark(client, user, event, *present):
    client.force_login(user)
    return client.post(
        reverse("events:attendance", args=[event.pk]),
        {"present": [r.pk for r in present]},
        follow=True,
    )


def test_attendance_writes_the_mentors_training_record(client):
    area = district()
    event = EventFactory(district=area.district, held=True, hours=6)
    came = RegistrationFactory(event=event, mentor=area.mentor)
    RegistrationFactory(event=event, mentor=area.neighbours_mentor)

    response = mark(client, area.methodologist, event, came)

    assert "добавлено 1, снято 0" in response.text
    training = MentorTraining.objects.get()
    assert training.mentor == area.mentor
    assert training.kind == MentorTraining.Kind.SEMINAR
    assert training.hours == 6
    assert training.completed_on == event.ends_on
    assert event.title in training.programme
    came.refresh_from_db()
    assert came.attended and came.training == training
    assert AuditEntry.objects.filter(action="training.recorded").count() == 1
    assert AuditEntry.objects.filter(action="event.attended").count() == 1


def test_marking_twice_writes_one_record(client):
    area = district()
    event = EventFactory(district=area.district, held=True)
    came = RegistrationFactory(event=event, mentor=area.mentor)

    mark(client, area.methodologist, event, came)
    response = mark(client, area.methodologist, event, came)

    assert "добавлено 0, снято 0" in response.text
    assert MentorTraining.objects.count() == 1
    assert AuditEntry.objects.filter(action="training.recorded").count() == 1


def test_unmarking_removes_only_what_the_event_wrote(client):
    area = district()
    event = EventFactory(district=area.district, held=True)
    came = RegistrationFactory(event=event, mentor=area.mentor)
    typed_by_school = MentorTraining.objects.create(
        mentor=area.mentor,
        kind=MentorTraining.Kind.COURSE,
        programme="Курсы ПК «Наставничество в школе»",
        completed_on=timezone.localdate(),
        hours=36,
    )
    mark(client, area.methodologist, event, came)

    response = mark(client, area.methodologist, event)

    assert "добавлено 0, снято 1" in response.text
    assert list(MentorTraining.objects.all()) == [typed_by_school]
    came.refresh_from_db()
    assert not came.attended and came.training is None
    assert AuditEntry.objects.filter(action="training.removed").count() == 1


def test_attendance_is_not_marked_before_the_event(client):
    area = district()
    event = EventFactory(district=area.district)
    registered = RegistrationFactory(event=event, mentor=area.mentor)

    response = mark(client, area.methodologist, event, registered)

    assert "Мероприятие ещё не началось" in response.text
    assert not MentorTraining.objects.exists()
    registered.refresh_from_db()
    assert not registered.attended


def test_no_record_for_a_mentor_whose_consent_has_ended(client):
    area = district()
    event = EventFactory(district=area.district, held=True)
    registered = RegistrationFactory(event=event, mentor=area.mentor)
    other = RegistrationFactory(event=event, mentor=area.neighbours_mentor)
    area.mentor.person.consents.filter(kind=Consent.Kind.PERSONAL_DATA).update(
        withdrawn_on=timezone.localdate()
    )

    response = mark(client, area.methodologist, event, registered, other)

    assert "нет действующего согласия" in response.text
    # All or nothing: the other mentor is not marked either.
    assert not MentorTraining.objects.exists()
    assert not Registration.objects.filter(attended=True).exists()


def test_only_the_districts_methodologist_marks_attendance(client):
    area = district()
    event = EventFactory(district=area.district, held=True)
    registered = RegistrationFactory(event=event, mentor=area.mentor)

    as_curator = mark(client, area.curator, event, registered)
    client.force_login(UserFactory(methodologist=True))
    as_stranger = client.post(
        reverse("events:attendance", args=[event.pk]), {"present": [registered.pk]}
    )

    assert as_curator.status_code == 403
    assert as_stranger.status_code == 404
    assert not MentorTraining.objects.exists()


def test_the_attended_event_shows_on_the_mentors_card(client):
    area = district()
    event = EventFactory(district=area.district, held=True)
    came = RegistrationFactory(event=event, mentor=area.mentor)
    mark(client, area.methodologist, event, came)
    client.force_login(area.curator)

    card = client.get(
        reverse("admin:mentoring_mentorprofile_change", args=[area.mentor.pk])
    )

    assert card.status_code == 200
    assert event.title in card.text


def test_a_curator_cannot_take_off_an_attended_mentor(client):
    area = district()
    event = EventFactory(district=area.district, held=True)
    came = RegistrationFactory(event=event, mentor=area.mentor)
    mark(client, area.methodologist, event, came)
    client.force_login(area.curator)

    response = client.post(reverse("events:unregister", args=[came.pk]), follow=True)

    assert "запись снимает только методист" in response.text
    assert Registration.objects.filter(pk=came.pk).exists()
    assert MentorTraining.objects.count() == 1
