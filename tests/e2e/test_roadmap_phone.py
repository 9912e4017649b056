"""The director opens the roadmap on a phone and marks a late activity done."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import ActivityFactory, StageFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_director_marks_a_late_activity_done_on_a_phone(live_server, page: Page):
    stage = StageFactory(name="Формирование банка наставников")
    ActivityFactory(
        stage=stage,
        content="Анкетирование потенциальных наставников",
        ends_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    UserFactory(
        director=True, username="direktor", organization=stage.roadmap.organization
    )
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill("direktor")
    page.get_by_label("Пароль").fill("пароль-для-тестов")
    page.get_by_role("button", name="Войти").click()
    page.goto(f"{live_server.url}/roadmap/")
    page.locator("a.list-group-item").first.click()

    late = page.locator("li.activity-overdue")
    expect(late).to_contain_text("Анкетирование потенциальных наставников")
    expect(late).to_contain_text("Просрочено")
    late.get_by_role("button", name="Отметить выполненным").click()
    expect(page.get_by_role("alert")).to_contain_text("Статус мероприятия изменён.")
    expect(page.locator("li.activity-overdue")).to_have_count(0)
    expect(page.locator("li.activity").first).to_contain_text("Выполнено")
