"""Read a roadmap written in Word: the lines above the table, the table.

python-docx gives each row all its grid cells; a cell merged down (Word's
vMerge) or across (gridSpan) comes back as the same `w:tc` element in every
place it covers, so comparing elements tells a merge from text repeated.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from .errors import ImportFailed
from .tables import Cell, check_size, check_zip

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


def table_rows(table) -> list[list[Cell]]:
    rows, above = [], []
    for row in table.rows:
        cells, seen = [], set()
        for index, cell in enumerate(row.cells):
            tc = cell._tc
            lines = [_paragraph_text(p) for p in cell.paragraphs]
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
    content: bytes, *, is_header_row
) -> tuple[list[tuple[str, bool]], list[list[Cell]]]:
    """The paragraphs above the roadmap's table (text, set apart as a title?)
    and the table's rows. The roadmap's table is the first whose header row
    `is_header_row` accepts; tables above it (a two-column ПРИНЯТ | УТВЕРЖДАЮ
    block) are read as paragraphs."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_size(content)
    check_zip(content, "DOCX")
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception:  # python-docx's own errors: not a Word document
        raise ImportFailed(
            _("Файл не читается как документ Word (DOCX): сохраните его заново.")
        ) from None
    above: list[tuple[str, bool]] = []
    first = None  # no header schools use: the first table, and a mapping step
    for element in document.element.body.iterchildren():
        if element.tag == W + "p":
            p = Paragraph(element, document)
            above.append((_paragraph_text(p), _is_heading(p)))
        elif element.tag == W + "tbl":
            rows = table_rows(Table(element, document))
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
