"""On a phone: a school sends its program, the district returns it, the
school sends it again, and the district approves it."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_program_goes_to_the_district_and_back_on_a_phone(live_server, page: Page):
    school = OrganizationFactory(short_name="Гимназия № 7")
    UserFactory(curator=True, username="kurator", organization=school)
    UserFactory(methodologist=True, username="metodist", district=school.district)
    page.set_viewport_size({"width": 375, "height": 812})

    log_in(page, live_server, "kurator")
    page.goto(f"{live_server.url}/reviews/new/")
    page.get_by_label("Программа наставничества (положение)").check()
    page.get_by_label("Наименование документа").fill("Программа наставничества")
    page.get_by_role("button", name="Направить на экспертизу").click()
    expect(page.get_by_role("alert")).to_contain_text("направлено на экспертизу")

    page.context.clear_cookies()
    log_in(page, live_server, "metodist")
    page.get_by_role("link", name="Гимназия № 7: Программа").click()
    page.get_by_label("Замечания и рекомендации").fill("Добавьте критерии.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_role("alert")).to_contain_text("возвращён школе")

    page.context.clear_cookies()
    log_in(page, live_server, "kurator")
    page.get_by_role("link", name="Программа наставничества (положение)").click()
    page.get_by_role("link", name="Направить исправленный документ").click()
    page.get_by_label("Наименование документа").fill("Программа, исправленная")
    page.get_by_role("button", name="Направить на экспертизу").click()
    expect(page.locator("#history + ol li")).to_have_count(2)

    page.context.clear_cookies()
    log_in(page, live_server, "metodist")
    page.goto(f"{live_server.url}/reviews/")
    page.locator("a.list-group-item").first.click()
    page.get_by_role("button", name="Одобрить").click()
    expect(page.get_by_role("alert")).to_contain_text("Документ одобрен.")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
