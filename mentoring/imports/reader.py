"""One reader for XLSX, XLS, ODS and CSV: the type from the content, limits first.

A school's file comes from Excel, LibreOffice or a district's system and is
often renamed; the content decides how it is read, and a name that lies is
refused. Limits are checked before anything is unpacked (the upload size,
the sizes a zip declares for its parts) and while reading (rows, columns), so
a hostile file cannot make the server use more memory than a real one.

Values come back plain: text stripped (an empty cell is None), numbers
typed as whole numbers back to `int` (a class «5» saved by LibreOffice is the
float 5.0), dates as `date` (a `datetime` at midnight is a date typed in a
cell). The importers decide what a value means.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 50_000
# A title, a header, a line of notes above the rows are not counted.
HEADER_ALLOWANCE = 10
MAX_COLUMNS = 100
# Excel's own limit for a cell; a longer text is not something a user typed.
MAX_CELL_CHARS = 32_767

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"
EXTENSIONS = {
    ".xlsx": XLSX,
    ".xlsm": XLSX,
    ".xls": XLS,
    ".ods": ODS,
    ".csv": CSV,
    ".txt": CSV,
}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Table:
    """The first sheet's non-empty rows: (line number in the file, values)."""

    rows: list[tuple[int, list]] = field(default_factory=list)
    format: str = ""
    # XLSX's merged ranges as (first line, first column, last line, last
    # column), columns from 0: only the first cell of a range holds the value,
    # and a reader of a printed table (the roadmap's) needs to know the rest
    # repeat it rather than being empty.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message % params if params else message, code=code)


def read_table(file, *, name: str, max_rows: int = MAX_ROWS) -> Table:
    """Read the first sheet of an uploaded or opened binary file."""
    file.seek(0, io.SEEK_END)
    check_size(file.tell(), name=name)
    file.seek(0)
    data = file.read()
    kind = detect_format(data, name=name)
    reader = {XLSX: _read_xlsx, XLS: _read_xls, ODS: _read_ods, CSV: _read_csv}[kind]
    rows = _Rows(max_rows=max_rows)
    try:
        reader(data, rows)
    except ValidationError:
        raise
    except Exception as error:
        # Whatever a broken file makes a library raise, the user reads Russian.
        raise refuse(
            _(
                "Не удалось прочитать файл «%(name)s» как %(format)s: файл "
                "повреждён или сохранён не той программой. Откройте его и "
                "сохраните заново."
            ),
            "unreadable",
            name=name,
            format=kind.upper(),
        ) from error
    if not rows.rows:
        raise refuse(
            _("В файле «%(name)s» нет ни одной заполненной строки."),
            "empty",
            name=name,
        )
    return Table(rows=rows.rows, format=kind, merged=rows.merged)


def check_size(size: int, *, name: str) -> None:
    """The upload limit, also for the files other readers open (a DOCX)."""
    if size == 0:
        raise refuse(_("Файл «%(name)s» пуст."), "empty", name=name)
    if size > MAX_UPLOAD_BYTES:
        raise refuse(
            _(
                "Файл «%(name)s» больше %(limit)s МБ. Разделите список на "
                "несколько файлов."
            ),
            "too_large",
            name=name,
            limit=MAX_UPLOAD_BYTES // (1024 * 1024),
        )


def check_unpacked(members: list[zipfile.ZipInfo], *, name: str) -> None:
    """A zip's parts before any of them is inflated (XLSX, ODS, DOCX).

    The sizes a zip declares are what zipfile will inflate at most (it stops
    at the declared size), so their sum bounds what any reader unpacks.
    """
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or len(members) > 10_000:
        raise refuse(
            _(
                "Файл «%(name)s» распаковывается больше чем в %(limit)s МБ: такой "
                "файл не может быть списком школы. Проверьте, тот ли это файл."
            ),
            "too_large_unpacked",
            name=name,
            limit=MAX_UNPACKED_BYTES // (1024 * 1024),
        )


