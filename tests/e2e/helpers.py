"""What several browser tests do: log in through the login page."""

from playwright.sync_api import Page, expect

PASSWORD = "пароль-для-тестов"  # tests/factories.py's UserFactory


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("button", name="Войти")).to_have_count(0)
