"""The simple electronic signature's mark on a signed order (ГОСТ Р
7.0.97-2025), its QR code and the public page it opens."""

import hashlib
import io
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from mentoring.models import Order, Organization
from mentoring.services import orders as order_services
from mentoring.services.orders.storage import stored_order_pdf
from tests.factories import OrganizationFactory, UserFactory

from .orders_helpers import named_pair, pdf_text

SITE = "https://nastavnik.example.ru"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = SITE


def signed_order(**organization_fields) -> Order:
    school = OrganizationFactory(
        order_number_suffix="-од",
        head_position="Директор",
        head_name="А.Б. Сидорова",
        **organization_fields,
    )
    curator = UserFactory(curator=True, organization=school)
    director = UserFactory(director=True, organization=school)
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(order=order, director=director)
    order.refresh_from_db()
    return order


def qr_texts(content: bytes) -> list[str]:
    """What a phone reads from the PDF's first page's QR codes."""
    png = subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.django_db
def test_an_order_signed_in_the_browser_carries_the_mark_and_its_qr_code():
    order = signed_order()
    content = stored_order_pdf(order=order)
    text = pdf_text(content)
    assert len(order.signature_code) == 20
    assert "ДОКУМЕНТ ПОДПИСАН ПРОСТОЙ ЭЛЕКТРОННОЙ ПОДПИСЬЮ" in text.upper()
    assert "Подписал: Директор А.Б. Сидорова" in text
    assert f"Код документа: {order.signature_code}" in text
    assert "Дата и время: " in text
    # The hash is of the file as filed.
    order.refresh_from_db()
    with order.pdf.open("rb") as filed:
        assert order.pdf_sha256 == hashlib.sha256(filed.read()).hexdigest()
    url = SITE + reverse("mentoring:order-verify", args=[order.signature_code])
    assert qr_texts(content) == [url]


@pytest.mark.django_db
def test_each_signed_order_gets_its_own_code():
    assert signed_order().signature_code != signed_order().signature_code


@pytest.mark.django_db
def test_a_school_that_signs_on_paper_prints_the_signature_line():
    order = signed_order(order_signing=Organization.Signing.PAPER)
    content = stored_order_pdf(order=order)
    assert order.signature_code == ""
    assert "ЭЛЕКТРОННОЙ ПОДПИСЬЮ" not in pdf_text(content).upper()
    assert "Директор А.Б. Сидорова" in pdf_text(content)
    assert qr_texts(content) == []


@pytest.mark.django_db
def test_the_verification_page_shows_the_signing_without_personal_data(client):
    order = signed_order()
    stored_order_pdf(order=order)
    order.refresh_from_db()
    response = client.get(
        reverse("mentoring:order-verify", args=[order.signature_code])
    )
    assert response.status_code == 200
    page = response.text
    assert "Документ подписан простой электронной подписью" in page
    assert order.organization.full_name in page
    assert f"Приказ № {order.full_number}" in page
    assert order.pdf_sha256 in page
    assert "Сидорова" not in page
    for person in order.pairs.get().participations.select_related("person"):
        assert person.person.last_name not in page
    assert order.title not in page


@pytest.mark.django_db
def test_the_verification_page_says_whether_a_sha256_matches(client):
    order = signed_order()
    stored_order_pdf(order=order)
    order.refresh_from_db()
    url = reverse("mentoring:order-verify", args=[order.signature_code])
    same = client.get(url, {"sha256": order.pdf_sha256.upper()}).text
    assert "SHA-256 совпадает" in same
    altered = client.get(url, {"sha256": "0" * 64}).text
    assert "SHA-256 не совпадает: этот файл отличается" in altered
    assert "Это не SHA-256" in client.get(url, {"sha256": "abc"}).text


@pytest.mark.django_db
def test_an_unknown_code_is_not_found(client):
    signed_order()
    response = client.get(reverse("mentoring:order-verify", args=["0" * 20]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_order_entered_from_the_paper_journal_gets_no_mark():
    school = OrganizationFactory(head_name="А.Б. Сидорова")
    curator = UserFactory(curator=True, organization=school)
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    order_services.register_paper_order(
        order=order, by=curator, number=7, signed_on=timezone.localdate()
    )
    order.refresh_from_db()
    content = stored_order_pdf(order=order)
    assert order.signature_code == ""
    assert "ЭЛЕКТРОННОЙ ПОДПИСЬЮ" not in pdf_text(content).upper()
    assert qr_texts(content) == []
