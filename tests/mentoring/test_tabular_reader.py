"""The shared reader: formats by content, values as typed, limits before parsing."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from mentoring.imports import read_table


def xlsx_bytes(rows, *, merge=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str, **kwargs):
    return read_table(io.BytesIO(data), name=name, **kwargs)


def refusal(data: bytes, name: str, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        read(data, name, **kwargs)
    return caught.value


def test_xlsx_values_come_back_as_typed():
    data = xlsx_bytes(
        [
            ["Список работников"],
            [],
            ["ФИО", "Класс", "Подэтап", "Дата рождения"],
            ["Иванова Мария Петровна", 5.0, 1.1, datetime.datetime(2011, 3, 5)],
        ],
        merge="A1:D1",
    )
    table = read(data, "список.xlsx")
    assert table.rows == [
        (1, ["Список работников"]),
        (3, ["ФИО", "Класс", "Подэтап", "Дата рождения"]),
        (4, ["Иванова Мария Петровна", 5, 1.1, datetime.date(2011, 3, 5)]),
    ]


def test_xlsx_merged_ranges_come_back_with_their_lines_and_columns():
    data = xlsx_bytes(
        [["№", "Этап", "Срок"], [1, "Старт", "Сентябрь"], [2, None, "Октябрь"]],
        merge="B2:B3",
    )
    table = read(data, "карта.xlsx")
    assert table.merged == [(2, 1, 3, 1)]
    # The covered cell stays empty: the importer decides what a merge means.
    assert table.rows[2] == (3, [2, None, "Октябрь"])


def test_a_cp1251_csv_with_semicolons_is_read():
    text = "Фамилия;Имя;Дата рождения\r\nПетров;Иван;05.03.2011\r\n"
    table = read(text.encode("cp1251"), "список.csv")
    assert table.rows[1] == (2, ["Петров", "Иван", "05.03.2011"])


def test_a_utf8_csv_with_bom_and_commas_is_read():
    text = "\ufeffФамилия,Имя\nПетров,Иван\n"
    assert read(text.encode(), "список.csv").rows[0] == (1, ["Фамилия", "Имя"])


def test_an_ods_file_is_read():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Лист1")
    for values in (["ФИО", "Класс"], ["Петров Иван Ильич", 7.0]):
        row = TableRow()
        for value in values:
            if isinstance(value, float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    table = read(buffer.getvalue(), "список.ods")
    assert table.rows == [(1, ["ФИО", "Класс"]), (2, ["Петров Иван Ильич", 7])]


def test_an_empty_file_is_refused():
    assert "пуст" in refusal(b"", "список.xlsx").message


def test_a_renamed_program_is_refused():
    error = refusal(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "список.xlsx")
    assert error.code == "wrong_type"
    assert "не таблица" in error.message


def test_a_nul_byte_is_refused_with_its_line():
    error = refusal("ФИО\nПетров\x00 Иван\n".encode(), "список.csv")
    assert error.code == "nul_byte"
    assert "строке 2" in error.message


def test_too_many_rows_are_refused():
    text = "ФИО\n" + "Петров Иван\n" * 20
    assert refusal(text.encode(), "список.csv", max_rows=10).code == "too_many_rows"


def test_a_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    error = refusal(buffer.getvalue(), "список.xlsx")
    assert error.code == "too_large_unpacked"
    assert "МБ" in error.message


def test_a_broken_xlsx_gets_a_russian_message():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml at all")
    error = refusal(buffer.getvalue(), "список.xlsx")
    assert error.code == "unreadable"
