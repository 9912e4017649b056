"""The main pages work under the Content-Security-Policy, in Chromium.

Scripts and styles moved from the templates to static files keep working:
progress bars take their width, the weight sliders show their value, the
filter applies on choosing. tests/e2e/conftest.py fails any browser test
whose pages broke a rule of the policy.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import (
    ActivityFactory,
    PersonFactory,
    StageFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_main_pages_work_under_the_policy(live_server, page: Page):
    stage = StageFactory(name="Формирование банка наставников")
    school = stage.roadmap.organization
    responsible = PersonFactory(organization=school, last_name="Кудрявцева")
    ActivityFactory(stage=stage, done=True, responsible=[responsible])
    ActivityFactory(stage=stage)
    UserFactory(curator=True, username="kurator", organization=school)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill("kurator")
    page.get_by_label("Пароль").fill("пароль-для-тестов")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Наставничество")

    page.goto(f"{live_server.url}/roadmap/{stage.roadmap.pk}/")
    expect(page.locator(".card-header .progress-bar").first).to_have_attribute(
        "style", "width: 50%;"
    )
    page.locator("select#person").select_option(label=responsible.short_name)
    expect(page).to_have_url(re.compile(r"\?person=\d+"))

    page.goto(f"{live_server.url}/roadmap/{stage.roadmap.pk}/print/")
    expect(page.get_by_role("button", name="Печать")).to_be_visible()

    page.goto(f"{live_server.url}/matching/")
    slider = page.locator("input.weight").first
    slider.evaluate(
        "input => { input.value = '7.5'; input.dispatchEvent(new Event('input')); }"
    )
    expect(page.locator("output.weight-value").first).to_have_text("7,5")

    page.goto(f"{live_server.url}/surveys/monitoring/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"{live_server.url}/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")

    page.goto(f"{live_server.url}/admin/mentoring/person/")
    expect(page.get_by_role("link", name=re.compile("Кудрявцева"))).to_be_visible()
