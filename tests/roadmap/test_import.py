"""A roadmap loaded from a table in the admin: preview, then all or nothing.

The school's own Word and spreadsheet layouts are in test_import_documents.py."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from mentoring.models import AuditEntry
from roadmap.documents import roadmap_xlsx
from roadmap.importing.plan import ROADMAP_FIELDS
from tests.factories import RoadmapFactory, UserFactory
from tests.roadmap.seeds import load_seed

pytestmark = pytest.mark.django_db

HEADERS = [
    "№ п/п",
    "Наименование этапа",
    "Содержание деятельности и примерный план мероприятий",
    "Срок исполнения",
    "Ответственные",
]


def _xlsx(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, roadmap, content: bytes, name="карта.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        reverse("admin:roadmap_roadmap_import"),
        {"step": "upload", "roadmap": roadmap.pk, "file": file},
    )


def _confirm(client, preview):
    return client.post(
        reverse("admin:roadmap_roadmap_import"),
        {"step": "confirm", "token": preview.context["token"]},
        follow=True,
    )


@pytest.fixture
def curator_and_roadmap(client):
    roadmap = RoadmapFactory(year=2025)
    client.force_login(UserFactory(curator=True, organization=roadmap.organization))
    return roadmap


GOOD_ROWS = [
    # LibreOffice types «1.1» as a float; the merged stage cell leaves blanks.
    [1.1, "Подготовка условий", "Приказ о внедрении", "Сентябрь 2025 г.", "Директор"],
    [None, None, "Положение о наставничестве", "Сентябрь – октябрь", "Куратор"],
    [2, "Формирование банка наставляемых", "Сбор запросов", "В течение года", "ИМЦ"],
]


def test_a_table_is_previewed_then_imported(client, curator_and_roadmap):
    roadmap = curator_and_roadmap

    preview = _upload(client, roadmap, _xlsx(GOOD_ROWS))
    assert preview.status_code == 200
    assert not roadmap.stages.exists()  # the preview saved nothing
    assert "Будет добавлено: <strong>5</strong>" in preview.text
    done = _confirm(client, preview)

    assert done.status_code == 200
    stages = list(roadmap.stages.order_by("position"))
    assert [(s.number, s.name) for s in stages] == [
        ("1.1", "Подготовка условий"),
        ("2", "Формирование банка наставляемых"),
    ]
    second = stages[0].activities.order_by("position")[1]
    assert second.content == "Положение о наставничестве"
    assert (second.starts_on.isoformat(), second.ends_on.isoformat()) == (
        "2025-09-01",
        "2025-10-31",
    )


def test_imported_stages_and_activities_are_audited_as_in_the_back_office(
    client, curator_and_roadmap
):
    roadmap = curator_and_roadmap

    preview = _upload(client, roadmap, _xlsx(GOOD_ROWS))
    assert not AuditEntry.objects.exists()  # the preview left no trace
    _confirm(client, preview)

    actions = AuditEntry.objects.filter(organization=roadmap.organization)
    assert sorted(actions.values_list("action", flat=True)) == [
        *["roadmap.activity_added"] * 3,
        "roadmap.edited",  # the table's own column headers, kept for printing
        *["roadmap.stage_added"] * 2,
    ]


def test_a_missing_column_imports_nothing(client, curator_and_roadmap):
    roadmap = curator_and_roadmap

    response = _upload(
        client,
        roadmap,
        _xlsx([[1, "Этап", "Срок"]], headers=["№ п/п", "Наименование этапа", "Срок"]),
    )

    assert "Укажите, в каком столбце мероприятия" in response.text
    assert "Подтвердить загрузку" not in response.text
    assert not roadmap.stages.exists()


def test_a_bad_month_is_shown_on_its_row_and_nothing_is_imported(
    client, curator_and_roadmap
):
    roadmap = curator_and_roadmap
    rows = [*GOOD_ROWS, [None, None, "Встреча", "Мартобрь", ""]]

    response = _upload(client, roadmap, _xlsx(rows))

    assert "Строка 5, столбец «Срок исполнения»: " in response.text
    assert "«Мартобрь» — не месяц" in response.text
    assert "Подтвердить загрузку" not in response.text
    assert not roadmap.stages.exists()


def test_a_blank_row_keeps_the_lines_of_the_rows_below(client, curator_and_roadmap):
    roadmap = curator_and_roadmap
    rows = [*GOOD_ROWS, [], [None, None, "Встреча", "Мартобрь", ""]]

    response = _upload(client, roadmap, _xlsx(rows))

    # The sheet's sixth row: the blank fifth is counted as Excel shows it.
    assert "Строка 6, столбец «Срок исполнения»: " in response.text


def test_a_deadline_merged_down_belongs_to_every_row_it_covers(
    client, curator_and_roadmap
):
    roadmap = curator_and_roadmap
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append([1, "Подготовка условий", "Приказ", "Сентябрь 2025 г.", "Куратор"])
    sheet.append([None, None, "Положение", None, None])
    sheet.merge_cells("D2:D3")
    buffer = io.BytesIO()
    book.save(buffer)

    _confirm(client, _upload(client, roadmap, buffer.getvalue()))

    activities = roadmap.stages.get().activities.order_by("position")
    assert [a.deadline_text for a in activities] == ["Сентябрь 2025 г."] * 2


def test_a_stage_number_used_twice_imports_nothing(client, curator_and_roadmap):
    roadmap = curator_and_roadmap
    rows = [*GOOD_ROWS, [2, "Снова второй", "Что-то", "Май", ""]]

    response = _upload(client, roadmap, _xlsx(rows))

    assert "Строка 5, столбец «№ п/п»: этап № 2 уже был выше в таблице" in (
        response.text
    )
    assert not roadmap.stages.exists()


def test_the_exported_spreadsheet_imports_back(client):
    source = load_seed("seed_gymnasium_513_2023")
    target = RoadmapFactory(organization=source.organization, year=2023)
    client.force_login(UserFactory(curator=True, organization=source.organization))

    _confirm(client, _upload(client, target, roadmap_xlsx(source)))

    copied = [
        (
            a.stage.number,
            a.content,
            a.deadline_text,
            sorted(p.pk for p in a.responsible.all()),
            a.responsible_roles,
        )
        for s in target.stages.order_by("position")
        for a in s.activities.order_by("position")
    ]
    original = [
        (
            a.stage.number,
            a.content,
            a.deadline_text,
            sorted(p.pk for p in a.responsible.all()),
            a.responsible_roles,
        )
        for s in source.stages.order_by("position")
        for a in s.activities.order_by("position")
    ]
    assert copied == original


@pytest.mark.parametrize(
    "name", ["seed_cvr_mezhgorye_2024", "seed_kindergarten_15_2023"]
)
def test_the_exported_approval_blocks_title_and_preamble_import_back(client, name):
    source = load_seed(name)
    target = RoadmapFactory(organization=source.organization, year=source.year)
    client.force_login(UserFactory(curator=True, organization=source.organization))

    _confirm(client, _upload(client, target, roadmap_xlsx(source)))

    target.refresh_from_db()
    for field in [f for f in ROADMAP_FIELDS if f not in ("title", "preamble")]:
        assert getattr(target, field) == getattr(source, field), field
    assert target.title.splitlines() == [
        line.strip() for line in source.title.splitlines()
    ]
    assert target.preamble.splitlines() == [
        line for line in source.preamble.splitlines() if line.strip()
    ]


def test_another_schools_roadmap_cannot_be_chosen_for_import(client):
    mine = RoadmapFactory()
    theirs = RoadmapFactory()
    client.force_login(UserFactory(curator=True, organization=mine.organization))

    response = _upload(client, theirs, _xlsx(GOOD_ROWS))

    assert "Выберите корректный вариант" in response.text
    assert not theirs.stages.exists()
