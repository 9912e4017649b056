"""A spreadsheet (XLSX, XLS, ODS, CSV) as rows of cells for the structure.

The core's reader (`mentoring.imports.read_table`) reads the file, with the
limits every import shares; this turns its rows into what the structure
detection needs: every row in its place (blank ones too, so a problem's line
is the table's), each cell's lines as written, and which cells a merge
covers.
"""

from __future__ import annotations

import bisect
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentoring.imports import read_table
from mentoring.imports.reader import CSV, HEADER_ALLOWANCE, MAX_COLUMNS, cell_text

from .errors import ImportFailed


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


def text_cell(value) -> Cell:
    """A value as the user typed it, by line: the core's `cell_text` (a
    number typed «1.1» reads «1.1», «5» not «5.0»; a date «05.03.2025»)."""
    text = (
        cell_text(value).replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    )
    return Cell(lines=[" ".join(line.split()) for line in text.split("\n")])


READERS = ("xlsx", "xlsm", "xls", "ods", "csv")
# A roadmap is a few pages: the core reader's row limit, lowered, keeps a
# list of 50,000 people from being parsed cell by cell as one.
MAX_ROWS = 2000


def read_rows(name: str, content: bytes) -> list[list[Cell]]:
    """The first sheet's rows, as wide as the widest; the content decides
    the format."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in READERS:
        raise ImportFailed(
            _("Файлы «.%(ext)s» не читаются: загрузите DOCX, XLSX, XLS, ODS или CSV.")
            % {"ext": extension or "?"}
        )
    try:
        table = read_table(io.BytesIO(content), name=name, max_rows=MAX_ROWS)
    except ValidationError as error:
        raise ImportFailed(*error.messages) from None
    rows: list[list[Cell]] = []
    lines: list[int] = []
    previous = 0
    for line, values in table.rows:
        # The reader skips blank rows; a sheet's row number puts them back,
        # so a problem's line is the table's (a CSV's number is the file's
        # line, which a quoted cell with line breaks moves on: not used). A
        # stray cell far below gets one blank row, not thousands.
        gap = 0 if table.format == CSV else line - previous - 1
        if len(rows) + gap > MAX_ROWS + HEADER_ALLOWANCE:
            gap = 1
        for blank in range(line - gap, line):
            rows.append([])
            lines.append(blank)
        rows.append([text_cell(value) for value in values])
        lines.append(line)
        previous = line
    for first, left, last, right in table.merged:
        # The rows below a merge's first repeat its value: «continued».
        start = bisect.bisect_right(lines, first)
        for row in rows[start : bisect.bisect_right(lines, last)]:
            for column in range(left, min(right, MAX_COLUMNS - 1) + 1):
                while len(row) <= column:
                    row.append(Cell())
                row[column].continued = True
    width = max(len(row) for row in rows)
    for row in rows:
        row.extend(Cell() for _column in range(width - len(row)))
    return rows
