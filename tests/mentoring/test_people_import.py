"""A school's staff and student lists through the admin and the command."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mentoring.models import AuditEntry, ImportColumnMapping, Person
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:mentoring_person_import")

STAFF_ROWS = [
    [
        "Таб. номер",
        "ФИО",
        "Дата рождения",
        "Должность",
        "Педагогический стаж",
        "Категория",
        "E-mail",
        "Телефон",
    ],
    [
        1001.0,
        "Иванова Мария Петровна",
        datetime.datetime(1985, 3, 5),
        "Учитель математики",
        12.0,
        "Высшая",
        "ivanova@school.ru",
        79111234567.0,
    ],
    [
        1002.0,
        "Соколов Алексей Игоревич",
        "17.11.1990",
        "Учитель физики",
        5.0,
        "первая",
        None,
        None,
    ],
]


def xlsx(rows, *, title=None) -> bytes:
    """As a school's Excel keeps it: a merged title above the header, floats."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def curator(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def upload(client, data: bytes, name: str, kind="staff", organization=None):
    return client.post(
        UPLOAD,
        {
            "kind": kind,
            "organization": organization.pk if organization else "",
            "file": SimpleUploadedFile(name, data),
        },
    )


def preview(client, curator, data, name="список.xlsx", kind="staff"):
    response = upload(client, data, name, kind, curator.organization)
    assert response.status_code == 302, response.text
    url = response["Location"]
    return url, client.get(url)


def counts(page) -> dict:
    table = re.search(r'id="import-counts">(.*?)</table>', page.text, re.S).group(1)
    pairs = re.findall(r"<th>(.*?)</th><td>(\d+)</td>", table)
    return {label: int(number) for label, number in pairs}


def test_the_persons_list_offers_the_import_and_its_templates(client, curator):
    page = client.get(reverse("admin:mentoring_person_changelist"))
    assert UPLOAD in page.text
    page = client.get(UPLOAD)
    for kind in ("staff", "students"):
        url = reverse("admin:mentoring_person_import_template", args=[kind])
        assert url in page.text
        template = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
        headers = [c.value for c in template.worksheets[0][1]]
        assert "Фамилия" in headers and "Дата рождения" in headers
        assert template.worksheets[0].max_row == 2  # the example row
        assert template.worksheets[1]["A1"].value == "Столбец"


def test_a_template_filled_in_imports_as_it_is(client, curator):
    url = reverse("admin:mentoring_person_import_template", args=["students"])
    _, page = preview(client, curator, client.get(url).content, kind="students")
    assert counts(page) == {
        "Новых": 1,
        "Изменятся": 0,
        "Без изменений": 0,
        "С ошибками": 0,
    }


def test_staff_from_excel_are_previewed_then_written(client, curator):
    url, page = preview(client, curator, xlsx(STAFF_ROWS, title="Список педагогов"))
    assert counts(page) == {
        "Новых": 2,
        "Изменятся": 0,
        "Без изменений": 0,
        "С ошибками": 0,
    }
    assert Person.objects.count() == 0
    page = client.post(url, {"action": "confirm"}, follow=True)
    assert "Список загружен. Новых: 2" in page.text
    ivanova = Person.objects.get(last_name="Иванова")
    assert ivanova.school_id == "1001"
    assert ivanova.first_name == "Мария" and ivanova.patronymic == "Петровна"
    assert ivanova.gender == Person.Gender.FEMALE
    assert ivanova.birth_date == datetime.date(1985, 3, 5)
    assert ivanova.experience_years() == 12
    assert ivanova.qualification == Person.Qualification.HIGHEST
    assert ivanova.phone == "79111234567"
    assert ivanova.category == Person.Category.TEACHER
    sokolov = Person.objects.get(last_name="Соколов")
    assert sokolov.gender == Person.Gender.MALE
    assert sokolov.birth_date == datetime.date(1990, 11, 17)
    entry = AuditEntry.objects.get(action="people.imported")
    assert entry.data["new"] == 2
    assert AuditEntry.objects.filter(action="people.imported").count() == 1


