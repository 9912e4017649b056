"""The curator logs in, finds a person and sees their consents, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from mentoring.models import Consent
from tests.factories import ConsentFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_curator_finds_a_person_and_sees_their_consents(live_server, page: Page):
    curator = UserFactory(curator=True, username="kurator")
    person = PersonFactory(
        organization=curator.organization,
        last_name="Лебедева",
        first_name="Ирина",
        patronymic="Викторовна",
        consented=True,
    )
    ConsentFactory(person=person, kind=Consent.Kind.DISTRIBUTION, withdrawn=True)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill("kurator")
    page.get_by_label("Пароль").fill("пароль-для-тестов")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Наставничество")

    page.get_by_role("link", name="Рабочий кабинет").click()
    page.get_by_role("link", name="Участники").first.click()
    page.locator("#searchbar").fill("Лебедева")
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name="Лебедева Ирина Викторовна").click()

    expect(page).to_have_title(re.compile("Лебедева Ирина Викторовна"))
    consents = page.locator("#consents-group")
    expect(consents).to_contain_text("На обработку персональных данных")
    expect(consents).to_contain_text("действует")
    expect(consents).to_contain_text("отозвано")
