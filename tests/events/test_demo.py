"""The demo shows events: a seminar attended, a consultation ahead."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.models import Event, Registration
from mentoring.models import MentorTraining, User

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_attended_seminar_and_an_event_ahead(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=StringIO())
    held = Event.objects.get(kind=Event.Kind.SEMINAR)
    attended = Registration.objects.filter(event=held, attended=True)
    mentor = User.objects.get(username="nastavnik")

    client.force_login(mentor)
    home = client.get(reverse("mentoring:home"))

    assert attended.count() == 3
    assert MentorTraining.objects.filter(event_registration__in=attended).count() == 3
    assert "Консультация: мониторинг и отчёт" in home.text
