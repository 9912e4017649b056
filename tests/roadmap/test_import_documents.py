"""Roadmaps from the school's own files: Word tables with merged stage cells
and numbered paragraphs, spreadsheets with typed numbers, a Russian Excel CSV;
printed back with nothing lost; a second import changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from mentoring.models import AuditEntry
from roadmap.documents import roadmap_pdf, roadmap_xlsx
from roadmap.models import Activity, Roadmap, Stage
from tests.factories import DistrictFactory, OrganizationFactory, UserFactory
from tests.roadmap.pdf_text import assert_in_order, pdf_table_text, pdf_text
from tests.roadmap.printed_xlsx import header_row
from tests.roadmap.seed_files import (
    columns,
    responsible,
    seed_docx,
    seed_organization,
    seed_xlsx,
)
from tests.roadmap.seeds import SEED_NAMES, seed_data

pytestmark = pytest.mark.django_db

FILES = {
    "docx": lambda name: seed_docx(name),
    "xlsx": lambda name: seed_xlsx(name, stage_on="first"),
    "xlsx-every-row": lambda name: seed_xlsx(name, stage_on="every"),
    "xlsx-own-row": lambda name: seed_xlsx(name, stage_on="own"),
}


def _write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _command(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roadmap", *args, stdout=out, stderr=err)
    return out.getvalue()


def assert_printed_as_source(name: str, pdf: bytes) -> None:
    """Every stage, item, deadline and responsible party of the seed, in order."""
    data = seed_data(name)
    text = pdf_table_text(pdf)
    stages = data["stages"]
    assert_in_order(text, [s["number"] for s in stages])
    assert_in_order(text, [s["name"] for s in stages])
    assert_in_order(text, [a["content"] for s in stages for a in s["activities"]])
    for stage in stages:
        for activity in stage["activities"]:
            if activity.get("deadline"):
                assert_in_order(text, [activity["deadline"]])
            for line in responsible(data, activity):
                assert_in_order(text, [line])
    assert_in_order(pdf_text(pdf), columns(data))


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_imported_by_command_prints_everything_and_reimports_unchanged(
    tmp_path, name, kind
):
    organization = seed_organization(name)
    extension = kind.split("-")[0]
    path = _write(tmp_path, f"карта.{extension}", FILES[kind](name))

    data = seed_data(name)
    year = str(data["roadmap"]["year"])

    out = _command(path, "--organization", str(organization.pk), "--year", year)

    roadmap = Roadmap.objects.get(organization=organization)
    assert f"id {roadmap.pk}" in out
    assert list(roadmap.stages.values_list("number", "name")) == [
        (s["number"], s["name"]) for s in data["stages"]
    ]
    assert_printed_as_source(name, roadmap_pdf(roadmap))

    audit_before = AuditEntry.objects.count()
    again = _command(path, "--organization", str(organization.pk), "--year", year)

    assert "Добавлено: 0" in again and "Изменено: 0" in again and "Удалено: 0" in again
    assert Roadmap.objects.filter(organization=organization).count() == 1
    assert AuditEntry.objects.count() == audit_before


IMPORT_URL = "admin:roadmap_roadmap_import"


def _upload(client, content: bytes, name: str, **data):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        reverse(IMPORT_URL), {"step": "upload", "file": file, **data}, follow=True
    )


def _confirm(client, preview):
    """Press «Подтвердить загрузку» with the fields the preview page holds."""
    context = preview.context
    data = {"step": "confirm", "token": context["token"]}
    mapping = context.get("mapping")
    if mapping:
        data["columns"] = mapping["count"]
        data.update({f"column_{i}": role for i, role in mapping["items"]})
    return client.post(reverse(IMPORT_URL), data, follow=True)


@pytest.fixture
def curator(client):
    def login(organization):
        client.force_login(UserFactory(curator=True, organization=organization))

    return login


@pytest.mark.parametrize("extension", ["docx", "xlsx"])
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_imported_in_the_admin_prints_everything(client, curator, name, extension):
    organization = seed_organization(name)
    curator(organization)
    content = FILES[extension](name)
    year = seed_data(name)["roadmap"]["year"]

    preview = _upload(client, content, f"карта.{extension}", year=year)

    assert preview.status_code == 200
    assert "Подтвердить загрузку" in preview.text, preview.context.get("errors")
    assert not Roadmap.objects.filter(organization=organization).exists()
    items = sum(len(s["activities"]) for s in seed_data(name)["stages"])
    assert f"мероприятий: {items}" in preview.text

    done = _confirm(client, preview)

    roadmap = Roadmap.objects.get(organization=organization)
    assert "Дорожная карта загружена" in done.text
    assert Activity.objects.filter(stage__roadmap=roadmap).count() == items
    assert_printed_as_source(name, roadmap_pdf(roadmap))


def test_reimport_into_the_roadmap_changes_nothing_and_then_only_the_edit(
    client, curator
):
    name = "seed_gymnasium_513_2023"
    organization = seed_organization(name)
    curator(organization)
    content = seed_docx(name)
    _confirm(client, _upload(client, content, "карта.docx"))
    roadmap = Roadmap.objects.get(organization=organization)
    roadmap_activities = Activity.objects.filter(stage__roadmap=roadmap)
    roadmap_activities.update(status=Activity.Status.IN_PROGRESS)
    # As a template's activity carries it; the edit below must keep it.
    roadmap_activities.filter(content__startswith="1. Сбор").update(code="form_pairs")
    before = list(
        Activity.objects.filter(stage__roadmap=roadmap)
        .order_by("pk")
        .values_list("pk", "content")
    )
    audit = AuditEntry.objects.count()

    page = client.get(reverse("admin:roadmap_roadmap_change", args=[roadmap.pk]))
    assert f"import/?roadmap={roadmap.pk}" in page.text
    again = _upload(client, content, "карта.docx", roadmap=roadmap.pk)

    assert "Будет добавлено: <strong>0</strong>" in again.text
    assert "изменено: <strong>0</strong>" in again.text
    assert "удалено: <strong>0</strong>" in again.text
    assert "уже совпадает с файлом" in again.text

    data = seed_data(name)
    data["stages"][1]["activities"][0]["deadline"] = "Ноябрь 2023г."
    changed = _upload(client, _xlsx_of(data), "карта.xlsx", roadmap=roadmap.pk)
    assert "изменено: <strong>1</strong>" in changed.text, changed.text[-3000:]
    assert "Сбор информации о профессиональных запросах" in changed.text
    _confirm(client, changed)

    assert Roadmap.objects.filter(organization=organization).count() == 1
    assert (
        list(
            Activity.objects.filter(stage__roadmap=roadmap)
            .order_by("pk")
            .values_list("pk", "content")
        )
        == before
    )
    assert set(roadmap_activities.values_list("status", flat=True)) == {
        Activity.Status.IN_PROGRESS
    }
    assert roadmap_activities.get(content__startswith="1. Сбор").deadline_text == (
        "Ноябрь 2023г."
    )
    assert roadmap_activities.get(code="form_pairs").content.startswith("1. Сбор")
    assert AuditEntry.objects.count() == audit + 1


def _xlsx_of(data: dict) -> bytes:
    """A seed's data, changed by the test, as an every-row spreadsheet."""
    from openpyxl import Workbook

    from tests.roadmap.seed_files import SCHOOL, typed

    book = Workbook()
    sheet = book.active
    for line in data["roadmap"]["title"].splitlines():
        sheet.append([line])
    sheet.append(SCHOOL)
    for stage in data["stages"]:
        for activity in stage["activities"]:
            sheet.append(
                [
                    typed(stage["number"]),
                    stage["name"],
                    activity["content"],
                    activity.get("deadline", ""),
                    "\n".join(responsible(data, activity)),
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- sub-stages


def _substage_docx() -> bytes:
    """«Наименование этапа | Мероприятия | Содержания деятельности | Сроки»:
    the stage merged over its sub-stages, items as numbered paragraphs."""
    from docx import Document

    document = Document()
    document.add_paragraph("УТВЕРЖДАЮ")
    document.add_paragraph("Директор МБОУ СОШ № 7")
    document.add_paragraph("_________ И.И. Петрова")
    document.add_paragraph("«01» 09 2025 г.")
    document.add_paragraph("")
    title = document.add_paragraph()
    title.add_run(
        "План мероприятий по наставничеству на 2025-2026 учебный год"
    ).bold = True
    document.add_paragraph("Цель: сопровождение молодых педагогов.")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells,
        [
            "№ п/п",
            "Наименование этапа",
            "Мероприятия",
            "Содержания деятельности",
            "Сроки",
        ],
        strict=True,
    ):
        cell.text = text
    rows = [
        (
            "1.",
            "Подготовительный",
            "1.1. Нормативная база",
            ["1. Приказ", "2. Положение"],
            "Сентябрь",
        ),
        ("", "", "1.2. Банк наставников", ["1. Анкетирование"], "Октябрь"),
        (
            "2.",
            "Основной",
            "2.1. Работа пар",
            ["1. Встречи пар", "2. Открытые уроки"],
            "В течение года",
        ),
    ]
    first = None
    for number, stage, sub, items, deadline in rows:
        cells = table.add_row().cells
        if number:
            cells[0].text, cells[1].text = number, stage
            first = cells
        else:
            first[0].merge(cells[0])
            first[1].merge(cells[1])
        cells[2].text = sub
        cells[3].text = items[0]
        for item in items[1:]:
            cells[3].add_paragraph(item)
        cells[4].text = deadline
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_stage_substage_item_from_word_print_with_the_sources_headers(
    tmp_path, client, curator
):
    organization = OrganizationFactory()
    path = _write(tmp_path, "план.docx", _substage_docx())

    out = _command(path, "--organization", str(organization.pk))

    roadmap = Roadmap.objects.get(organization=organization)
    assert f"id {roadmap.pk}" in out
    assert roadmap.year == 2025
    assert roadmap.approver_position == "Директор МБОУ СОШ № 7"
    assert roadmap.approver_name == "И.И. Петрова"
    assert str(roadmap.approval_order_on) == "2025-09-01"
    assert roadmap.preamble == "Цель: сопровождение молодых педагогов."
    assert "01.09.2025" in pdf_text(roadmap_pdf(roadmap))
    assert list(roadmap.stages.values_list("number", "name")) == [
        ("1.", "Подготовительный"),
        ("2.", "Основной"),
    ]
    assert list(
        Activity.objects.filter(stage__roadmap=roadmap)
        .order_by("stage__position", "position")
        .values_list("substage_number", "substage_name", "content", "deadline_text")
    ) == [
        ("1.1.", "Нормативная база", "1. Приказ", "Сентябрь"),
        ("1.1.", "Нормативная база", "2. Положение", "Сентябрь"),
        ("1.2.", "Банк наставников", "1. Анкетирование", "Октябрь"),
        ("2.1.", "Работа пар", "1. Встречи пар", "В течение года"),
        ("2.1.", "Работа пар", "2. Открытые уроки", "В течение года"),
    ]
    pdf = roadmap_pdf(roadmap)
    assert_in_order(
        pdf_text(pdf),
        ["№ п/п", "Наименование этапа", "Мероприятия", "Содержания деятельности"],
    )
    assert_in_order(
        pdf_table_text(pdf),
        ["1.", "Подготовительный", "2.", "Основной", "1.1. Нормативная база",
         "1.2. Банк наставников", "2.1. Работа пар", "1. Приказ", "2. Положение",
         "1. Анкетирование", "1. Встречи пар", "2. Открытые уроки"],
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(roadmap_xlsx(roadmap))).active
    header = header_row(sheet)
    assert [c.value for c in sheet[header]] == [
        "№ п/п",
        "Наименование этапа",
        "Мероприятия",
        "Содержания деятельности",
        "Сроки",
        "Отметка о выполнении",
    ]
    assert sheet.cell(header + 1, 3).value == "1.1. Нормативная база"


def test_a_districts_table_with_stages_in_rows_of_their_own_and_float_numbers(
    tmp_path,
):
    district = DistrictFactory()
    book = Workbook()
    sheet = book.active
    sheet.append(["№", "Мероприятие", "Дата проведения", "Ответственный"])
    sheet.append([1, "Организационный этап"])
    sheet.append([1.1, "Совещание кураторов", "Сентябрь 2025 г.", "ИМЦ"])
    sheet.append([1.2, "Семинар для наставников", "Октябрь 2025 г.", "ИМЦ, ОУ"])
    sheet.append([2, "Итоги"])
    sheet.append([2.1, "Конференция наставников", "Май 2026 г.", "ИМЦ"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = _write(tmp_path, "район.xlsx", buffer.getvalue())

    _command(path, "--district", str(district.pk), "--year", "2025")

    roadmap = Roadmap.objects.get(district=district)
    assert roadmap.layout == Roadmap.Layout.DISTRICT
    assert list(roadmap.stages.values_list("number", "name")) == [
        ("1", "Организационный этап"),
        ("2", "Итоги"),
    ]
    assert list(
        Activity.objects.filter(stage__roadmap=roadmap)
        .order_by("stage__position", "position")
        .values_list("number", "content", "responsible_roles")
    ) == [
        ("1.1", "Совещание кураторов", "ИМЦ"),
        ("1.2", "Семинар для наставников", "ИМЦ, ОУ"),
        ("2.1", "Конференция наставников", "ИМЦ"),
    ]
    text = pdf_table_text(roadmap_pdf(roadmap))
    assert_in_order(text, ["1.1", "1.2", "2.1"])
    assert_in_order(
        pdf_text(roadmap_pdf(roadmap)), ["№", "Мероприятие", "Дата проведения"]
    )


# ---------------------------------------------------------------- CSV and bad input


def test_a_cp1251_semicolon_csv_from_russian_excel(client, curator):
    organization = OrganizationFactory()
    curator(organization)
    text = (
        "№ п/п;Наименование этапа;Содержание деятельности;Срок исполнения;Ответственные\r\n"
        "1.1;Подготовка условий;Приказ о внедрении;Сентябрь 2025 г.;Директор\r\n"
        ';;"1. Положение\n2. Дорожная карта";Октябрь 2025 г.;Куратор\r\n'
        "2;Банк наставляемых;Сбор запросов;В течение года;Куратор\r\n"
    )

    preview = _upload(client, text.encode("cp1251"), "карта.csv", year=2025)
    _confirm(client, preview)

    roadmap = Roadmap.objects.get(organization=organization)
    assert list(roadmap.stages.values_list("number", "name")) == [
        ("1.1", "Подготовка условий"),
        ("2", "Банк наставляемых"),
    ]
    assert list(
        Activity.objects.filter(stage__roadmap=roadmap)
        .order_by("stage__position", "position")
        .values_list("content", "deadline_text")
    ) == [
        ("Приказ о внедрении", "Сентябрь 2025 г."),
        ("1. Положение", "Октябрь 2025 г."),
        ("2. Дорожная карта", "Октябрь 2025 г."),
        ("Сбор запросов", "В течение года"),
    ]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "карта.xlsx", "файл пуст"),
        (
            b"%PDF-1.4 not a roadmap",
            "карта.pdf",
            "Загрузите DOCX, XLSX, XLS, ODS или CSV",
        ),
        (b"plain text, not a zip", "карта.xlsx", "— не таблица"),
        (b"plain text, not a zip", "карта.docx", "Файл не похож на DOCX"),
        (
            "№;Наименование этапа;Содержание деятельности;Срок исполнения\n"
            "1;Этап;Приказ;Когда-нибудь потом\n".encode(),
            "карта.csv",
            "Строка 2, столбец «Срок исполнения»",
        ),
        (
            "№;Содержание деятельности\n;Приказ\n".encode("cp1251"),
            "карта.csv",
            "",
        ),
    ],
)
def test_bad_files_get_a_russian_message_and_nothing_is_written(
    client, curator, content, name, message
):
    organization = OrganizationFactory()
    curator(organization)
    stages = Stage.objects.count()

    response = _upload(client, content, name, year=2025)

    assert response.status_code == 200
    assert "Traceback" not in response.text
    assert message in response.text
    if "Подтвердить загрузку" in response.text:
        _confirm(client, response)
    if message:
        assert Stage.objects.count() == stages
        assert not Roadmap.objects.filter(organization=organization).exists()


