"""Read a roadmap written in Word: the lines above the table, the table.

python-docx gives each row all its grid cells; a cell merged down (Word's
vMerge) or across (gridSpan) comes back as the same `w:tc` element in every
place it covers, so comparing elements tells a merge from text repeated.
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentoring.imports import check_size, check_unpacked

from .errors import ImportFailed
from .tables import Cell

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(p) -> str:
    return " ".join(p.text.replace("\x00", "").split())


def _is_heading(p) -> bool:
    """Bold or centred: how schools set a title apart from the preamble."""
    runs = [r for r in p.runs if r.text.strip()]
    bold = bool(runs) and all(r.bold or (p.style.font.bold) for r in runs)
    alignment = (
        p.alignment if p.alignment is not None else p.style.paragraph_format.alignment
    )
    return bold or (alignment is not None and int(alignment) == 1)


def numbering_formats(document) -> dict[str, dict[str, tuple[str, str, int]]]:
    """numId → ilvl → (format, pattern, start) from the numbering part."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract = {}
    for definition in root.findall(W + "abstractNum"):
        levels = {}
        for level in definition.findall(W + "lvl"):
            fmt, text, start = (
                level.find(W + tag) for tag in ("numFmt", "lvlText", "start")
            )
            levels[level.get(W + "ilvl")] = (
                fmt.get(W + "val") if fmt is not None else "decimal",
                text.get(W + "val") if text is not None else "%1.",
                int(start.get(W + "val")) if start is not None else 1,
            )
        abstract[definition.get(W + "abstractNumId")] = levels
    formats = {}
    for num in root.findall(W + "num"):
        ref = num.find(W + "abstractNumId")
        if ref is not None:
            formats[num.get(W + "numId")] = abstract.get(ref.get(W + "val"), {})
    return formats


def _num_pr(p):
    """The paragraph's list (numId, ilvl): its own, else its style's."""
    candidates = [p._p.pPr]
    style = p.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        num = ppr.numPr if ppr is not None else None
        if num is not None and num.numId is not None:
            level = num.ilvl.val if num.ilvl is not None else 0
            return str(num.numId.val), str(level)
    return None


def cell_lines(cell, formats) -> list[str]:
    """The cell's paragraphs; Word's automatic numbering, which is not in the
    text, written out («1.», «2)»), each list counted from its start in the
    cell, as schools number items per stage."""
    counters: dict[tuple[str, str], int] = {}
    lines = []
    for p in cell.paragraphs:
        text = _paragraph_text(p)
        num = _num_pr(p) if text else None
        level = formats.get(num[0], {}).get(num[1]) if num else None
        if level is not None:
            fmt, pattern, start = level
            counters[num] = counters.get(num, start - 1) + 1
            if fmt == "bullet":
                text = f"– {text}"
            elif fmt in ("decimal", "decimalZero"):
                marker = pattern.replace(f"%{int(num[1]) + 1}", str(counters[num]))
                if "%" not in marker:
                    text = f"{marker} {text}"
        lines.append(text)
    return lines


def table_rows(table, formats=None) -> list[list[Cell]]:
    rows, above = [], []
    for row in table.rows:
        cells, seen = [], set()
        for index, cell in enumerate(row.cells):
            tc = cell._tc
            lines = cell_lines(cell, formats or {})
            while lines and not lines[-1]:
                lines.pop()
            continued = tc in seen or (index < len(above) and above[index] is tc)
            seen.add(tc)
            cells.append(
                Cell(lines=[line for line in lines if line], continued=continued)
            )
        above = [cell._tc for cell in row.cells]
        rows.append(cells)
    return rows


def read_docx(
    content: bytes, *, name: str, is_header_row
) -> tuple[list[tuple[str, bool]], list[list[Cell]]]:
    """The paragraphs above the roadmap's table (text, set apart as a title?)
    and the table's rows. The roadmap's table is the first whose header row
    `is_header_row` accepts; tables above it (a two-column ПРИНЯТ | УТВЕРЖДАЮ
    block) are read as paragraphs."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        # The limits of every import (the core reader's), before unpacking.
        check_size(len(content), name=name)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_unpacked(archive.infolist(), name=name)
        document = docx.Document(io.BytesIO(content))
    except ValidationError as error:
        raise ImportFailed(*error.messages) from None
    except zipfile.BadZipFile:
        raise ImportFailed(
            _("Файл не похож на DOCX: возможно, у него чужое расширение.")
        ) from None
    except Exception:  # python-docx's own errors: not a Word document
        raise ImportFailed(
            _("Файл не читается как документ Word (DOCX): сохраните его заново.")
        ) from None
    formats = numbering_formats(document)
    above: list[tuple[str, bool]] = []
    first = None  # no header schools use: the first table, and a mapping step
    for element in document.element.body.iterchildren():
        if element.tag == W + "p":
            p = Paragraph(element, document)
            above.append((_paragraph_text(p), _is_heading(p)))
        elif element.tag == W + "tbl":
            rows = table_rows(Table(element, document), formats)
            if first is None and rows:
                first = (list(above), rows)
            for index, row in enumerate(rows[:10]):
                if is_header_row(row):
                    return above, rows[index:]
            for row in rows:
                for cell in row:
                    if not cell.continued:
                        above.extend((line, False) for line in cell.lines)
    if first is not None:
        return first
    raise ImportFailed(
        _(
            "В документе нет таблицы дорожной карты: не найдена строка заголовков "
            "(«№ п/п», «Наименование этапа», «Содержание деятельности», «Сроки» …)."
        )
    )