def detect_format(data: bytes, *, name: str) -> str:
    """The format from the first bytes; a known extension must agree."""
    extension = PurePath(name).suffix.lower()
    claimed = EXTENSIONS.get(extension)
    found = None
    if data[:4] == b"PK\x03\x04":
        found = _zip_format(data, name=name)
    elif data[:8] == OLE2_MAGIC:
        found = XLS
    elif _looks_like_text(data):
        found = CSV
    if found is None or (claimed and claimed != found and claimed != CSV):
        raise refuse(
            _(
                "Файл «%(name)s» — не таблица: его содержимое не похоже ни на "
                "XLSX, XLS, ODS, ни на CSV. Сохраните список в Excel или "
                "LibreOffice как «Книга Excel (.xlsx)» и загрузите снова."
            ),
            "wrong_type",
            name=name,
        )
    if claimed == CSV and found != CSV:
        raise refuse(
            _(
                "Файл «%(name)s» назван как CSV, но внутри — таблица %(format)s. "
                "Верните ему расширение .%(format_lower)s."
            ),
            "wrong_type",
            name=name,
            format=found.upper(),
            format_lower=found,
        )
    return found


def _zip_format(data: bytes, *, name: str) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return None
    check_unpacked(members, name=name)
    names = {member.filename for member in members}
    if "xl/workbook.xml" in names:
        return XLSX
    if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
        return ODS
    return None


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    # Control bytes other than tab and line ends mean a binary file; a NUL is
    # let through here to be named with its line by the CSV reader.
    binary = sum(1 for byte in head if byte < 32 and byte not in b"\t\r\n\x00")
    return binary == 0 and head.count(b"\x00") < max(len(head) // 10, 1)


class _Rows:
    """Collects non-empty rows and stops at the row and column limits."""

    def __init__(self, *, max_rows: int):
        self.max_rows = max_rows
        self.rows: list[tuple[int, list]] = []
        self.merged: list[tuple[int, int, int, int]] = []

    def add(self, line: int, values) -> None:
        values = [plain(value) for value in values]
        while values and values[-1] is None:
            values.pop()
        if not values:
            return
        if len(values) > MAX_COLUMNS:
            raise refuse(
                _("В строке %(line)s больше %(limit)s столбцов."),
                "too_many_columns",
                line=line,
                limit=MAX_COLUMNS,
            )
        if len(self.rows) >= self.max_rows + HEADER_ALLOWANCE:
            raise refuse(
                _(
                    "В файле больше %(limit)s строк с данными. Разделите список "
                    "на несколько файлов."
                ),
                "too_many_rows",
                limit=f"{self.max_rows:,}".replace(",", "\u00a0"),
            )
        self.rows.append((line, values))


def _printable(text: str) -> str:
    """Line breaks as one \\n, tabs kept; any other control character
    (pasted from another program, or planted) becomes a space: the rows are
    written in bulk, past the fields' validators (mentoring.validators)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char if char in "\n\t" or unicodedata.category(char) != "Cc" else " "
        for char in text
    )


def plain(value):
    """A cell's value as the user typed it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = _printable(value).strip()
        return value or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.time):
        return value
    return value


