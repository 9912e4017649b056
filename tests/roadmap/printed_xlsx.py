"""Reading the printed roadmap's XLSX back in tests."""

from __future__ import annotations

import io

from openpyxl import load_workbook


def printed_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def header_row(sheet) -> int:
    """The table's header: the row printed at the top of every page."""
    rows = sheet.print_title_rows  # «$7:$7»
    assert rows, "no rows repeat on every page"
    first, last = (int(part.strip("$")) for part in rows.split(":"))
    assert first == last
    return first


def table_rows(sheet) -> list[tuple]:
    """The header and the rows under it, as values."""
    return list(sheet.iter_rows(min_row=header_row(sheet), values_only=True))


def column(sheet, header: str) -> list:
    rows = table_rows(sheet)
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
