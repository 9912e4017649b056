"""The printed roadmap as a spreadsheet a school prints and files.

The same document as the PDF (`roadmap.documents`): the ПРИНЯТ and
УТВЕРЖДАЮ blocks in the corners, the title, the preamble, then the table
with a column for the mark of completion. Set up to print as the PDF does:
landscape A4, the table's header on every page, the width fitted to one
page, page numbers from the second page.

Excel and LibreOffice size a row to its text only where no cell is merged,
and Excel not even then for a file it did not write: every row gets the
height its longest cell needs, estimated from the column widths, so nothing
is cut when printed (a cell merged down fits into its first row, since a
page may end below it).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from mentoring.dates import short_date
from mentoring.exports import safe_cell

from .models import Activity, Roadmap

if TYPE_CHECKING:
    from .documents import Row, Table

# Column widths in Excel's units (the width of a «0»): they add up to what
# fits A4 landscape within the PDF's margins at 100 %; fit-to-width takes
# care of the rest.
PAGE_WIDTH = 140
WIDTHS = {
    "number": 7,
    "stage": 22,
    "substage": 20,
    "deadline": 18,
    "responsible": 26,
    "status": 14,
}
MIN_CONTENT = 40
FONT_NAME = "Times New Roman"
FONT_SIZE = 11
TITLE_SIZE = 14
# A line of 11 pt text and a cell's padding, in points (LibreOffice sets
# the lines 12.2 pt apart); a row is at most 409 pt high in Excel.
LINE_HEIGHT = 13.8
PADDING = 4
MAX_ROW_HEIGHT = 409
# Characters of 11 pt Times New Roman in one unit of width (the width of a
# Calibri «0»): 1.1 as LibreOffice wraps the seeds, taken lower, so the
# estimate errs towards a taller row, never a cut one.
CHARS_PER_UNIT = 1.05
# A corner block wider than this holds its lines to the right edge.
CORNER_WIDTH = 50
SIGNATURE = "_______________"

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")


@dataclass
class Column:
    role: str
    header: str
    width: float


def approval_blocks(roadmap: Roadmap) -> tuple[list[str], list[str]]:
    """The ПРИНЯТ and УТВЕРЖДАЮ lines, as templates/documents/roadmap.html
    prints them: each block only where its requisites are filled."""
    adopted: list[str] = []
    if roadmap.adoption_protocol_number or roadmap.adopted_on:
        protocol = _("протокол № %(number)s") % {
            "number": roadmap.adoption_protocol_number or "____"
        }
        if roadmap.adopted_on:
            protocol = _("%(protocol)s от %(date)s") % {
                "protocol": protocol,
                "date": short_date(roadmap.adopted_on),
            }
        adopted = [_("ПРИНЯТ"), _("на педагогическом совете"), protocol]
    approved: list[str] = []
    if roadmap.approver_name or roadmap.approval_order_number:
        approved = [_("УТВЕРЖДАЮ")]
        if roadmap.approver_position:
            approved.append(roadmap.approver_position)
        approved.append(f"{SIGNATURE} {roadmap.approver_name}".rstrip())
        if roadmap.approval_order_number:
            order = _("Приказ № %(number)s") % {"number": roadmap.approval_order_number}
            if roadmap.approval_order_on:
                order = _("%(order)s от %(date)s") % {
                    "order": order,
                    "date": short_date(roadmap.approval_order_on),
                }
            approved.append(order)
        elif roadmap.approval_order_on:
            approved.append(short_date(roadmap.approval_order_on))
    return adopted, approved


def status_text(activity: Activity | None) -> str:
    if activity is None:
        return ""
    label = str(activity.get_status_display())
    if activity.status == Activity.Status.DONE and activity.done_on:
        return f"{label}\n{short_date(activity.done_on)}"
    return label


def _columns(table: Table, *, with_status: bool) -> list[Column]:
    district = table.roadmap.layout == Roadmap.Layout.DISTRICT
    if district:
        roles = ["number", "content", "deadline", "responsible"]
    else:
        roles = ["number", "stage"]
        if table.show_substage:
            roles.append("substage")
        roles.append("content")
        if table.show_deadline:
            roles.append("deadline")
        if table.show_responsible:
            roles.append("responsible")
    columns = [
        Column(role, header, WIDTHS.get(role, 0))
        for role, header in zip(roles, table.columns, strict=True)
    ]
    if with_status:
        columns.append(Column("status", _("Отметка о выполнении"), WIDTHS["status"]))
    content = next(c for c in columns if c.role == "content")
    content.width = max(PAGE_WIDTH - sum(c.width for c in columns), MIN_CONTENT)
    return columns


def _line_count(text: str, width: float) -> int:
    """Lines the text takes in a cell `width` units wide, wrapped by words."""
    chars = max(int(width * CHARS_PER_UNIT) - 2, 4)
    return sum(
        max(len(textwrap.wrap(line, chars, break_on_hyphens=False)), 1)
        for line in str(text).split("\n")
    )


def _height(lines: int, size: float = FONT_SIZE) -> float:
    return lines * LINE_HEIGHT * size / FONT_SIZE + PADDING


class _Sheet:
    """Rows written top to bottom, each with the height its cells need."""

    def __init__(self, sheet, columns: list[Column]):
        self.sheet, self.columns = sheet, columns
        self.last = len(columns)
        self.merges: list[tuple[int, int, int, int]] = []

    def width(self, first: int, last: int) -> float:
        return sum(c.width for c in self.columns[first - 1 : last])

    def row(self, values: list, *, font: Font, border: bool = True) -> int:
        self.sheet.append([safe_cell(self.sheet, value) for value in values])
        number = self.sheet.max_row
        for index in range(1, self.last + 1):
            cell = self.sheet.cell(number, index)
            cell.font, cell.alignment = font, _TOP
            if border:
                cell.border = _BORDER
        return number

    def fit(self, row: int, lines: int, size: float = FONT_SIZE) -> None:
        needed = min(_height(lines, size), MAX_ROW_HEIGHT)
        current = self.sheet.row_dimensions[row].height or 0
        self.sheet.row_dimensions[row].height = max(current, needed)

    def fit_cells(self, row: int, texts: dict[int, str]) -> None:
        """The row's height for its own cells, by column number."""
        lines = [_line_count(t, self.columns[i - 1].width) for i, t in texts.items()]
        self.fit(row, max(lines, default=1))

    def merge(self, first_row: int, last_row: int, first: int, last: int) -> None:
        # Merged at the end: a merge reaching rows not written yet would
        # make `append` write below them.
        if (first_row, first) != (last_row, last):
            self.merges.append((first_row, last_row, first, last))

    def merge_down(self, first_row: int, last_row: int, column: int, text: str):
        """A cell spanning its rows, its text fitted into the first of them:
        a page may end after any row, and the text shows on its first page
        only (Excel and LibreOffice alike)."""
        self.merge(first_row, last_row, column, column)
        self.fit(first_row, _line_count(text, self.columns[column - 1].width))

    def finish(self) -> None:
        for first_row, last_row, first, last in self.merges:
            self.sheet.merge_cells(
                start_row=first_row,
                end_row=last_row,
                start_column=first,
                end_column=last,
            )


