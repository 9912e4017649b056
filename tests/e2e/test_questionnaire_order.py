"""The curator reorders a questionnaire's questions by dragging them, in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import QuestionnaireFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_curator_drags_a_question_down_and_the_order_is_saved(live_server, page: Page):
    curator = UserFactory(curator=True, username="kurator")
    obj = QuestionnaireFactory(
        organization=curator.organization,
        questions=[
            {"text": "Первый вопрос", "kind": "scale"},
            {"text": "Второй вопрос", "kind": "scale"},
            {"text": "Третий вопрос", "kind": "long_text", "is_required": False},
        ],
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill("kurator")
    page.get_by_label("Пароль").fill("пароль-для-тестов")
    page.get_by_role("button", name="Войти").click()
    page.goto(f"{live_server.url}/admin/surveys/questionnaire/{obj.pk}/change/")
    rows = page.locator(".sortable-questions tr.form-row:not(.empty-form)")

    rows.nth(0).drag_to(rows.nth(2))
    page.locator("input[name=_continue]").click()

    expect(page.locator(".messagelist")).to_be_visible()
    version = obj.versions.get()
    assert list(version.questions.values_list("text", flat=True)) == [
        "Второй вопрос",
        "Первый вопрос",
        "Третий вопрос",
    ]
