"""Satellite apps add panels to the home page through mentoring.home."""

import pytest
from django.urls import reverse

from mentoring import home
from tests.factories import UserFactory


@pytest.fixture
def registry():
    saved = dict(home._panels)
    yield
    home._panels.clear()
    home._panels.update(saved)


def _panel(name, roles, context):
    home.register_panel(
        name=name,
        roles=roles,
        template="mentoring/panels/list.html",
        context=context,
    )


@pytest.mark.django_db
def test_a_panel_shows_to_its_roles_only(client, registry):
    _panel(
        "test-tasks",
        ["psychologist"],
        lambda request: {
            "title": "Задачи психолога",
            "items": [
                {"text": "Сопроводить Иванову", "url": "/x/", "note": "до 1 дек"}
            ],
        },
    )
    psychologist = UserFactory(psychologist=True)
    client.force_login(psychologist)
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Задачи психолога" in page
    assert '<a href="/x/">Сопроводить Иванову</a>' in page

    client.force_login(UserFactory(curator=True))
    assert (
        "Задачи психолога" not in client.get(reverse("mentoring:home")).content.decode()
    )


@pytest.mark.django_db
def test_a_panel_with_nothing_to_say_is_left_out(client, registry):
    _panel("test-empty", ["curator"], lambda request: None)
    _panel(
        "test-quiet",
        ["curator"],
        lambda request: {"title": "Пусто здесь", "items": [], "empty": "Нет задач."},
    )
    client.force_login(UserFactory(curator=True))
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Нет задач." in page
    assert "panel-test-quiet" in page
    assert "panel-test-empty" not in page
