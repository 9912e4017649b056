"""The seed roadmaps written as schools keep them: a Word table with the
stage cells merged down and numbered paragraphs in one cell, a spreadsheet
with the numbers typed as floats. Written here, so nothing binary is kept."""

from __future__ import annotations

import datetime
import io
from itertools import groupby

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook

from tests.factories import OrganizationFactory, PersonFactory
from tests.roadmap.seeds import seed_data

SCHOOL = [
    "№ п/п",
    "Наименование этапа",
    "Содержание деятельности и примерный план мероприятий",
    "Срок исполнения",
    "Ответственные",
]


def seed_organization(name: str):
    """The seed's school and its people, as `load_seed` makes them."""
    data = seed_data(name)
    organization = OrganizationFactory(**data["organization"])
    for row in data["people"]:
        PersonFactory(
            organization=organization, **{k: v for k, v in row.items() if k != "key"}
        )
    return organization


def _short_name(person: dict) -> str:
    initials = "".join(
        f"{person[k][0]}." for k in ("first_name", "patronymic") if person.get(k)
    )
    return f"{person['last_name']} {initials}"


def responsible(data: dict, activity: dict) -> list[str]:
    """As the printed roadmap writes them: a line per person, then the roles."""
    people = {p["key"]: p for p in data["people"]}
    chosen = sorted(
        (people[k] for k in activity.get("responsible", [])),
        key=lambda p: (p["last_name"], p["first_name"]),
    )
    lines = [
        f"{_short_name(p)}, {p['position']}" if p.get("position") else _short_name(p)
        for p in chosen
    ]
    if activity.get("roles"):
        lines.append(activity["roles"])
    return lines


def columns(data: dict) -> list[str]:
    activities = [a for s in data["stages"] for a in s["activities"]]
    shown = SCHOOL[:3]
    if any(a.get("deadline") for a in activities):
        shown.append(SCHOOL[3])
    if any(responsible(data, a) for a in activities):
        shown.append(SCHOOL[4])
    return shown


def _date(value: str | None) -> str:
    if not value:
        return ""
    day = datetime.date.fromisoformat(value)
    return f"«{day.day:02d}» {day.month:02d} {day.year} г."


def heading_lines(roadmap: dict) -> tuple[list[str], list[str]]:
    """The ПРИНЯТ and УТВЕРЖДАЮ blocks, each ending with an empty line."""
    adopt, approve = [], []
    if roadmap.get("adoption_protocol_number"):
        adopt = [
            "ПРИНЯТ",
            "на педагогическом совете",
            f"Протокол № {roadmap['adoption_protocol_number']}",
            _date(roadmap.get("adopted_on")),
            "",
        ]
    if roadmap.get("approver_name"):
        approve = [
            "УТВЕРЖДАЮ",
            roadmap["approver_position"],
            roadmap["approver_name"],
            f"Приказ № {roadmap['approval_order_number']} "
            + _date(roadmap.get("approval_order_on")),
            "",
        ]
    return adopt, approve


def _groups(data: dict, stage: dict):
    """Runs of activities sharing deadline and responsible, all numbered:
    those go into one cell as paragraphs, as schools type them."""
    key = lambda a: (a.get("deadline", ""), responsible(data, a))  # noqa: E731
    for _key, run in groupby(stage["activities"], key=key):
        run = list(run)
        if len(run) > 1 and all(a["content"][:1].isdigit() for a in run):
            yield run
        else:
            yield from ([a] for a in run)


def seed_docx(name: str) -> bytes:
    data = seed_data(name)
    roadmap = data["roadmap"]
    document = Document()
    adopt, approve = heading_lines(roadmap)
    for line in adopt + approve:
        document.add_paragraph(line)
    for line in roadmap["title"].splitlines():
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    for line in roadmap.get("preamble", "").splitlines():
        if line.strip():
            document.add_paragraph(line)
    headers = columns(data)
    table = document.add_table(rows=1, cols=len(headers))
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for stage in data["stages"]:
        first = None
        for run in _groups(data, stage):
            cells = table.add_row().cells
            if first is None:
                first = cells
                cells[0].text, cells[1].text = stage["number"], stage["name"]
            else:
                first[0].merge(cells[0])
                first[1].merge(cells[1])
            lines = [line for a in run for line in a["content"].splitlines()]
            cells[2].text = lines[0]
            for line in lines[1:]:
                cells[2].add_paragraph(line)
            if len(headers) > 3:
                cells[3].text = run[0].get("deadline", "")
            if len(headers) > 4:
                people = responsible(data, run[0])
                cells[4].text = people[0] if people else ""
                for line in people[1:]:
                    cells[4].add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def typed(number: str):
    """What a spreadsheet keeps of a number typed without a final dot."""
    try:
        return float(number) if not number.endswith(".") else number
    except ValueError:
        return number


def seed_xlsx(name: str, *, stage_on: str = "first") -> bytes:
    """stage_on: "first" (a merged cell), "every" row, or "own" row."""
    data = seed_data(name)
    roadmap = data["roadmap"]
    book = Workbook()
    sheet = book.active
    for line in roadmap["title"].splitlines():
        sheet.append([line])
    sheet.append([])
    headers = columns(data)
    sheet.append(headers)
    for stage in data["stages"]:
        number = typed(stage["number"])
        if stage_on == "own":
            sheet.append([number, stage["name"]])
        start = sheet.max_row + 1
        for index, activity in enumerate(stage["activities"]):
            values = [None, None, activity["content"]]
            if stage_on == "every" or (stage_on == "first" and index == 0):
                values[:2] = [number, stage["name"]]
            if len(headers) > 3:
                values.append(activity.get("deadline", ""))
            if len(headers) > 4:
                values.append("\n".join(responsible(data, activity)))
            sheet.append(values)
        if stage_on == "first" and sheet.max_row > start:
            for column in ("A", "B"):
                sheet.merge_cells(f"{column}{start}:{column}{sheet.max_row}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
