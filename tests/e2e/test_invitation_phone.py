"""A mentee opens the invitation on a phone, sets a password and is in."""

import os

import pytest
from playwright.sync_api import Page, expect

from mentoring import services
from tests.factories import MenteeProfileFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mentee_sets_a_password_by_invitation_on_a_phone(live_server, page: Page):
    person = MenteeProfileFactory(person__email="mentee@example.ru").person
    issued = services.create_logins(persons=[person], by=None).invited[0]
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/invite/{issued.code}/")
    expect(page.get_by_text(issued.user.username)).to_be_visible()
    page.get_by_label("Новый пароль").fill("Надёжный-пароль-2026")
    page.get_by_label("Подтверждение нового пароля").fill("Надёжный-пароль-2026")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/invitation.png")
    page.get_by_role("button", name="Сохранить пароль и войти").click()

    expect(page).to_have_url(f"{live_server.url}/my/")
    page.goto(f"{live_server.url}/invite/{issued.code}/")
    expect(page.get_by_role("alert")).to_contain_text("уже использована")