def cell_text(value) -> str:
    """A value as text: 5.0 → «5», 1.1 → «1.1», a date → «05.03.2011»."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, float):
        return repr(value)
    return str(value)


MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Excel's built-in number formats that show a date or a time.
BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)}


def _read_xlsx(data: bytes, rows: _Rows) -> None:
    """The first sheet's cells, streamed from its XML.

    openpyxl's read-only mode reads the same XML five times slower here (it
    builds a cell object with its style for every value); a list needs the
    values only, and whether a number is shown as a date.
    """
    # ElementTree never fetches external entities, and expat (2.4+) stops
    # entity expansion bombs; the zip's declared sizes were checked before.
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet, date1904 = _xlsx_first_sheet(archive)
    strings = _xlsx_strings(archive)
    date_styles = _xlsx_date_styles(archive)
    epoch = (
        datetime.datetime(1904, 1, 1) if date1904 else datetime.datetime(1899, 12, 30)
    )
    cell_tag, row_tag = MAIN + "c", MAIN + "row"
    value_tag, text_tag = MAIN + "v", MAIN + "t"
    merge_tag = MAIN + "mergeCell"
    line, values = 0, []
    with archive.open(sheet) as stream:
        for _event, element in ElementTree.iterparse(stream):
            tag = element.tag
            if tag == cell_tag:
                ref = element.get("r")
                column = _column_index(ref) if ref else len(values)
                if column > MAX_COLUMNS:
                    continue
                kind = element.get("t")
                found = element.find(value_tag)
                text = found.text if found is not None else None
                if kind == "s":
                    value = strings[int(text)] if text is not None else None
                elif kind == "inlineStr":
                    value = "".join(t.text or "" for t in element.iter(text_tag))
                elif kind in ("str", "d"):
                    value = text
                elif kind == "b":
                    value = text == "1"
                elif kind == "e" or text is None:
                    value = None
                else:
                    value = float(text)
                    if element.get("s") in date_styles:
                        value = epoch + datetime.timedelta(days=value)
                        if value.date() == epoch.date():
                            value = value.time()
                if value is not None:
                    values.extend([None] * (column - len(values)))
                    values.append(value)
            elif tag == row_tag:
                number = element.get("r")
                line = int(number) if number else line + 1
                rows.add(line, values)
                values = []
                element.clear()
            elif tag == merge_tag:
                # After the rows in the sheet's XML; «B3:B5», or «B3» alone.
                first, _colon, last = element.get("ref", "").partition(":")
                if first:
                    start, end = _cell_position(first), _cell_position(last or first)
                    rows.merged.append((start[0], start[1], end[0], end[1]))


def _cell_position(ref: str) -> tuple[int, int]:
    """«B3» → (3, 1): the line, the column from 0."""
    letters, digits = re.fullmatch(r"\$?([A-Za-z]+)\$?(\d+)", ref).groups()
    return int(digits), _column_index(letters)


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if char.isdigit():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1


def _xlsx_first_sheet(archive: zipfile.ZipFile) -> tuple[str, bool]:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    properties = workbook.find(MAIN + "workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    first = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    target = "worksheets/sheet1.xml"
    if first is not None and "xl/_rels/workbook.xml.rels" in archive.namelist():
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        wanted = first.get(RELATIONSHIPS + "id")
        for rel in rels.iter(PACKAGE_RELATIONSHIPS + "Relationship"):
            if rel.get("Id") == wanted:
                target = rel.get("Target")
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return path, date1904


def _xlsx_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings = []
    item_tag, text_tag, phonetic_tag = MAIN + "si", MAIN + "t", MAIN + "rPh"
    with archive.open("xl/sharedStrings.xml") as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag == item_tag:
                for phonetic in element.findall(phonetic_tag):
                    element.remove(phonetic)
                strings.append("".join(t.text or "" for t in element.iter(text_tag)))
                element.clear()
    return strings


def _xlsx_date_styles(archive: zipfile.ZipFile) -> set[str]:
    """Indexes of the cell styles whose number format shows a date."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    date_formats = set(BUILTIN_DATE_FORMATS)
    for number_format in styles.iter(MAIN + "numFmt"):
        code = re.sub(r'"[^"]*"|\[[^]]*\]|\\.', "", number_format.get("formatCode", ""))
        if re.search(r"[dmyhs]", code.lower()):
            date_formats.add(int(number_format.get("numFmtId")))
    cell_formats = styles.find(MAIN + "cellXfs")
    if cell_formats is None:
        return set()
    return {
        str(index)
        for index, style in enumerate(cell_formats.findall(MAIN + "xf"))
        if int(style.get("numFmtId", 0)) in date_formats
    }


