"""The methodologist's table: a row per organization, figures by hand."""

import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from district.models import Pilot
from mentoring.dates import academic_year, academic_year_label, short_date
from mentoring.models import Organization
from reports.models import ReportSubmission
from tests.factories import (
    ActivityFactory,
    MeetingFactory,
    OrganizationFactory,
    PairFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
    form,
)

pytestmark = pytest.mark.django_db


def _url(district, name="district:organizations"):
    return reverse(name, args=[district.district.pk])


def _sheet(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_every_figure_matches_the_hand_count(client, district):
    client.force_login(district.methodologist)
    response = client.get(_url(district, "district:organizations-xlsx"))
    assert response.status_code == 200
    rows = {row["Организация"]: row for row in _sheet(response)}
    assert set(rows) == {"Гимназия № 1", "Лицей № 2"}

    gymnasium = rows["Гимназия № 1"]
    assert gymnasium["Пилотная площадка с"].date().isoformat() == "2025-09-01"
    assert gymnasium["Дорожная карта: выполнено, %"] == 25
    assert gymnasium["Мероприятий просрочено"] == 1
    assert (gymnasium["Наставников"], gymnasium["Наставляемых"]) == (1, 2)
    assert gymnasium["Пар и групп: Учитель – учитель"] == 1
    assert gymnasium["Пар и групп: Учитель – ученик"] == 1
    assert gymnasium["Пар и групп всего"] == 2
    assert gymnasium["Молодых педагогов (стаж 0–3 года)"] == 3
    assert gymnasium["Из них наставляемые"] == 1
    assert gymnasium["Охват молодых педагогов, %"] == 33
    assert gymnasium["Встреч прошло"] == 2
    assert gymnasium["Полнота обратной связи, %"] == 75
    assert gymnasium["Удовлетворённость, %"] == 80

    lyceum = rows["Лицей № 2"]
    assert lyceum["Пилотная площадка с"] is None
    assert lyceum["Дорожная карта: выполнено, %"] is None
    assert lyceum["Пар и групп: Учитель – ученик"] == 0
    assert (lyceum["Встреч прошло"], lyceum["Полнота обратной связи, %"]) == (2, 0)
    assert lyceum["Удовлетворённость, %"] is None


def test_the_page_shows_a_row_per_organization_of_the_district_only(client, district):
    client.force_login(district.methodologist)
    page = client.get(_url(district)).content.decode()
    # «№» keeps its number on the line.
    assert "Гимназия №\u00a01" in page and "Лицей №\u00a02" in page
    assert "Школа соседей" not in page
    assert "01.09.2025" in page
    # The rows' markup is built in district/page.py: the school heads its
    # row, an overdue activity links to the roadmap in red, names escaped.
    assert '<tr><th scope="row"><a href="/roadmap/' in page
    assert '<td class="text-end text-danger fw-semibold"><a class="link-danger"' in page
    Organization.objects.filter(short_name="Лицей № 2").update(
        short_name="Лицей <b>№ 2</b>"
    )
    page = client.get(_url(district)).content.decode()
    assert "Лицей &lt;b&gt;№ 2&lt;/b&gt;" in page


def _names(response) -> list[str]:
    return [row["Организация"] for row in _sheet(response)]


@pytest.mark.parametrize(
    ("sort", "first"),
    [
        ("name", "Гимназия № 1"),
        ("-name", "Лицей № 2"),
        ("-overdue", "Гимназия № 1"),
        ("feedback", "Лицей № 2"),
        ("-feedback", "Гимназия № 1"),
        ("young", "Гимназия № 1"),
        ("-young", "Лицей № 2"),
    ],
)
def test_the_table_sorts_by_any_column(client, district, sort, first):
    client.force_login(district.methodologist)
    url = _url(district, "district:organizations-xlsx")
    assert _names(client.get(url, {"sort": sort}))[0] == first


def test_the_table_sorts_by_a_form_of_mentoring(client, district):
    client.force_login(district.methodologist)
    url = _url(district, "district:organizations-xlsx")
    key = f"form-{form('teacher-student').pk}"
    assert _names(client.get(url, {"sort": f"-{key}"}))[0] == "Гимназия № 1"
    assert _names(client.get(url, {"sort": key}))[0] == "Лицей № 2"


def test_rows_without_a_figure_go_last_either_way(client, district):
    client.force_login(district.methodologist)
    url = _url(district, "district:organizations-xlsx")
    for sort in ("progress", "-progress"):
        assert _names(client.get(url, {"sort": sort})) == ["Гимназия № 1", "Лицей № 2"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"pilot": "yes"}, ["Гимназия № 1"]),
        ({"pilot": "no"}, ["Лицей № 2"]),
        ({"q": "лицей"}, ["Лицей № 2"]),
        ({"kind": "kindergarten"}, []),
        ({"attention": "1"}, ["Гимназия № 1", "Лицей № 2"]),
    ],
)
def test_the_table_filters(client, district, params, names):
    client.force_login(district.methodologist)
    url = _url(district, "district:organizations-xlsx")
    assert _names(client.get(url, params)) == names


