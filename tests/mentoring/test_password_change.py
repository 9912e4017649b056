"""Every role changes its own password on the site; weak ones are refused."""

import pytest
from django.test import Client
from django.urls import reverse

from mentoring import services
from mentoring.models import AuditEntry
from tests.factories import PersonFactory, UserFactory
from tests.login import log_in

pytestmark = pytest.mark.django_db

OLD = "пароль-для-тестов"
NEW = "Сирень-над-рекой-2026"
CHANGE = reverse("password_change")


def _change(client, old=OLD, new=NEW):
    return client.post(
        CHANGE,
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    "traits",
    [{}, {"director": True}, {"psychologist": True}, {"curator": True}],
    ids=["participant", "director", "psychologist", "curator"],
)
def test_a_user_changes_their_password_and_stays_logged_in(client, traits):
    user = UserFactory(**traits)
    if not traits:
        PersonFactory(user=user, student=True, consented=True)
    client.force_login(user)

    menu = client.get(reverse("mentoring:home"), follow=True)
    response = _change(client)

    assert f'href="{CHANGE}"' in menu.text
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert "Пароль изменён" in client.get(response["Location"]).text
    assert log_in(Client(), user.username, NEW)
    assert not log_in(Client(), user.username, OLD)
    assert AuditEntry.objects.filter(
        action="login.password_changed", actor=user
    ).exists()


def test_a_weak_password_is_refused_in_russian(client):
    user = UserFactory(director=True, username="direktor")
    client.force_login(user)

    response = _change(client, new="direktor1")

    assert response.status_code == 200
    assert "Введённый пароль слишком похож на" in response.text
    assert "Введённый пароль слишком широко распространён." not in response.text
    short = _change(client, new="Кот-9")
    assert "Введённый пароль слишком короткий." in short.text
    assert log_in(Client(), user.username, OLD)


def test_a_wrong_old_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = _change(client, old="не-тот")

    assert response.status_code == 200
    assert "Ваш старый пароль введен неправильно" in response.text
    assert log_in(Client(), user.username, OLD)


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(CHANGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_admin_refuses_a_weak_password_in_russian(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    user = UserFactory()

    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "12345678", "password2": "12345678"},
    )

    assert response.status_code == 200
    assert "Введённый пароль состоит только из цифр." in response.text
    user.refresh_from_db()
    assert user.check_password(OLD)


def test_the_invitation_refuses_a_weak_password_in_russian(client):
    person = PersonFactory(consented=True, email="")
    slip = services.create_logins(persons=[person], by=None).slips[0]
    client.post(
        reverse("mentoring:invitation-code"),
        {"login": slip.user.username, "code": slip.code},
    )

    response = client.post(
        reverse("mentoring:invitation-password"),
        {"new_password1": "qwerty", "new_password2": "qwerty"},
    )

    assert response.status_code == 200
    assert "Введённый пароль слишком короткий." in response.text
    assert "Введённый пароль слишком широко распространён." in response.text
    slip.user.refresh_from_db()
    assert not slip.user.has_usable_password()
