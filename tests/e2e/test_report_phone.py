"""The report's page on a phone and on a laptop: nothing runs off the
screen, the charts shrink to their cards, the send button is in reach."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in
from tests.factories import UserFactory
from tests.reports.conftest import known  # noqa: F401 (the known data set)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    charts = page.locator("svg.chart")
    assert charts.count() == 2
    for i in range(charts.count()):
        chart = charts.nth(i)
        room = chart.evaluate("svg => svg.parentElement.clientWidth")
        assert chart.bounding_box()["width"] <= room


@pytest.mark.parametrize("width", [375, 1366])
def test_the_school_report_fits_the_screen(live_server, page: Page, known, width):  # noqa: F811
    UserFactory(curator=True, username="kurator", organization=known.school)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "kurator")
    page.goto(f"{live_server.url}/reports/{known.school.pk}/?year=2025")

    expect(
        page.get_by_role("button", name="Отправить отчёт в муниципалитет")
    ).to_be_visible()
    _fits(page, width)


@pytest.mark.parametrize("width", [375, 1366])
def test_the_district_report_fits_the_screen(live_server, page: Page, known, width):  # noqa: F811
    UserFactory(methodologist=True, username="metodist", district=known.school.district)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "metodist")
    page.goto(f"{live_server.url}/reports/district/?year=2025")

    expect(page.get_by_role("link", name="Школа № 2")).to_be_visible()
    _fits(page, width)