def test_unknown_headers_go_through_the_mapping_step(client, curator):
    organization = OrganizationFactory()
    curator(organization)
    text = "Раздел;Что делаем;Когда\n1. Старт;Приказ;Сентябрь 2025 г.\n"

    mapping = _upload(client, text.encode(), "карта.csv", year=2025)

    assert "Не распознаны столбцы: «Раздел», «Что делаем», «Когда»" in mapping.text
    assert not Roadmap.objects.filter(organization=organization).exists()
    preview = client.post(
        reverse(IMPORT_URL),
        {
            "step": "mapping",
            "token": mapping.context["token"],
            "columns": 3,
            "column_0": "stage",
            "column_1": "content",
            "column_2": "deadline",
        },
    )
    assert "Подтвердить загрузку" in preview.text
    _confirm(client, preview)

    roadmap = Roadmap.objects.get(organization=organization)
    assert roadmap.columns == {
        "stage": "Раздел",
        "content": "Что делаем",
        "deadline": "Когда",
    }
    assert list(roadmap.stages.values_list("number", "name")) == [("1.", "Старт")]
    assert "Что делаем" in pdf_text(roadmap_pdf(roadmap))


def test_the_command_refuses_a_bad_row_and_writes_nothing(tmp_path):
    organization = OrganizationFactory()
    path = _write(
        tmp_path,
        "карта.csv",
        "№;Наименование этапа;Содержание деятельности;Сроки\n"
        "1;Этап;Приказ;Сентябрь 2025 г.\n"
        "2;Этап;Положение;Когда-нибудь\n".encode("cp1251"),
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="Ничего не записано"):
        call_command(
            "import_roadmap", path, "--organization", str(organization.pk), stderr=err
        )

    assert "Строка 3, столбец «Сроки»" in err.getvalue()
    assert not Roadmap.objects.filter(organization=organization).exists()


