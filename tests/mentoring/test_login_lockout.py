"""Guessing refused: five failures lock a login from an address for 15 minutes."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import F
from django.test import Client
from django.urls import reverse

from mentoring import services
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "пароль-для-тестов"
LOCKED = "Слишком много неудачных попыток входа"
SCHOOL = "10.1.1.1"


def _log_in(client, username, password, page="login", address=SCHOOL):
    return client.post(
        reverse(page),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _fail(client, username, times=5, page="login", address=SCHOOL):
    for _ in range(times):
        _log_in(client, username, "не-тот-пароль", page=page, address=address)


def _cool_off(minutes):
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes)
    )


def test_five_wrong_passwords_lock_out_the_right_one(client):
    user = UserFactory()
    _fail(client, user.username)

    response = _log_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.text
    assert "заблокирован на 15 мин" in response.text
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client):
    user = UserFactory()
    _fail(client, user.username, times=4)

    response = _log_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_lockout_ends_after_fifteen_minutes(client):
    user = UserFactory()
    _fail(client, user.username)

    _cool_off(14)
    still = _log_in(client, user.username, PASSWORD)
    _cool_off(16)
    after = _log_in(client, user.username, PASSWORD)

    assert still.status_code == 429
    assert after.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_lockout_does_not_stop_another_user_from_another_address(client):
    locked = UserFactory()
    other = UserFactory()
    _fail(client, locked.username)

    response = _log_in(Client(), other.username, PASSWORD, address="10.2.2.2")

    assert response.status_code == 302


def test_a_lockout_holds_one_login_at_one_address(client):
    # Counted by login and address together: the school's other children,
    # behind the same address, and the owner at home still get in.
    locked = UserFactory()
    classmate = UserFactory()
    _fail(client, locked.username)

    classmate_in = _log_in(Client(), classmate.username, PASSWORD)
    owner_at_home = _log_in(Client(), locked.username, PASSWORD, address="10.3.3.3")

    assert classmate_in.status_code == 302
    assert owner_at_home.status_code == 302


def test_the_admin_login_is_locked_out_too(client):
    curator = UserFactory(curator=True)
    _fail(client, curator.username, page="admin:login")

    response = _log_in(client, curator.username, PASSWORD, page="admin:login")

    assert response.status_code == 429
    assert LOCKED in response.text
    assert "_auth_user_id" not in client.session


def test_the_address_behind_our_proxy_is_the_one_counted(client, settings):
    settings.PROXY_COUNT = 1
    user = UserFactory()
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": user.username, "password": "не-тот"},
            REMOTE_ADDR="127.0.0.1",
            # The first address is the client's own claim; the last, nginx's.
            HTTP_X_FORWARDED_FOR="1.1.1.1, 10.9.9.9",
        )

    attempt = AccessAttempt.objects.get()

    assert attempt.ip_address == "10.9.9.9"
    assert attempt.failures_since_start == 5


def test_a_superuser_reads_failures_and_lockouts_in_the_admin(client):
    user = UserFactory(username="ivanova")
    _fail(Client(), user.username)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    index = client.get(reverse("admin:index"))
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    failures = client.get(reverse("admin:axes_accessfailurelog_changelist"))

    assert "Журнал входов" in index.text
    assert attempts.status_code == 200
    assert "Попытки доступа" in attempts.text
    assert "ivanova" in attempts.text
    assert failures.status_code == 200
    assert AccessFailureLog.objects.filter(username="ivanova").count() == 5
    assert AccessFailureLog.objects.filter(username="ivanova", locked_out=True).exists()


def test_a_curator_does_not_read_the_login_log(client):
    client.force_login(UserFactory(curator=True))

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 403


def _slip():
    person = PersonFactory(consented=True, email="")
    result = services.create_logins(persons=[person], by=None)
    return result.slips[0]


def test_guessing_a_slip_code_is_locked_out(client):
    slip = _slip()
    url = reverse("mentoring:invitation-code")
    for _ in range(5):
        client.post(
            url,
            {"login": slip.user.username, "code": "AAAAA-AAAAA"},
            REMOTE_ADDR=SCHOOL,
        )

    response = client.post(
        url, {"login": slip.user.username, "code": slip.code}, REMOTE_ADDR=SCHOOL
    )

    assert response.status_code == 429
    assert LOCKED in response.text
    assert "_invitation_code" not in client.session


def test_a_mistyped_slip_code_then_the_right_one_works(client):
    slip = _slip()
    url = reverse("mentoring:invitation-code")
    wrong = client.post(url, {"login": slip.user.username, "code": "AAAAA-AAAAA"})

    right = client.post(url, {"login": slip.user.username, "code": slip.code})

    assert "Ссылка или код недействительны" in wrong.text
    assert right.status_code == 302
