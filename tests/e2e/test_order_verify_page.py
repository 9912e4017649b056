"""Whoever holds a signed order scans its QR code and checks the file."""

import os

import pytest
from playwright.sync_api import Page, expect

from mentoring.services.orders.storage import stored_order_pdf
from tests.mentoring.test_order_esign import signed_order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 1366])
def test_the_verification_page_compares_a_sha256(
    live_server, page: Page, settings, tmp_path, width
):
    settings.MEDIA_ROOT = tmp_path
    order = signed_order()
    stored_order_pdf(order=order)
    order.refresh_from_db()
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"{live_server.url}/verify/{order.signature_code}/")
    expect(page.get_by_text(order.pdf_sha256)).to_be_visible()
    page.get_by_label("Сверить SHA-256 имеющегося у вас файла").fill("f" * 64)
    page.get_by_role("button", name="Сверить").click()
    expect(page.get_by_role("status")).to_contain_text("SHA-256 не совпадает")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(
            path=os.environ["SCREENSHOTS"] + f"/verify-{width}.png", full_page=True
        )
