"""Read a spreadsheet (XLSX, XLS, ODS, CSV) into rows of cells.

A small reader of the roadmap's own until the shared one in the core
(`mentoring/imports/`) lands; `read_rows` is the one seam to switch. It
keeps what the structure detection needs and tablib drops: which cells a
merge covers, and each cell's lines.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mentoring.dates import short_date

from .errors import ImportFailed

MAX_BYTES = 5 * 1024 * 1024  # a roadmap is a few pages; 5 MB holds scans too
MAX_UNPACKED = 50 * 1024 * 1024  # an XLSX/ODS/DOCX is a zip: checked before parsing
MAX_ROWS = 2000


@dataclass
class Cell:
    lines: list[str] = field(default_factory=list)
    # Covered by a merge started above (Word's vMerge, a spreadsheet's merged
    # range): the value is the first row's, not written again.
    continued: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def empty(self) -> bool:
        return self.continued or not any(line.strip() for line in self.lines)


def as_written(value) -> str:
    """The text the user typed: LibreOffice stores «1.1» as the float 1.1 and
    «5» as 5.0; dates arrive as datetimes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if not value.time() else value
    if isinstance(value, datetime.date):
        return short_date(value)  # «05.03.2025», as a deadline reads it
    return str(value).replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def text_cell(value) -> Cell:
    text = as_written(value)
    return Cell(lines=[" ".join(line.split()) for line in text.split("\n")])


def check_size(content: bytes) -> None:
    if not content:
        raise ImportFailed(_("Файл пуст."))
    if len(content) > MAX_BYTES:
        raise ImportFailed(
            _("Файл больше %(mb)s МБ: дорожная карта столько не весит.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )


def check_zip(content: bytes, kind: str) -> zipfile.ZipFile:
    """XLSX, ODS and DOCX are zip archives: refuse one that would unpack to
    hundreds of megabytes before any parser sees it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise ImportFailed(
            _("Файл не похож на %(kind)s: возможно, у него чужое расширение.")
            % {"kind": kind}
        ) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
        raise ImportFailed(
            _("Файл распаковывается больше чем в %(mb)s МБ: так много не загрузить.")
            % {"mb": MAX_UNPACKED // (1024 * 1024)}
        )
    return archive


def _limit(rows: list) -> list:
    if len(rows) > MAX_ROWS:
        raise ImportFailed(
            _("В таблице больше %(n)s строк: это не дорожная карта.") % {"n": MAX_ROWS}
        )
    return rows


def read_rows(name: str, content: bytes) -> list[list[Cell]]:
    """The first sheet's rows, by the file's extension."""
    check_size(content)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    readers = {"xlsx": _xlsx, "xlsm": _xlsx, "xls": _xls, "ods": _ods, "csv": _csv}
    if extension not in readers:
        raise ImportFailed(
            _("Файлы «.%(ext)s» не читаются: загрузите DOCX, XLSX, XLS, ODS или CSV.")
            % {"ext": extension or "?"}
        )
    try:
        rows = readers[extension](content)
    except ImportFailed:
        raise
    except Exception:  # any parser's own error: the file is not what it says
        raise ImportFailed(
            _("Файл не читается как %(kind)s: сохраните его заново и загрузите.")
            % {"kind": extension.upper()}
        ) from None
    while rows and all(cell.empty for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFailed(_("В файле нет ни одной строки."))
    return _limit(rows)


def _xlsx(content: bytes) -> list[list[Cell]]:
    from openpyxl import load_workbook

    check_zip(content, "XLSX")
    # Not read-only: only the full mode knows the merged ranges.
    sheet = load_workbook(io.BytesIO(content), data_only=True).worksheets[0]
    if sheet.max_row > MAX_ROWS:
        _limit(range(sheet.max_row))
    covered = set()
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if row != merged.min_row:
                    covered.add((row, column))
    rows = []
    for r, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [text_cell(value) for value in values]
        for c, cell in enumerate(cells, start=1):
            cell.continued = (r, c) in covered
        rows.append(cells)
    return rows


def _xls(content: bytes) -> list[list[Cell]]:
    import xlrd

    book = xlrd.open_workbook(file_contents=content, formatting_info=False)
    sheet = book.sheet_by_index(0)
    _limit(range(sheet.nrows))
    rows = []
    for r in range(sheet.nrows):
        cells = []
        for c in range(sheet.ncols):
            value = sheet.cell_value(r, c)
            if sheet.cell_type(r, c) == xlrd.XL_CELL_DATE:
                value = xlrd.xldate_as_datetime(value, book.datemode)
            cells.append(text_cell(value))
        rows.append(cells)
    return rows


def _ods(content: bytes) -> list[list[Cell]]:
    import tablib

    check_zip(content, "ODS")
    dataset = tablib.Dataset().load(content, format="ods", headers=False)
    return _limit([[text_cell(value) for value in row] for row in dataset])


def _csv(content: bytes) -> list[list[Cell]]:
    """UTF-8 (with or without BOM) or cp1251, as Russian Excel saves it; `;`
    or `,` as the first line shows."""
    if b"\x00" in content:
        raise ImportFailed(_("В файле CSV есть нулевые байты: это не текст."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1251", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _limit([[text_cell(value) for value in row] for row in reader])
