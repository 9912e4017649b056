"""A forgotten password: a one-time link by mail sets a new one."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse

from mentoring.models import AuditEntry
from tests.factories import UserFactory
from tests.login import log_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Сирень-над-рекой-2026"


@pytest.fixture(autouse=True)
def _mail_on_commit(monkeypatch, django_capture_on_commit_callbacks):
    # The letter leaves when the request's work commits (mentoring.mail).
    send = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


def _ask_for_link(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def _link(message) -> str:
    return re.search(r"https?://\S+/password/reset/\S+/\S+/", message.body).group(0)


def _set(client, link, password=NEW_PASSWORD):
    opened = client.get(link)
    if opened.status_code != 302:
        return opened
    return client.post(
        opened["Location"], {"new_password1": password, "new_password2": password}
    )


def test_a_reset_link_by_mail_sets_a_new_password_once(client, settings):
    settings.SITE_URL = "https://nastavnik.example.ru"
    user = UserFactory(email="direktor@school.example.ru", director=True)

    asked = _ask_for_link(client, "Direktor@School.example.ru")

    assert asked.status_code == 302
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["direktor@school.example.ru"]
    assert letter.subject == "Восстановление пароля в «Наставнике»"
    link = _link(letter)
    assert link.startswith("https://nastavnik.example.ru/password/reset/")
    assert user.username in letter.body
    path = link.removeprefix(settings.SITE_URL)

    done = _set(Client(), path)

    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert log_in(Client(), user.username, NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="login.password_reset", actor=user).exists()

    again = _set(Client(), path, password="Другой-пароль-2027")

    assert again.status_code == 200
    assert "уже использована или устарела" in again.text
    assert log_in(Client(), user.username, NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    UserFactory(email="known@example.ru")

    asked = _ask_for_link(client, "nobody@example.ru")

    assert asked.status_code == 302
    assert mail.outbox == []
    assert "Проверьте почту" in client.get(asked["Location"]).text


def test_a_weak_new_password_is_refused_in_russian(client):
    user = UserFactory(email="mentor@example.ru")
    _ask_for_link(client, user.email)

    response = _set(Client(), _link(mail.outbox[0]), password="12345678")

    assert response.status_code == 200
    assert "Введённый пароль слишком широко распространён." in response.text
    assert "Введённый пароль состоит только из цифр." in response.text
    user.refresh_from_db()
    assert user.check_password("пароль-для-тестов")


def test_a_reset_lifts_the_lockout_of_the_forgotten_password(client):
    user = UserFactory(email="mentor@example.ru")
    for _ in range(5):
        log_in(client, user.username, "забыл")
    assert AccessAttempt.objects.filter(username=user.username).exists()
    _ask_for_link(client, user.email)

    _set(client, _link(mail.outbox[0]))

    assert log_in(client, user.username, NEW_PASSWORD)
