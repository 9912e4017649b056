"""The report as an XLSX workbook: the figures, the forms, the organizations."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mentoring.exports import safe_cell

from .figures import forms_table, sections


def _sheet(book, title: str, header: list[str], rows: list[list], widths) -> None:
    sheet = book.create_sheet(title)
    sheet.append([safe_cell(sheet, text) for text in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(
            [safe_cell(sheet, float(v) if hasattr(v, "is_finite") else v) for v in row]
        )
    for column, width in zip("ABCDEFGHIJKLMN", widths, strict=False):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"


def report_workbook(*, report, columns=(), organizations=()) -> bytes:
    """`report`: a ReportContext; `organizations`: rows of the district's table."""
    ind = report.indicators
    book = Workbook()
    book.remove(book.active)
    rows = []
    for section in sections(ind):
        rows.append([section.title, None, None])
        for figure in section.figures:
            indent = "    " if figure.level else ""
            rows.append([indent + figure.label, figure.value, figure.unit])
    _sheet(
        book,
        "Показатели",
        [f"{report.scope}, {report.period.label}", "Значение", "Ед."],
        rows,
        [70, 14, 6],
    )
    _sheet(
        book,
        "Формы наставничества",
        ["Форма наставничества", "Пар", "Групп"],
        [list(row) for row in forms_table(ind)],
        [60, 10, 10],
    )
    if organizations:
        _sheet(
            book,
            "По организациям",
            ["Организация", *(label for label, _attr in columns)],
            organizations,
            [40, *[14] * len(columns)],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
