"""The monitoring charts shrink to their box on a phone: every month and the
whole legend stay in sight (issue 13: the axis stopped at «апр»)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentoring.models import Participation
from tests.e2e.helpers import log_in
from tests.factories import MeetingFactory, PairFactory, UserFactory, fill_questionnaire

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _this_school_year_month(month: int) -> datetime.datetime:
    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    year = start if month >= 9 else start + 1
    return timezone.make_aware(datetime.datetime(year, month, 15, 12))


def test_monitoring_charts_fit_a_phone(live_server, page: Page):
    pair = PairFactory(active=True)
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    meeting = MeetingFactory(pair=pair, starts_at=_this_school_year_month(10))
    fill_questionnaire(
        "meeting-feedback-mentor",
        respondent=mentor,
        meeting=meeting,
        answers={"goal_reached": 8},
        submitted_at=meeting.starts_at,
    )
    fill_questionnaire(
        "satisfaction-mentee",
        respondent=mentee,
        pair=pair,
        answers={"satisfaction": 9, "effectiveness": 7},
        submitted_at=meeting.starts_at,
    )
    UserFactory(director=True, username="direktor", organization=pair.organization)
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, live_server, "direktor")
    page.goto(f"{live_server.url}/surveys/monitoring/")

    charts = page.locator("svg.chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 2
    for i in range(charts.count()):
        chart = charts.nth(i)
        box = chart.bounding_box()
        room = chart.evaluate("svg => svg.parentElement.clientWidth")
        assert box["width"] <= room, f"chart {i}: {box['width']} px in {room} px"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    # The last month and the second legend entry are drawn inside the box.
    trend = page.locator("svg.chart", has_text="Средний балл по месяцам")
    for text in ("авг", "Удовлетворённость участием"):
        label = trend.locator("text", has_text=text).last
        box, svg = label.bounding_box(), trend.bounding_box()
        assert box["x"] + box["width"] <= svg["x"] + svg["width"] + 1, text
