"""The roadmap's XLSX is the printed roadmap: the ПРИНЯТ and УТВЕРЖДАЮ
blocks, the title, the table with its mark of completion, set up to print
on landscape A4 with the header on every page."""

import html
import os
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from mentoring.dates import short_date
from mentoring.models import User
from roadmap.documents import SCHOOL_COLUMNS, roadmap_xlsx
from roadmap.models import Activity, Roadmap
from tests.roadmap.pdf_text import assert_in_order, pdf_text
from tests.roadmap.printed_xlsx import header_row, printed_sheet, table_rows
from tests.roadmap.seeds import load_seed, seed_data

pytestmark = pytest.mark.django_db

STATUS = "Отметка о выполнении"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>')
LONG_SEED = "seed_gymnasium_513_2023"


@pytest.fixture
def demo(client):
    call_command("load_demo", stdout=StringIO())
    director = User.objects.get(username="direktor")
    client.force_login(director)
    return Roadmap.objects.get(organization=director.organization)


def _download(client, roadmap):
    response = client.get(reverse("roadmap:xlsx", args=[roadmap.pk]))
    assert response.status_code == 200
    return printed_sheet(b"".join(response.streaming_content))


def _above_the_table(sheet) -> list[str]:
    return [
        cell.value
        for row in sheet.iter_rows(max_row=header_row(sheet) - 1)
        for cell in row
        if cell.value
    ]


def _words(pdf: bytes) -> list[tuple[int, float, float, str]]:
    """(page, y, x, word) in reading order, from pdftotext's word boxes."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    words = []
    for page, body in enumerate(xhtml.split("<page ")[1:]):
        for x, y, word in WORD.findall(body):
            words.append((page, round(float(y)), float(x), html.unescape(word)))
    return sorted(words)


def _shown(activity: Activity) -> str:
    return (
        f"{activity.number} {activity.content}"
        if activity.number
        else (activity.content)
    )


def test_the_demo_roadmap_opens_with_its_approval_blocks_and_title(client, demo):
    sheet = _download(client, demo)

    adopted, approved, title, preamble = _above_the_table(sheet)
    assert adopted.split("\n") == [
        "ПРИНЯТ",
        "на педагогическом совете",
        f"протокол № 1 от {short_date(demo.adopted_on)}",
    ]
    assert approved.split("\n") == [
        "УТВЕРЖДАЮ",
        f"{demo.organization.head_position} {demo.organization.short_name}",
        f"_______________ {demo.organization.head_name}",
        f"Приказ № 112-од от {short_date(demo.approval_order_on)}",
    ]
    assert title == demo.title
    assert title.startswith("Дорожная карта")
    assert preamble.split("\n") == [
        line for line in demo.preamble.splitlines() if line.strip()
    ]
    # ПРИНЯТ in the left corner, УТВЕРЖДАЮ in the right, the title across.
    corners = sorted(
        (r for r in sheet.merged_cells.ranges if r.min_row == 1),
        key=lambda r: r.min_col,
    )
    assert [sheet.cell(1, r.min_col).value for r in corners] == [adopted, approved]
    assert corners[0].min_col == 1
    assert corners[1].min_col > sheet.max_column / 2
    assert corners[1].max_col == sheet.max_column


def test_every_activity_of_the_demo_is_a_row_with_its_status_in_russian(client, demo):
    sheet = _download(client, demo)

    rows = table_rows(sheet)
    content, status = rows[0].index(SCHOOL_COLUMNS[2]), rows[0].index(STATUS)
    shown = {row[content]: row[status] for row in rows[1:]}
    activities = list(Activity.objects.filter(stage__roadmap=demo))
    assert sorted(shown) == sorted(_shown(a) for a in activities)
    for activity in activities:
        expected = {
            Activity.Status.PLANNED: "Запланировано",
            Activity.Status.IN_PROGRESS: "В работе",
            Activity.Status.DONE: f"Выполнено\n{short_date(activity.done_on)}"
            if activity.done_on
            else "",
        }[activity.status]
        assert shown[_shown(activity)] == expected, activity.content
    assert {"Выполнено", "Запланировано"} <= {s.split("\n")[0] for s in shown.values()}


def test_the_xlsx_prints_on_landscape_a4_fitted_to_the_width():
    sheet = printed_sheet(roadmap_xlsx(load_seed(LONG_SEED)))

    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
    header = header_row(sheet)
    assert [c.value for c in sheet[header]][:2] == ["№ п/п", "Наименование этапа"]
    last = get_column_letter(sheet.max_column)
    assert sheet.print_area.endswith(f"!$A$1:${last}${sheet.max_row}")
    assert "&P" in sheet.oddHeader.center.text
    assert sheet.HeaderFooter.differentFirst  # no number on the first page
    widths = [
        sheet.column_dimensions[get_column_letter(i)].width
        for i in range(1, sheet.max_column + 1)
    ]
    assert 120 <= sum(widths) <= 160
    assert max(widths) == widths[2]  # the activities get the room
    for row in sheet.iter_rows(min_row=header):
        assert sheet.row_dimensions[row[0].row].height >= 15
        for cell in row:
            if isinstance(cell, MergedCell):
                continue  # styled by the merge's first cell
            assert cell.alignment.wrap_text, cell.coordinate
            assert cell.border.left.style == "thin", cell.coordinate
            assert cell.border.bottom.style == "thin", cell.coordinate


def test_every_activity_of_a_long_seed_is_in_the_xlsx_in_order():
    data = seed_data(LONG_SEED)
    sheet = printed_sheet(roadmap_xlsx(load_seed(LONG_SEED)))

    rows = table_rows(sheet)
    content = rows[0].index(SCHOOL_COLUMNS[2])
    assert [row[content] for row in rows[1:]] == [
        a["content"] for s in data["stages"] for a in s["activities"]
    ]
    assert [row[1] for row in rows[1:] if row[1]] == [s["name"] for s in data["stages"]]


def test_a_template_has_no_mark_of_completion():
    template = Roadmap.objects.get(is_template=True, code="teachers")

    rows = table_rows(printed_sheet(roadmap_xlsx(template)))

    assert STATUS not in rows[0]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice here")
def test_libreoffice_prints_the_long_seed_on_landscape_pages_like_the_pdf(tmp_path):
    """As a school prints it: every activity, the header on the next page."""
    data = seed_data(LONG_SEED)
    source = tmp_path / "roadmap.xlsx"
    source.write_bytes(roadmap_xlsx(load_seed(LONG_SEED)))

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = (tmp_path / "roadmap.pdf").read_bytes()

    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "841.89 x 595.28" in info or "841.89 x 595.304" in info  # A4 landscape
    pages = pdf_text(pdf).split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert pages[1].lstrip().startswith("2")
    assert "Наименование этапа" in pages[1]
    activities = [a for s in data["stages"] for a in s["activities"]]
    # The activities' column: from where the first one starts to where its
    # deadline does, the same on every page.
    words = _words(pdf)
    first, deadline = activities[0]["content"].split()[0], activities[0]["deadline"]
    right = next(x for _p, _y, x, w in words if w == deadline.split()[0])
    left = max(x for _p, _y, x, w in words if w == first and x < right)
    column = " ".join(w for _p, _y, x, w in words if left - 1 <= x < right - 1)
    assert_in_order(column, [a["content"] for a in activities])
