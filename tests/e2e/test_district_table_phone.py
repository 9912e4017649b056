"""The methodologist sorts the district's table on a phone."""

import pytest
from playwright.sync_api import Page, expect

from tests.district.conftest import build_district
from tests.e2e.helpers import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_table_scrolls_inside_itself_and_sorts_on_a_phone(live_server, page: Page):
    district = build_district()
    district.methodologist.username = "metodist"
    district.methodologist.save(update_fields=["username"])
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, live_server, "metodist")
    page.goto(f"{live_server.url}/district/{district.district.pk}/")

    rows = page.locator("table.district-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Гимназия № 1")
    # The wide table scrolls in its box; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="Обратная связь, %").click()
    expect(rows.first).to_contain_text("Лицей № 2")
    page.get_by_role("link", name="Обратная связь, %").click()
    expect(rows.first).to_contain_text("Гимназия № 1")
