"""Error pages with DEBUG off: Russian, and the database outage answers 503."""

import socket

import pytest
from django.db import connection
from django.test import Client
from django.urls import path, reverse

import config.urls
from tests.factories import UserFactory


def _fails(request):
    raise RuntimeError("a bug")


# The site's URLs, its handler500, and one page with a bug (tests only).
urlpatterns = [*config.urls.urlpatterns, path("bug/", _fails)]
handler500 = config.urls.handler500


@pytest.fixture(autouse=True)
def _production_debug(settings):
    settings.DEBUG = False


@pytest.fixture
def closed_port() -> int:
    """A local port nobody listens on: connecting there is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Outage:
    """Takes the default database away the way a stopped PostgreSQL does: its
    address refuses connections. `end()` gives the real address back."""

    def __init__(self, port: int):
        self.settings_dict = connection.settings_dict
        self.saved = self.settings_dict["HOST"], self.settings_dict["PORT"]
        self.port = port

    def begin(self) -> None:
        connection.close()
        self.settings_dict["HOST"], self.settings_dict["PORT"] = (
            "127.0.0.1",
            str(self.port),
        )

    def end(self) -> None:
        connection.close()
        self.settings_dict["HOST"], self.settings_dict["PORT"] = self.saved


@pytest.fixture
def outage(closed_port):
    outage = Outage(closed_port)
    yield outage
    outage.end()


def assert_russian_page(response, status: int, *texts: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="ru">' in response.text
    for text in texts:
        assert text in response.text
    # Django's English defaults are gone.
    for english in ("Not Found", "Server Error", "Forbidden", "Bad Request"):
        assert english not in response.text
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_a_missing_page_is_russian(client):
    client.force_login(UserFactory(curator=True))

    response = client.get("/no-such-page/")

    assert_russian_page(response, 404, "Страница не найдена")
    # The site's layout, with the user's menu.
    assert "Выйти" in response.text


@pytest.mark.django_db
def test_a_refusal_is_russian(client):
    client.force_login(UserFactory(curator=True))

    response = client.get(reverse("mentoring:orders"))

    assert_russian_page(response, 403, "Нет прав на это действие")


@pytest.mark.django_db
def test_a_stale_form_is_russian():
    UserFactory(username="kurator", curator=True)
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post(
        reverse("login"), {"username": "kurator", "password": "пароль-для-тестов"}
    )

    assert_russian_page(response, 403, "Форма устарела")


def test_a_bad_request_is_russian(settings):
    settings.ALLOWED_HOSTS = ["nastavnik.example.ru"]

    response = Client().get(reverse("login"), HTTP_HOST="evil.example.com")

    assert_russian_page(response, 400, "Неверный запрос")


@pytest.mark.django_db
def test_a_bug_shows_the_russian_500_page_without_the_database(
    settings, django_assert_num_queries
):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)

    with django_assert_num_queries(0):
        response = client.get("/bug/?x=1")

    assert_russian_page(response, 500, "Ошибка на сервере")
    assert 'href="/bug/?x=1"' in response.text  # «Попробовать снова»


@pytest.mark.django_db(transaction=True)
def test_while_the_database_is_away_pages_answer_503_and_then_recover(outage):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(curator=True))
    home = reverse("mentoring:home")

    outage.begin()
    during = [client.get(home), client.get("/no-such-page/")]  # 404 shows the user
    outage.end()
    after = client.get(home)

    for response in during:
        assert_russian_page(response, 503, "Сервис временно недоступен")
        assert response["Retry-After"] == "60"
    assert after.status_code == 200
    assert "Сервис временно недоступен" not in after.text
