"""Roadmaps from the school's own files: Word tables and spreadsheets.

`read_roadmap_file` turns a file into stages, sub-stages and activities (or
raises `ImportFailed` / `NeedsMapping`); `plan_import` compares them with a
roadmap already here; `roadmap.services.import_roadmap` writes the plan.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mentoring.dates import academic_year

from .docx import read_docx
from .errors import ImportFailed, Problem
from .plan import Plan, existing_roadmap, plan_import
from .structure import (
    ROLES,
    SKIP,
    NeedsMapping,
    Parsed,
    is_header_row,
    parse_heading,
    parse_table,
)
from .tables import Cell, read_rows

__all__ = [
    "ROLES",
    "SKIP",
    "ImportFailed",
    "NeedsMapping",
    "Parsed",
    "Plan",
    "Problem",
    "existing_roadmap",
    "plan_import",
    "read_roadmap_file",
]

EXTENSIONS = ["docx", "xlsx", "xls", "ods", "csv"]


def heading_lines(rows: list[list[Cell]]) -> list[tuple[str, None]]:
    """The text above a spreadsheet's table as paragraphs: a cell's lines
    each, an empty row as an empty line, which ends a ПРИНЯТ or УТВЕРЖДАЮ
    block written in one cell (as our own XLSX writes them side by side)."""
    lines: list[tuple[str, None]] = []
    for row in rows:
        cells = [c for c in row if not c.empty]
        if not cells:
            lines.append(("", None))
        for cell in cells:
            lines += [(" ".join(x.split()), None) for x in cell.lines if x.strip()]
    return lines


def read_roadmap_file(
    name: str, content: bytes, *, mapping: dict[int, str] | None = None
) -> Parsed:
    if name.lower().endswith(".docx"):
        above, rows = read_docx(content, name=name, is_header_row=is_header_row)
    elif name.lower().endswith(".doc"):
        raise ImportFailed(
            _("Старый формат Word (.doc) не читается: сохраните документ как .docx.")
        )
    else:
        rows = read_rows(name, content)
        header_at = next(
            (i for i, row in enumerate(rows[:15]) if is_header_row(row)), None
        )
        if header_at is None:
            # No header schools use: the first row with two cells filled is
            # the header, and the mapping step says what its columns are.
            header_at = next(
                (i for i, row in enumerate(rows) if sum(not c.empty for c in row) >= 2),
                0,
            )
        above = heading_lines(rows[:header_at])
        rows = rows[header_at:]
    fields, year = parse_heading(above)
    if year is None:
        # No «2023-2024» in the title: the year of its approval or adoption.
        signed = fields.get("adopted_on") or fields.get("approval_order_on")
        year = academic_year(signed) if signed else None
    columns, headers, stages = parse_table(rows, mapping=mapping)
    layout = "school" if "stage" in columns else "district"
    return Parsed(
        fields=fields,
        columns={role: headers[index] for role, index in columns.items()},
        layout=layout,
        stages=stages,
        year=year,
    )
