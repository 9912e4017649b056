"""Every invalid field says what is wrong, in Chromium: an empty required
scale (inline radio buttons) showed red buttons and no text."""

import pytest
from playwright.sync_api import Page, expect

from mentoring.models import Participation
from tests.e2e.helpers import log_in
from tests.factories import MeetingFactory, PairFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_empty_required_scale_shows_its_message(live_server, page: Page):
    pair = PairFactory(active=True)
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    mentor.user = UserFactory(username="nastavnik")
    mentor.save(update_fields=["user"])
    meeting = MeetingFactory(pair=pair)
    log_in(page, live_server, "nastavnik")

    page.goto(f"{live_server.url}/my/meetings/{meeting.pk}/feedback/")
    page.get_by_role("button", name="Отправить").click()

    for question in (
        "Насколько достигнута цель встречи",
        "Что было сделано на встрече",
        "Нужна ли помощь куратора",
    ):
        expect(page.get_by_text(f"Ответьте на вопрос «{question}».")).to_be_visible()
    # Every field marked invalid has a visible message.
    invalid = page.locator(".is-invalid")
    assert invalid.count() > 0
    messages = page.locator(".invalid-feedback:visible")
    names = set(invalid.evaluate_all("fields => fields.map(field => field.name)"))
    assert messages.count() >= len(names)
