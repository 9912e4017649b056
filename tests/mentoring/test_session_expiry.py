"""A session ends after SESSION_IDLE_MINUTES without a request."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.mentoring.test_settings import manage, production_env

HOME = reverse("mentoring:home")


def _expires_in(client) -> datetime.timedelta:
    session = Session.objects.get(session_key=client.session.session_key)
    return session.expire_date - timezone.now()


@pytest.mark.django_db
def test_an_idle_session_ends_and_asks_to_log_in_again(client, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    client.force_login(UserFactory(director=True))
    assert client.get(HOME).status_code == 200

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_every_request_starts_the_idle_period_again(client, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    client.force_login(UserFactory(director=True))
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))

    response = client.get(HOME)

    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert datetime.timedelta(minutes=29) < _expires_in(client)
    assert _expires_in(client) <= datetime.timedelta(minutes=30)


@pytest.mark.django_db
def test_the_idle_period_is_renewed_at_most_once_a_minute(
    client, settings, time_machine
):
    settings.SESSION_COOKIE_AGE = 30 * 60
    time_machine.move_to(timezone.now(), tick=False)
    client.force_login(UserFactory(director=True))
    assert client.get(HOME).status_code == 200
    assert _expires_in(client) == datetime.timedelta(minutes=30)

    # Within the minute: the page reads, the session is not written again.
    time_machine.shift(datetime.timedelta(seconds=59))
    response = client.get(HOME)
    assert "sessionid" not in response.cookies
    assert _expires_in(client) == datetime.timedelta(minutes=29, seconds=1)

    # A minute after the last renewal the idle period starts again.
    time_machine.shift(datetime.timedelta(seconds=1))
    response = client.get(HOME)
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert _expires_in(client) == datetime.timedelta(minutes=30)


def _setting(name, env):
    return manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(settings.{name})",
        env=env,
    )


def test_the_idle_period_comes_from_the_environment():
    default = _setting("SESSION_COOKIE_AGE", production_env())
    twenty = _setting("SESSION_COOKIE_AGE", production_env(SESSION_IDLE_MINUTES="20"))
    zero = _setting("SESSION_COOKIE_AGE", production_env(SESSION_IDLE_MINUTES="0"))

    assert default.stdout.splitlines()[-1] == str(60 * 60)
    assert twenty.stdout.splitlines()[-1] == str(20 * 60)
    assert zero.returncode != 0
    assert "SESSION_IDLE_MINUTES must be a positive number" in zero.stderr
