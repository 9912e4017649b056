"""The curator prints every program of the school as one ZIP, in Chromium."""

import os

import pytest
from playwright.sync_api import Page, expect

from tests.factories import ProgramFactory, UserFactory
from tests.mentoring.orders_helpers import named_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 1366])
def test_curator_prints_the_schools_programs_and_downloads_the_zip(
    live_server, page: Page, width
):
    curator = UserFactory(curator=True, username="kurator")
    for surname in ("Соколова", "Журавлёв"):
        pair = named_pair(
            curator.organization, mentees=[{"last_name": surname}], status="active"
        )
        ProgramFactory(pair=pair)
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill("kurator")
    page.get_by_label("Пароль").fill("пароль-для-тестов")
    page.get_by_role("button", name="Войти").click()
    page.get_by_role(
        "link", name="Напечатать все программы школы одним архивом"
    ).click()
    page.get_by_role(
        "button", name="Напечатать все программы наставничества школы"
    ).click()

    # The test's task backend prints on commit: the page finds it done.
    expect(page.locator("#batch-status")).to_contain_text("Напечатано 2 из 2.")
    if shots := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/batch-{width}.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать архив (ZIP)").click()
    assert download.value.suggested_filename.endswith(".zip")