def _read_xls(data: bytes, rows: _Rows) -> None:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True)
    sheet = book.sheet_by_index(0)
    for index in range(sheet.nrows):
        values = []
        for cell in sheet.row(index)[: MAX_COLUMNS + 1]:
            if cell.ctype == xlrd.XL_CELL_DATE:
                values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            elif (
                cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
                or cell.ctype == xlrd.XL_CELL_ERROR
            ):
                values.append(None)
            else:
                values.append(cell.value)
        rows.add(index + 1, values)


def _read_ods(data: bytes, rows: _Rows) -> None:
    from odf import teletype
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table as OdsTable

    document = load(io.BytesIO(data))
    sheets = document.spreadsheet.getElementsByType(OdsTable)
    if not sheets:
        return
    line = 0
    for row in _children(sheets[0], TABLENS, "table-row"):
        repeat = int(row.getAttrNS(TABLENS, "number-rows-repeated") or 1)
        values = []
        pending_empty = 0
        for cell in row.childNodes:
            if cell.qname not in (
                (TABLENS, "table-cell"),
                (TABLENS, "covered-table-cell"),
            ):
                continue
            times = int(cell.getAttrNS(TABLENS, "number-columns-repeated") or 1)
            value = _ods_value(cell, OFFICENS, teletype)
            if value is None:
                # Trailing empty cells are repeated to the sheet's 1024th column.
                pending_empty += times
                continue
            values.extend([None] * pending_empty)
            pending_empty = 0
            values.extend([value] * min(times, MAX_COLUMNS + 1))
            if len(values) > MAX_COLUMNS:
                break
        if any(value is not None for value in values):
            for copy in range(min(repeat, rows.max_rows + 1)):
                rows.add(line + copy + 1, values)
        line += repeat


def _children(node, namespace, name):
    """Rows, also inside the groups LibreOffice writes around them."""
    for child in node.childNodes:
        if child.qname == (namespace, name):
            yield child
        elif child.qname in (
            (namespace, "table-row-group"),
            (namespace, "table-rows"),
            (namespace, "table-header-rows"),
        ):
            yield from _children(child, namespace, name)


def _ods_value(cell, officens, teletype):
    kind = cell.getAttrNS(officens, "value-type")
    if kind in ("float", "percentage", "currency"):
        return float(cell.getAttrNS(officens, "value"))
    if kind == "date":
        text = cell.getAttrNS(officens, "date-value")
        if "T" in text:
            return datetime.datetime.fromisoformat(text)
        return datetime.date.fromisoformat(text)
    if kind == "boolean":
        return cell.getAttrNS(officens, "boolean-value") == "true"
    paragraphs = [
        teletype.extractText(child)
        for child in cell.childNodes
        if child.qname[1] == "p"
    ]
    text = "\n".join(paragraphs)
    return text if text.strip() else None


def _read_csv(data: bytes, rows: _Rows) -> None:
    text = _decode(data)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise refuse(
            _(
                "В строке %(line)s файла есть нулевой байт (NUL): так бывает с "
                "файлом, сохранённым не как текст. Сохраните таблицу как «CSV "
                "(разделители — точка с запятой)» или как .xlsx."
            ),
            "nul_byte",
            line=line,
        )
    first = next((x for x in text.splitlines() if x.strip()), "")
    delimiter = max(";,\t", key=first.count) if first else ","
    if first and first.count(delimiter) == 0:
        delimiter = ","
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            if len(values) > MAX_COLUMNS + 1:
                values = values[: MAX_COLUMNS + 1]
            rows.add(reader.line_num, values)
    except csv.Error as error:
        raise refuse(
            _(
                "Строка %(line)s файла не читается как CSV: слишком длинная ячейка или незакрытые кавычки."
            ),
            "bad_csv",
            line=reader.line_num,
        ) from error


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's «Текст Юникод» is UTF-16 with tabs.
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Russian Excel saves CSV in Windows-1251 unless told otherwise.
        return data.decode("cp1251", errors="replace")
