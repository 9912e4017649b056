"""Every role's pages fit the window from a phone to a wide screen, and the
user's name and «Выйти» stay reachable (issue 13: the menu overflowed at
1366 px for the curator and 1440 px for the director)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 375, 768, 1280, 1366, 1440, 1920)

# A long but real name: the menu must leave room for it.
LAST_NAME = "Константинопольская"
FIRST_NAME = "Александра"

PAGES = {
    "curator": [
        "/",
        "/roadmap/",
        "/matching/",
        "/surveys/monitoring/",
        "/surveys/feedback-owed/",
        "/admin/",
    ],
    "director": [
        "/",
        "/orders/",
        "/roadmap/",
        "/matching/",
        "/surveys/monitoring/",
        "/surveys/feedback-owed/",
    ],
    "psychologist": ["/", "/roadmap/", "/surveys/monitoring/"],
    "methodologist": ["/", "/roadmap/", "/surveys/monitoring/", "/admin/"],
    "participant": ["/", "/my/documents/", "/my/"],
    # Issue 14, regions.
    "regional": ["/", "/region/"],
}


def assert_fits(page: Page, where: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if widths[0] > widths[1]:
        # Name the elements that stick out, so a failure says what to fix.
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth)
                .slice(0, 5)
                .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))"""
        )
        page.screenshot(path="/tmp/pagesfit-overflow.png")
        raise AssertionError(f"{where}: scrollWidth {widths[0]} > {widths[1]}: {wide}")


def assert_reachable(page: Page, locator, where: str) -> None:
    """Visible and wholly inside the window, after opening the menu if it
    is collapsed."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width = page.evaluate("() => window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, where


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_fits_every_width_and_keeps_the_way_out(live_server, page, role):
    traits = {} if role == "participant" else {role: True}
    UserFactory(
        username="polzovatel", last_name=LAST_NAME, first_name=FIRST_NAME, **traits
    )
    log_in(page, live_server, "polzovatel")
    for path in PAGES[role]:
        for width in WIDTHS:
            where = f"{role} {path} at {width} px"
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, where
            assert_fits(page, where)
            if path.startswith("/admin/"):
                continue
            toggler = page.locator(".navbar-toggler")
            if toggler.is_visible():
                toggler.click()
                # Wait out Bootstrap's collapse animation before the next click.
                expect(page.locator("#menu")).to_have_class(re.compile(r"\bshow\b"))
            page.locator("#user-menu").click()
            expect(page.locator("#user-menu")).to_have_attribute(
                "aria-expanded", "true"
            )
            name = page.locator(".user-role")
            expect(name).to_contain_text(f"{FIRST_NAME} {LAST_NAME}")
            assert_reachable(page, name, where)
            assert_reachable(page, page.get_by_role("button", name="Выйти"), where)
            assert_fits(page, f"{where}, menu open")