def test_a_bad_sort_or_filter_gets_a_clear_russian_answer(client, district):
    client.force_login(district.methodologist)
    response = client.get(_url(district), {"sort": "salary"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Нет такого столбца для сортировки: «salary»" in page
    assert "Гимназия №\u00a01" in page  # the table, as by default

    response = client.get(_url(district), {"pilot": "maybe"})
    assert response.status_code == 400
    assert "допустимы значения yes или no, а не «maybe»" in response.content.decode()

    for name in ("district:organizations-xlsx", "district:organizations-pdf"):
        response = client.get(_url(district, name), {"kind": "bank"})
        assert response.status_code == 400
        assert "Нет такого типа организации: «bank»." in response.content.decode()


def test_another_districts_methodologist_gets_nothing(client, district):
    stranger = UserFactory(methodologist=True)
    client.force_login(stranger)
    for name in (
        "district:organizations",
        "district:organizations-xlsx",
        "district:organizations-pdf",
    ):
        assert client.get(_url(district, name)).status_code == 404


def test_a_school_does_not_open_the_districts_table(client, district):
    client.force_login(UserFactory(curator=True, organization=district.gymnasium))
    assert client.get(_url(district)).status_code == 404


def _add_school(district, n):
    school = OrganizationFactory(district=district.district, short_name=f"Школа № {n}")
    Pilot.objects.create(organization=school, since="2026-01-10")
    stage = StageFactory(roadmap=RoadmapFactory(organization=school))
    ActivityFactory(stage=stage, done=True)
    pair = PairFactory(organization=school, active=True, form=form("teacher-student"))
    MeetingFactory(pair=pair)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["organizations", "organizations-xlsx"])
def test_the_table_costs_the_same_queries_at_two_sizes(client, district, name):
    client.force_login(district.methodologist)
    url = _url(district, f"district:{name}")
    client.get(url)  # the session and the login's own rows, once
    small = _queries(client, url)
    for n in range(10, 18):
        _add_school(district, n)
    assert _queries(client, url) == small
    assert small <= 17


def _pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


def test_the_pdf_prints_the_table_as_filtered(client, district):
    client.force_login(district.methodologist)
    response = client.get(
        _url(district, "district:organizations-pdf"), {"pilot": "yes"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(b"".join(response.streaming_content))
    assert "реализации системы (целевой модели) наставничества" in text
    assert "Кировский район" in text
    assert "Гимназия № 1" in text
    assert "Лицей № 2" not in text
    assert "Отбор: пилотные" in text


def test_the_sorted_column_is_marked_and_its_header_reverses_it(client, district):
    client.force_login(district.methodologist)
    page = client.get(_url(district), {"sort": "mentors"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "sort=-mentors" in page
    page = client.get(_url(district), {"sort": ""}).content.decode()
    assert 'aria-sort="ascending"' in page  # by name, as by default
    assert 'name="sort"' not in page


def test_the_table_shows_each_schools_report_for_the_year(client, district):
    from reports.indicators import ReportPeriod

    year = ReportPeriod.current()
    ReportSubmission.objects.create(
        organization=district.gymnasium,
        period_start=year.start,
        period_end=year.end,
        figures={},
        sent_at=timezone.now(),
    )
    client.force_login(district.methodologist)

    page = client.get(_url(district)).content.decode()

    sent = f"отправлен {short_date(timezone.localdate())}"
    assert sent in page
    assert "не отправлен" in page  # the lyceum's
    sheet = _sheet(client.get(_url(district, "district:organizations-xlsx")))
    cells = {str(value) for row in sheet for value in row.values()}
    assert sent in cells


def test_a_school_that_ran_last_year_without_sending_its_report_needs_attention(
    client, district
):
    from reports.indicators import ReportPeriod

    last = ReportPeriod.academic(academic_year() - 1)
    RoadmapFactory(organization=district.lyceum, year=last.start.year)
    RoadmapFactory(organization=district.gymnasium, year=last.start.year)
    ReportSubmission.objects.create(
        organization=district.gymnasium,
        period_start=last.start,
        period_end=last.end,
        figures={},
        sent_at=timezone.now(),
    )
    client.force_login(district.methodologist)

    home = client.get(reverse("mentoring:home")).content.decode()

    label = academic_year_label(last.start.year)
    assert home.count(f"не отправлен отчёт за {label}") == 1  # the lyceum only
    names = _names(
        client.get(_url(district, "district:organizations-xlsx") + "?attention=1")
    )
    assert "Лицей № 2" in names
