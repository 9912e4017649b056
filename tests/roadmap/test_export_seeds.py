"""Each real roadmap prints as the school filed it: every stage, activity,
deadline and responsible name in the PDF, in order."""

import pytest

from roadmap.documents import roadmap_pdf
from tests.roadmap.pdf_text import assert_in_order, pdf_table_text, pdf_text
from tests.roadmap.seeds import SEED_NAMES, load_seed, seed_data

pytestmark = pytest.mark.django_db


def _runs(values):
    """Consecutive repeats printed once (the cell spans those rows)."""
    kept = []
    for value in values:
        if value and (not kept or kept[-1] != value):
            kept.append(value)
    return kept


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_roadmap_prints_every_stage_activity_deadline_and_name(name):
    data = seed_data(name)
    text = pdf_table_text(roadmap_pdf(load_seed(name)))

    stages = data["stages"]
    activities = [a for s in stages for a in s["activities"]]
    people = {p["key"]: p for p in data["people"]}
    assert_in_order(text, [s["number"] for s in stages])
    assert_in_order(text, [s["name"] for s in stages])
    assert_in_order(text, [a["content"] for a in activities])
    for stage in stages:
        rows = stage["activities"]
        assert_in_order(text, _runs([a.get("deadline", "") for a in rows]))
        names = _runs(
            [
                " ".join(
                    f"{people[k]['last_name']} {people[k]['first_name'][0]}."
                    f"{people[k]['patronymic'][0]}. {people[k]['position']}"
                    for k in a.get("responsible", [])
                )
                + " "
                + a.get("roles", "")
                for a in rows
            ]
        )
        assert_in_order(text, [n for n in names if n.strip()])


def test_approval_and_adoption_requisites_are_printed():
    text = pdf_text(roadmap_pdf(load_seed("seed_cvr_mezhgorye_2024")))

    assert_in_order(
        text,
        [
            "ПРИНЯТ на педагогическом совете протокол № 1 от 16.09.2024",
        ],
    )
    assert_in_order(
        text,
        [
            "УТВЕРЖДАЮ",
            "Директор МБУДО ЦВР ЗАТО Межгорье Республики Башкортостан",
            "Н.Х. Горелова",
            "Приказ № 63 от 16.10.2024",
        ],
    )


def test_columns_nobody_filled_are_left_out_as_in_the_filed_document():
    text = pdf_text(roadmap_pdf(load_seed("seed_kindergarten_15_2023")))

    assert "Наименование этапа" in text
    assert "Срок исполнения" not in text
    assert "Ответственные" not in text


def test_page_numbers_from_the_second_page_and_headers_repeat():
    text = pdf_text(roadmap_pdf(load_seed("seed_gymnasium_513_2023")))
    pages = text.split("\f")

    assert len([p for p in pages if p.strip()]) >= 2
    assert pages[1].lstrip().startswith("2")
    assert "Наименование этапа" in pages[1]