def test_reimporting_the_same_file_changes_nothing(client, curator):
    data = xlsx(STAFF_ROWS)
    url, _page = preview(client, curator, data)
    client.post(url, {"action": "confirm"})
    before = list(Person.objects.order_by("pk").values())
    _url, page = preview(client, curator, data)
    assert counts(page) == {
        "Новых": 0,
        "Изменятся": 0,
        "Без изменений": 2,
        "С ошибками": 0,
    }
    client.post(_url, {"action": "confirm"})
    assert list(Person.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_the_person_matched_by_the_school_id(client, curator):
    PersonFactory(
        organization=curator.organization,
        school_id="1001",
        last_name="Иванова",
        first_name="Мария",
        patronymic="Петровна",
        birth_date=datetime.date(1985, 3, 5),
    )
    rows = [row[:] for row in STAFF_ROWS]
    rows[1][1] = "Петрова Мария Петровна"  # married since the last list
    url, page = preview(client, curator, xlsx(rows))
    assert counts(page)["Изменятся"] == 1 and counts(page)["Новых"] == 1
    client.post(url, {"action": "confirm"})
    assert Person.objects.get(school_id="1001").last_name == "Петрова"
    assert Person.objects.count() == 2


def test_students_are_matched_by_name_and_birth_date_without_an_id(client, curator):
    PersonFactory(
        organization=curator.organization,
        student=True,
        last_name="Петров",
        first_name="Иван",
        patronymic="Ильич",
        gender=Person.Gender.MALE,
        birth_date=datetime.date(2011, 3, 5),
        school_class="6Б",
    )
    csv = (
        "Фамилия;Имя;Отчество;Дата рождения;Пол;Класс\r\n"
        "Петров;Иван;Ильич;05.03.2011;м;7 б\r\n"
        "Сёмина;Анна;Олеговна;12.01.2012;ж;6А\r\n"
    ).encode("cp1251")
    url, page = preview(client, curator, csv, name="ученики.csv", kind="students")
    assert counts(page) == {
        "Новых": 1,
        "Изменятся": 1,
        "Без изменений": 0,
        "С ошибками": 0,
    }
    client.post(url, {"action": "confirm"})
    assert Person.objects.get(last_name="Петров").school_class == "7Б"
    assert Person.objects.get(last_name="Сёмина").category == Person.Category.STUDENT


def test_an_ods_list_imports(client, curator):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheet = Table(name="Лист1")
    for values in (
        ["ФИО", "Дата рождения", "Класс"],
        ["Петров Иван Ильич", datetime.date(2011, 3, 5), 7.0],
    ):
        row = TableRow()
        for value in values:
            if isinstance(value, float):
                cell = TableCell(valuetype="float", value=value)
            elif isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    url, page = preview(client, curator, buffer.getvalue(), "ученики.ods", "students")
    assert counts(page)["Новых"] == 1
    client.post(url, {"action": "confirm"})
    person = Person.objects.get()
    assert (person.birth_date, person.school_class) == (datetime.date(2011, 3, 5), "7")


def test_row_errors_name_row_column_and_value_and_nothing_is_written(client, curator):
    PersonFactory(organization=curator.organization)
    rows = [row[:] for row in STAFF_ROWS]
    rows[1][2] = "31.02.1985"
    rows[2][6] = "не-почта"
    url, page = preview(client, curator, xlsx(rows))
    assert counts(page)["С ошибками"] == 2
    errors = page.text.split('id="import-errors"')[1]
    assert re.search(
        r"<td>2</td><td>Дата рождения</td><td>31.02.1985</td><td>Дата не распознана",
        errors,
    )
    assert re.search(r"<td>3</td><td>E-mail</td><td>не-почта</td>", errors)
    assert 'value="confirm"' not in page.text
    page = client.post(url, {"action": "confirm"}, follow=True)
    assert "ничего не загружено" in page.text
    assert Person.objects.count() == 1


def test_duplicate_people_in_one_file_are_reported_not_merged(client, curator):
    rows = [STAFF_ROWS[0], STAFF_ROWS[1], STAFF_ROWS[2], STAFF_ROWS[1]]
    url, page = preview(client, curator, xlsx(rows))
    assert counts(page)["С ошибками"] == 2
    assert "Тот же человек, что в строке 4" in page.text
    assert "Тот же человек, что в строке 2" in page.text
    client.post(url, {"action": "confirm"})
    assert Person.objects.count() == 0


def test_unknown_headers_are_mapped_once_and_remembered(client, curator):
    rows = [
        ["Сотрудник (полностью)", "Родился(-ась)", "Занимаемая должность"],
        ["Иванова Мария Петровна", "05.03.1985", "Учитель"],
    ]
    url, page = preview(client, curator, xlsx(rows))
    assert "Что в этих столбцах?" in page.text
    assert "Сотрудник (полностью)" in page.text
    assert 'value="confirm"' not in page.text
    page = client.post(
        url, {"action": "map", "column_0": "full_name", "column_1": "birth_date"}
    )
    assert (
        ImportColumnMapping.objects.filter(organization=curator.organization).count()
        == 2
    )
    page = client.get(url)
    assert "Что в этих столбцах?" not in page.text
    assert counts(page)["Новых"] == 1
    # The next file in the same shape needs no question.
    _url, page = preview(client, curator, xlsx(rows))
    assert "Что в этих столбцах?" not in page.text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "список.xlsx", "пуст"),
        (b"MZ\x90\x00" + bytes(300), "список.xlsx", "не таблица"),
        ("ФИО\nИванова\x00 Мария\n".encode(), "список.csv", "нулевой байт"),
    ],
)
def test_bad_files_are_refused_in_russian(client, curator, data, name, message):
    response = upload(client, data, name, organization=curator.organization)
    assert response.status_code == 200
    assert message in response.text
    assert "Traceback" not in response.text


