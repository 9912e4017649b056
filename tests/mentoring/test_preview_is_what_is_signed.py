"""The preview the director approves is the order filed once signed: the
signed PDF adds only the number, the date and the signature mark."""

import datetime
import difflib
import re
import subprocess

import pytest
from django.urls import reverse

from mentoring.dates import short_date
from mentoring.models import Order
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, UserFactory

from .orders_helpers import named_pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _lines(content: bytes) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


# The blanks of the preview, or the number and date the signing gave.
NUMBER_AND_DATE = re.compile(r"(«_+» _+ 20_+ г\.|\d{2}\.\d{2}\.\d{4}) ?№ ?(_+|\d+-од)")


def _masked(lines: list[str], director: str) -> str:
    """The text with the number, the date and the signature requisite masked.

    The requisite runs from the director's line (or the electronic
    signature's mark, which the text puts first) to the familiarization list.
    Page numbers go too: the mark is taller than a signature line, so the
    pages after it may break elsewhere.
    """
    lines = [line for line in lines if not line.isdigit()]
    start = next(
        i
        for i, line in enumerate(lines)
        if line.startswith(("Директор", "ДОКУМЕНТ ПОДПИСАН"))
    )
    end = lines.index("С приказом ознакомлены:")
    block = " ".join(lines[start:end])
    assert director in block, block
    kept = [*lines[:start], "<подпись>", *lines[end:]]
    return NUMBER_AND_DATE.sub("<номер и дата>", " ".join(kept))


def _pdf(client, order) -> bytes:
    response = client.get(reverse("mentoring:order-pdf", args=[order.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_signed_pdf_differs_from_the_preview_only_in_number_date_and_mark(
    client, tmp_path
):
    school = OrganizationFactory(order_number_suffix="-од")
    curator = UserFactory(curator=True, organization=school)
    director = UserFactory(
        director=True, organization=school, first_name="Светлана", last_name="Анисимова"
    )
    pairs = [
        named_pair(
            school,
            starts_on=datetime.date(2026, 12, 7),
            ends_on=datetime.date(2027, 5, 31),
        ),
        named_pair(
            school,
            starts_on=datetime.date(2027, 1, 11),
            ends_on=datetime.date(2027, 8, 31),
        ),
    ]
    order = order_services.create_pair_order(
        organization=school, pairs=pairs, by=curator
    )
    order_services.submit_order(order=order, by=curator)
    client.force_login(director)
    preview = _lines(_pdf(client, order))

    client.post(reverse("mentoring:order-sign", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == Order.Status.SIGNED
    signed = _lines(_pdf(client, order))

    assert f"{short_date(order.signed_on)} № {order.full_number}" in " ".join(signed)
    for text in (preview, signed):
        assert "с 07.12.2026 по 31.05.2027" in " ".join(text)
    masked_preview, masked_signed = (
        _masked(text, "Анисимова") for text in (preview, signed)
    )
    assert masked_preview == masked_signed, "\n".join(
        difflib.unified_diff(
            masked_preview.split(" "), masked_signed.split(" "), lineterm=""
        )
    )