def _corner_columns(columns: list[Column]) -> tuple[int, int]:
    """The last column of the left block and the first of the right one:
    each corner takes columns from its side until it is wide enough."""
    right, width = len(columns), columns[-1].width
    while right > 1 and width < CORNER_WIDTH:
        right -= 1
        width += columns[right - 1].width
    left, width = 1, columns[0].width
    while left < right - 1 and width < 30:
        left += 1
        width += columns[left - 1].width
    return min(left, right - 1), right


def _heading(out: _Sheet, roadmap: Roadmap, preamble: list[str]) -> None:
    """Corners, title, preamble, each followed by an empty row (which also
    tells the importer where a block ends)."""
    plain = Font(name=FONT_NAME, size=FONT_SIZE)
    adopted, approved = approval_blocks(roadmap)
    if adopted or approved:
        left, right = _corner_columns(out.columns)
        values = [None] * out.last
        values[0] = "\n".join(adopted) or None
        values[right - 1] = "\n".join(approved) or None
        row = out.row(values, font=plain, border=False)
        if len(out.columns) > 1:
            out.merge(row, row, 1, left)
            out.merge(row, row, right, out.last)
        if out.width(right, out.last) > 1.5 * CORNER_WIDTH:
            # Only the wide content column reaches the corner (a table
            # without deadlines): the block keeps to the page's right edge.
            out.sheet.cell(row, right).alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="right"
            )
        out.fit(
            row,
            max(
                _line_count("\n".join(adopted), out.width(1, left)),
                _line_count("\n".join(approved), out.width(right, out.last)),
            ),
        )
        out.sheet.append([])
    title = "\n".join(line.strip() for line in roadmap.title.splitlines())
    row = out.row([title], font=Font(name=FONT_NAME, size=TITLE_SIZE, bold=True))
    out.sheet.cell(row, 1).alignment = _CENTER
    for index in range(1, out.last + 1):
        out.sheet.cell(row, index).border = Border()
    out.merge(row, row, 1, out.last)
    out.fit(row, _line_count(title, out.width(1, out.last) * 0.8), TITLE_SIZE)
    out.sheet.append([])
    # A long preamble goes over several rows, since one row is at most 409 pt.
    chunks: list[list[str]] = []
    size = 0
    for paragraph in preamble:
        lines = _line_count(paragraph, out.width(1, out.last))
        if not chunks or _height(size + lines) > MAX_ROW_HEIGHT:
            chunks.append([])
            size = 0
        chunks[-1].append(paragraph)
        size += lines
    for chunk in chunks:
        text = "\n".join(chunk)
        row = out.row([text], font=plain, border=False)
        out.merge(row, row, 1, out.last)
        out.fit(row, _line_count(text, out.width(1, out.last)))
    if chunks:
        out.sheet.append([])


