"""The director signs an order on a phone, clicking «Подписать» twice, in Chromium."""

import pytest
from playwright.sync_api import Page, expect

from mentoring.models import Order, Pair
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, UserFactory
from tests.mentoring.orders_helpers import named_pair

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_director_signs_on_a_phone_and_a_double_click_signs_once(
    live_server, page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    school = OrganizationFactory(order_number_suffix="-од")
    curator = UserFactory(curator=True, organization=school)
    UserFactory(director=True, organization=school, username="direktor")
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    order_services.submit_order(order=order, by=curator)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Имя пользователя").fill("direktor")
    page.get_by_label("Пароль").fill("пароль-для-тестов")
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Приказы на подпись").last.click()

    expect(page.get_by_role("link", name="Открыть приказ (PDF)")).to_be_visible()
    page.get_by_role("button", name="Подписать").dblclick()
    expect(page.get_by_role("alert").first).to_contain_text("Приказ подписан: № 1-од")
    expect(page.get_by_text("Приказов на подписи нет.")).to_be_visible()

    assert list(Order.objects.values_list("number", flat=True)) == [1]
    assert Pair.objects.get().status == Pair.Status.ACTIVE
