"""On a phone: the page of a run still computing shows its progress and
reloads itself until the run is ready."""

import pytest
from playwright.sync_api import Page, expect

from mentoring.models import MatchingRun
from tests.e2e.helpers import log_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 1366])
def test_a_running_run_shows_its_progress_and_then_its_results(
    live_server, page: Page, width
):
    school = OrganizationFactory()
    UserFactory(curator=True, username="kurator", organization=school)
    # The worker's state mid-run, as it commits it.
    run = MatchingRun.objects.create(
        organization=school,
        status=MatchingRun.Status.RUNNING,
        progress=40,
        stage="Расчёт совместимости и подбор пар",
    )
    page.set_viewport_size({"width": width, "height": 812})
    log_in(page, live_server, "kurator")
    page.goto(f"{live_server.url}/matching/{run.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Расчёт совместимости")
    bar = page.locator(".progress-bar")
    assert bar.evaluate("b => b.style.width") == "40%"
    page.screenshot(path=f"/tmp/matchbg_progress_{width}.png", full_page=True)
    content = page.locator("main").evaluate("m => m.scrollWidth <= m.clientWidth")
    assert content

    MatchingRun.objects.filter(pk=run.pk).update(
        status=MatchingRun.Status.REVIEW, progress=100, stage=""
    )
    expect(page.get_by_text("Предложено пар")).to_be_visible(timeout=6000)
    expect(page.get_by_role("status")).to_have_count(0)