def _responsible(row: Row) -> str:
    return "\n".join(row.responsible)


def _school_rows(out: _Sheet, table: Table) -> None:
    font = Font(name=FONT_NAME, size=FONT_SIZE)
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    roles = [c.role for c in out.columns]
    at = {role: index for index, role in enumerate(roles, start=1)}
    for block in table.stages:
        first = out.sheet.max_row + 1
        for row in block.rows:
            content = f"{row.number} {row.content}" if row.number else row.content
            cells = {
                "number": block.stage.number if row.stage_span else None,
                "stage": block.stage.name if row.stage_span else None,
                "substage": row.substage if row.substage_span else None,
                "content": content,
                "deadline": row.deadline if row.deadline_span else None,
                "responsible": _responsible(row) if row.responsible_span else None,
                "status": status_text(row.activity),
            }
            number = out.row([cells[role] for role in roles], font=font)
            out.sheet.cell(number, at["stage"]).font = bold
            out.fit_cells(
                number,
                {
                    at[role]: cells[role]
                    for role in ("content", "status")
                    if role in at and cells[role]
                },
            )
            spans = {
                "substage": (row.substage_span, row.substage),
                "deadline": (row.deadline_span, row.deadline),
                "responsible": (row.responsible_span, _responsible(row)),
            }
            for role, (span, text) in spans.items():
                if role in at and span:
                    out.merge_down(number, number + span - 1, at[role], text)
        last = out.sheet.max_row
        out.merge_down(first, last, at["number"], block.stage.number)
        out.merge_down(first, last, at["stage"], block.stage.name)


def _district_rows(out: _Sheet, table: Table) -> None:
    font = Font(name=FONT_NAME, size=FONT_SIZE)
    bold = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
    width = out.width(2, out.last)

    def section(number: str, name: str) -> None:
        row = out.row([number, name], font=bold)
        for index in range(1, out.last + 1):
            out.sheet.cell(row, index).fill = _SECTION_FILL
        out.merge(row, row, 2, out.last)
        out.fit(row, _line_count(name, width))

    with_status = out.columns[-1].role == "status"
    for block in table.stages:
        # Stages and sub-stages in rows of their own, across the table, as
        # the district's PDF prints them (and its importer reads them).
        section(block.stage.number, block.stage.name)
        for index, row in enumerate(block.rows, start=1):
            if row.activity is None:
                continue
            if row.substage and row.substage_span:
                section("", row.substage)
            number = row.number or f"{block.stage.number.rstrip('.')}.{index}"
            values = [number, row.content, row.deadline, _responsible(row)]
            if with_status:
                values.append(status_text(row.activity))
            line = out.row(values, font=font)
            out.fit_cells(line, dict(enumerate(values[1:], start=2)))


def _page_setup(sheet, *, header_row: int, last_column: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the table needs
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    # The PDF's landscape margins (static/css/documents.css), in inches.
    sheet.page_margins = PageMargins(
        left=0.79, right=0.39, top=0.79, bottom=0.79, header=0.3, footer=0.3
    )
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{last_column}{sheet.max_row}"
    sheet.freeze_panes = f"A{header_row + 1}"
    # Page numbers at the top from the second page, as the PDF has them.
    sheet.HeaderFooter.differentFirst = True
    sheet.oddHeader.center.text = "&P"
    sheet.oddHeader.center.font = FONT_NAME
    sheet.oddHeader.center.size = FONT_SIZE


def table_workbook(table: Table, *, preamble: list[str]) -> bytes:
    roadmap = table.roadmap
    columns = _columns(table, with_status=not roadmap.is_template)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Дорожная карта")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    out = _Sheet(sheet, columns)
    _heading(out, roadmap, preamble)
    header = out.row(
        [c.header for c in columns],
        font=Font(name=FONT_NAME, size=FONT_SIZE, bold=True),
    )
    for index in range(1, out.last + 1):
        sheet.cell(header, index).alignment = _CENTER
    out.fit_cells(header, {i: c.header for i, c in enumerate(columns, start=1)})
    if roadmap.layout == Roadmap.Layout.DISTRICT:
        _district_rows(out, table)
    else:
        _school_rows(out, table)
    out.finish()
    _page_setup(sheet, header_row=header, last_column=get_column_letter(out.last))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
