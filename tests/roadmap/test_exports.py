"""The roadmap downloads as PDF and XLSX and prints from the browser."""

import pytest
from django.urls import reverse

from roadmap.documents import roadmap_pdf
from roadmap.models import Roadmap
from roadmap.services import create_roadmap_from_template
from tests.factories import DistrictFactory, UserFactory
from tests.roadmap.pdf_text import assert_in_order, pdf_table_text
from tests.roadmap.printed_xlsx import header_row, printed_sheet, table_rows
from tests.roadmap.seeds import load_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def gymnasium(client):
    roadmap = load_seed("seed_gymnasium_513_2023")
    client.force_login(UserFactory(director=True, organization=roadmap.organization))
    return roadmap


def test_the_pdf_downloads_under_its_own_name(client, gymnasium):
    response = client.get(reverse("roadmap:pdf", args=[gymnasium.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "2023-2024" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_xlsx_holds_the_same_table_with_stage_cells_merged(client, gymnasium):
    response = client.get(reverse("roadmap:xlsx", args=[gymnasium.pk]))

    sheet = printed_sheet(b"".join(response.streaming_content))
    rows = table_rows(sheet)
    assert rows[0] == (
        "№ п/п",
        "Наименование этапа",
        "Содержание деятельности и примерный план мероприятий",
        "Срок исполнения",
        "Ответственные",
        "Отметка о выполнении",
    )
    assert rows[2][:4] == (
        "2.",
        "Формирование банка наставляемых",
        "1. Сбор информации о профессиональных запросах педагогов.",
        "Сентябрь - октябрь 2023г.",
    )
    assert rows[3][:2] == (None, None)  # merged into the stage's first row
    first = header_row(sheet) + 2
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"B{first}:B{first + 2}" in merged
    # The deadline and the curator are the same for the stage's three rows.
    assert f"D{first}:D{first + 2}" in merged


def test_the_print_view_shows_the_document_with_its_stylesheet(client, gymnasium):
    response = client.get(reverse("roadmap:print", args=[gymnasium.pk]))

    assert "css/documents.css" in response.text
    assert 'rowspan="3"' in response.text
    assert "Отбор и обучение" in response.text


def test_the_district_roadmap_prints_with_its_own_columns():
    template = Roadmap.objects.get(is_template=True, code="district")
    roadmap = create_roadmap_from_template(
        template=template, by=None, year=2025, district=DistrictFactory()
    )

    text = pdf_table_text(roadmap_pdf(roadmap))

    assert_in_order(text, ["Мероприятие", "Дата проведения", "Ответственный"])
    assert_in_order(
        text,
        ["Организационно-методическое обеспечение", "Информационное сопровождение"],
    )
    assert_in_order(text, ["ИМЦ", "ОУ"])
