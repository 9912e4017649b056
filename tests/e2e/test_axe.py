"""The participants', director's, roadmap and monitoring pages pass axe-core
with no serious or critical violations, in Chromium.

axe-core comes from the npm registry through `make axe` (pinned version and
checksum in the Makefile) into build/; without it these tests are skipped
and say so.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from mentoring.models import Participation
from tests.e2e.helpers import log_in
from tests.e2e.test_charts_phone import _this_school_year_month
from tests.factories import (
    ActivityFactory,
    MeetingFactory,
    PairFactory,
    StageFactory,
    UserFactory,
    fill_questionnaire,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUILD = Path(__file__).resolve().parents[2] / "build"
AXE = sorted(BUILD.glob("axe-core-*/axe.min.js"))


def violations(page: Page) -> list[str]:
    """Serious and critical violations on the page as it stands. axe is
    evaluated over the DevTools protocol, which the page's CSP does not see."""
    if not AXE:
        pytest.skip("axe-core is not in build/: `make axe` could not fetch it")
    page.evaluate(AXE[-1].read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document)")
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def school():
    pair = PairFactory(active=True)
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    mentor.user = UserFactory(username="nastavnik")
    mentor.save(update_fields=["user"])
    meeting = MeetingFactory(pair=pair, starts_at=_this_school_year_month(10))
    fill_questionnaire(
        "meeting-feedback-mentee",
        respondent=mentee,
        meeting=meeting,
        answers={"usefulness": 9, "comfort": 8},
        submitted_at=meeting.starts_at,
    )
    stage = StageFactory(
        name="Формирование банка наставников",
        roadmap__organization=pair.organization,
    )
    ActivityFactory(stage=stage, content="Анкетирование потенциальных наставников")
    UserFactory(director=True, username="direktor", organization=pair.organization)
    return {"pair": pair, "meeting": meeting, "roadmap": stage.roadmap}


@pytest.mark.parametrize("width", [375, 1366])
def test_the_participants_pages_pass_axe(live_server, page: Page, school, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "nastavnik")
    found = []
    for path in (
        "/my/",
        f"/my/pairs/{school['pair'].pk}/",
        f"/my/meetings/{school['meeting'].pk}/feedback/",
    ):
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    assert found == []


@pytest.mark.parametrize("width", [375, 1366])
def test_the_directors_roadmap_and_monitoring_pages_pass_axe(
    live_server, page: Page, school, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "direktor")
    found = []
    for path in (
        "/",
        "/orders/",
        "/roadmap/",
        f"/roadmap/{school['roadmap'].pk}/",
        "/surveys/monitoring/",
    ):
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    assert found == []


def test_the_login_page_passes_axe(live_server, page: Page):
    page.goto(f"{live_server.url}/login/")
    assert violations(page) == []


@pytest.mark.parametrize("width", [375, 1366])
def test_the_regions_table_passes_axe(live_server, page: Page, school, width):
    # Issue 14, regions: the school's district lies in the regional login's region.
    regional = UserFactory(regional=True, username="region")
    district = school["pair"].organization.district
    district.region = regional.region
    district.save(update_fields=["region"])
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "region")
    found = []
    for path in ("/", "/region/", "/region/?sort=-pairs"):
        page.goto(f"{live_server.url}{path}")
        found += violations(page)
    assert found == []
