"""XLSX downloads: the back office's lists and the cell every export writes.

A name or a topic typed by a user goes into a spreadsheet that a curator
opens in Excel or LibreOffice. Text beginning with «=» would be stored as a
formula (openpyxl does so by itself), and «+», «-», «@», a tab or a line
break become one when the cell is edited: `safe_cell` keeps such text a
text. Every export in the project builds its cells through it.
"""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL_TEXT = 32_767  # Excel's limit; longer text does not open
WIDTH_SAMPLE = 200  # rows read to size the columns

_HEADER_FONT = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


def safe_cell(sheet, value, *, number_format: str | None = None):
    """What to put in `sheet.append()` for `value`: text stays text, dates
    print as dates.

    A plain value where it needs nothing else (an openpyxl cell object costs
    more than the value itself on a long list), else a cell. Works for
    write-only and ordinary worksheets alike.
    """
    if isinstance(value, str):
        # Control characters make the file unreadable; Excel caps a cell's text.
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        value = value[:MAX_CELL_TEXT]
        if not value.startswith(FORMULA_STARTS) and number_format is None:
            return value
    elif isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        # A spreadsheet has no time zones: the school's local time is shown.
        value = value.replace(tzinfo=None)
        number_format = number_format or DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        number_format = number_format or DATE_FORMAT
    elif number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    return keep_text(cell)


def keep_text(cell: Cell) -> Cell:
    """Mark a cell whose text could run as a formula as plain text."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        # The quote prefix keeps it text in Excel even after the cell is edited.
        cell.quotePrefix = True
    return cell


def keep_text_everywhere(book: Workbook) -> None:
    """`keep_text` over a workbook already filled cell by cell."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                keep_text(cell)


def table_xlsx(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
) -> bytes:
    """One sheet: a bold header row, then the rows, written as they come.

    Only the first rows are held, to size the columns; the rest stream into
    the write-only workbook, so memory does not grow with the list.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(title))
    rows = iter(rows)
    first = list(itertools.islice(rows, WIDTH_SAMPLE))
    for index, width in enumerate(_widths(headers, first), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = keep_text(WriteOnlyCell(sheet, value=str(header)))
        cell.font, cell.alignment = _HEADER_FONT, _HEADER_ALIGNMENT
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in itertools.chain(first, rows):
        sheet.append([safe_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    # Excel refuses these characters and more than 31 in a sheet's name.
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31] or "Лист1"


def _widths(headers: Sequence[str], rows: list[Sequence]) -> list[float]:
    """Column widths from the header and the first rows, within reason."""
    widths = []
    for index, header in enumerate(headers):
        longest = max((len(word) for word in str(header).split()), default=0)
        for row in rows:
            longest = max(longest, _shown_length(row[index]))
        widths.append(min(max(longest + 2, 8), 60))
    return widths


def _shown_length(value) -> int:
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, (int, float, Decimal)):
        return len(str(value))
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)