def test_the_command_dry_run_writes_nothing(tmp_path):
    organization = seed_organization("seed_cvr_mezhgorye_2024")
    path = _write(tmp_path, "карта.docx", seed_docx("seed_cvr_mezhgorye_2024"))

    out = _command(path, "--organization", str(organization.pk), "--dry-run")

    assert "Новая дорожная карта." in out
    assert "ничего не записано" in out
    assert not Roadmap.objects.filter(organization=organization).exists()


def test_words_automatic_numbering_in_a_cell_makes_numbered_items(tmp_path):
    """Items numbered by Word's list style carry no «1.» in their text."""
    from docx import Document

    document = Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ["№", "Наименование этапа", "Мероприятия"], strict=True
    ):
        cell.text = text
    number, stage, items = table.rows[1].cells
    number.text, stage.text = "1.", "Подготовка"
    items.text = "Сбор запросов"
    items.paragraphs[0].style = document.styles["List Number"]
    items.add_paragraph("Банк наставников", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    organization = OrganizationFactory()
    path = _write(tmp_path, "план.docx", buffer.getvalue())

    _command(path, "--organization", str(organization.pk), "--year", "2025")

    roadmap = Roadmap.objects.get(organization=organization)
    assert list(
        Activity.objects.filter(stage__roadmap=roadmap)
        .order_by("position")
        .values_list("content", flat=True)
    ) == ["1. Сбор запросов", "2. Банк наставников"]


def test_an_archive_that_unpacks_too_big_is_refused_before_parsing(client, curator):
    import zipfile

    organization = OrganizationFactory()
    curator(organization)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))

    response = _upload(client, buffer.getvalue(), "карта.xlsx")

    assert "распаковывается больше чем в 100 МБ" in response.text
    assert not Roadmap.objects.filter(organization=organization).exists()