def test_too_many_rows_are_refused(client, curator):
    data = ("ФИО\n" + "Иванова Мария Петровна\n" * 50_010).encode()
    response = upload(client, data, "список.csv", organization=curator.organization)
    assert "больше 50\u00a0000 строк с данными" in response.text


def test_text_longer_than_its_field_is_a_row_error(client, curator):
    rows = [row[:] for row in STAFF_ROWS[:2]]
    rows[1][3] = "Учитель " * 40
    _url, page = preview(client, curator, xlsx(rows))
    assert "Текст длиннее 255 знаков" in page.text
    assert counts(page)["С ошибками"] == 1


def test_formula_looking_text_is_stored_as_text(client, curator):
    csv = 'ФИО;Должность\nИванова Мария Петровна;=HYPERLINK("x")\n'.encode()
    url, page = preview(client, curator, csv, name="список.csv")
    client.post(url, {"action": "confirm"})
    assert Person.objects.get().position == '=HYPERLINK("x")'


def test_another_schools_curator_cannot_confirm_the_preview(client, curator):
    url, _page = preview(client, curator, xlsx(STAFF_ROWS))
    client.force_login(UserFactory(curator=True))
    page = client.post(url, {"action": "confirm"}, follow=True)
    assert "Файл не найден" in page.text
    assert Person.objects.count() == 0


def test_the_command_writes_all_or_nothing(tmp_path, capsys):
    organization = OrganizationFactory()
    good = tmp_path / "педагоги.xlsx"
    good.write_bytes(xlsx(STAFF_ROWS))
    call_command("import_people", str(good), organization=organization.pk, dry_run=True)
    assert "Новых: 2" in capsys.readouterr().out
    assert Person.objects.count() == 0
    call_command("import_people", str(good), organization=organization.pk)
    assert Person.objects.count() == 2
    call_command("import_people", str(good), organization=organization.pk)
    assert "без изменений: 2" in capsys.readouterr().out
    rows = [row[:] for row in STAFF_ROWS]
    rows.append([1003.0, "Кузнецова Ольга", "не дата", None, None, None, None, None])
    bad = tmp_path / "с ошибкой.xlsx"
    bad.write_bytes(xlsx(rows))
    with pytest.raises(CommandError, match="ничего не записано"):
        call_command("import_people", str(bad), organization=organization.pk)
    out = capsys.readouterr().out
    assert "Строка 4, столбец «Дата рождения», значение «не дата»" in out
    assert Person.objects.count() == 2