def test_an_ods_table_reads_like_a_spreadsheet(client, curator):
    import tablib

    organization = OrganizationFactory()
    curator(organization)
    data = tablib.Dataset()
    data.append(["№ п/п", "Наименование этапа", "Мероприятия", "Сроки"])
    data.append([1.1, "Подготовка", "1. Приказ\n2. Положение", "Сентябрь 2025 г."])

    _confirm(client, _upload(client, data.export("ods"), "карта.ods", year=2025))

    roadmap = Roadmap.objects.get(organization=organization)
    assert list(roadmap.stages.values_list("number", flat=True)) == ["1.1"]
    assert roadmap.stages.get().activities.count() == 2


def test_a_curator_cannot_import_a_roadmap_for_another_school(client, curator):
    mine, theirs = OrganizationFactory(), OrganizationFactory()
    curator(mine)
    text = "№;Наименование этапа;Мероприятия\n1;Этап;Приказ\n".encode()

    response = _upload(client, text, "карта.csv", organization=theirs.pk)

    assert "Выберите корректный вариант" in response.text
    assert not Roadmap.objects.filter(organization=theirs).exists()


def test_a_methodologist_imports_the_districts_roadmap(client):
    user = UserFactory(methodologist=True)
    client.force_login(user)
    text = (
        "№;Мероприятие;Дата проведения;Ответственный\n"
        "1;Организационный этап;;\n"
        "1.1;Совещание кураторов;Сентябрь 2025 г.;ИМЦ\n"
    ).encode("cp1251")

    _confirm(client, _upload(client, text, "район.csv", year=2025))

    roadmap = Roadmap.objects.get(district=user.district)
    assert roadmap.layout == Roadmap.Layout.DISTRICT
    assert roadmap.stages.get().activities.get().number == "1.1"


def test_the_command_takes_the_columns_it_cannot_recognise(tmp_path):
    organization = OrganizationFactory()
    path = _write(
        tmp_path,
        "карта.csv",
        "Раздел;Что делаем;Когда\n1. Старт;Приказ;Сентябрь 2025 г.\n".encode(),
    )

    with pytest.raises(CommandError, match="Не распознаны столбцы: «Раздел»"):
        _command(path, "--organization", str(organization.pk), "--year", "2025")
    assert not Roadmap.objects.filter(organization=organization).exists()

    _command(
        path,
        "--organization",
        str(organization.pk),
        "--year",
        "2025",
        "--columns",
        "stage,content,deadline",
    )

    roadmap = Roadmap.objects.get(organization=organization)
    assert roadmap.stages.get().activities.get().deadline_text == "Сентябрь 2025 г."
