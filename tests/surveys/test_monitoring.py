"""Monitoring: aggregates in SQL, charts from the same numbers, exports."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from surveys.charts import bar_chart, line_chart
from surveys.models import Response
from surveys.monitoring import Period, monitoring
from surveys.monitoring_page import figure, pair_rows
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    UserFactory,
    fill_questionnaire,
)

PERIOD = Period(2025)


def _at(year, month, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


@pytest.fixture
def school(pair_with_logins):
    """Two pairs working in 2025/2026 with feedback, satisfaction, before/after."""
    year = {
        "starts_on": datetime.date(2025, 9, 1),
        "ends_on": datetime.date(2026, 6, 1),
    }
    teachers = pair_with_logins(**year)
    students = pair_with_logins(organization=teachers.pair.organization, **year)
    held = [
        MeetingFactory(pair=teachers.pair, starts_at=_at(2025, 10)),
        MeetingFactory(pair=teachers.pair, starts_at=_at(2025, 11)),
        MeetingFactory(pair=students.pair, starts_at=_at(2025, 11)),
        MeetingFactory(pair=students.pair, starts_at=_at(2025, 12)),
    ]
    # Mentors answered three of four meetings; mentees one.
    for meeting, unit, goal in [
        (held[0], teachers, 6),
        (held[1], teachers, 8),
        (held[2], students, 9),
    ]:
        fill_questionnaire(
            "meeting-feedback-mentor",
            respondent=unit.mentor,
            meeting=meeting,
            answers={"goal_reached": goal},
            submitted_at=meeting.starts_at,
        )
    fill_questionnaire(
        "meeting-feedback-mentee",
        respondent=teachers.mentee,
        meeting=held[0],
        answers={"usefulness": 10, "comfort": 8},
        submitted_at=held[0].starts_at,
    )
    fill_questionnaire(
        "satisfaction-mentee",
        respondent=teachers.mentee,
        pair=teachers.pair,
        answers={"satisfaction": 9, "effectiveness": 7},
        submitted_at=_at(2026, 5),
    )
    for moment, confidence, comfort in [("before", 4, 5), ("after", 7, 9)]:
        fill_questionnaire(
            "impact-teacher",
            respondent=teachers.mentee,
            pair=teachers.pair,
            moment=moment,
            answers={"confidence": confidence, "team_comfort": comfort},
            submitted_at=_at(
                2025 + (moment == "after"), 9 if moment == "before" else 5
            ),
        )
    return teachers, students


@pytest.mark.django_db
def test_rates_averages_and_deltas_are_computed_in_sql(
    school, django_assert_max_num_queries
):
    teachers, _students = school
    curator = UserFactory(curator=True, organization=teachers.pair.organization)

    # Nine aggregates and the check that the roll-ups are current.
    with django_assert_max_num_queries(10):
        result = monitoring(user=curator, period=PERIOD)

    rates = result.rates
    assert (rates["meetings"], rates["mentor_feedback"], rates["mentee_feedback"]) == (
        4,
        3,
        1,
    )
    assert rates["mentor_feedback_rate"] == 75
    assert rates["mentee_feedback_rate"] == 25
    assert (rates["asked"], rates["satisfaction_answered"]) == (4, 1)
    goal = next(r for r in result.question_averages if r["code"] == "goal_reached")
    assert float(goal["average"]) == pytest.approx(23 / 3, abs=0.01)
    assert goal["answers"] == 3
    confidence = next(
        r for r in result.deltas_by_question if r["text"].startswith("Уверенность")
    )
    assert (confidence["before"], confidence["after"], confidence["delta"]) == (4, 7, 3)
    [person] = result.deltas_by_participant
    # Scale questions only: (4 + 5 + lowest 1) before, (7 + 9 + 1) after.
    assert float(person["before"]) == pytest.approx(10 / 3, abs=0.01)
    assert float(person["delta"]) == pytest.approx(7 / 3, abs=0.01)
    [pair_row] = result.deltas_by_pair
    assert pair_row["pair"] == teachers.pair.pk
    october = result.trend["months"].index(datetime.date(2025, 10, 1))
    assert float(result.trend["feedback"][october]) == pytest.approx(
        (6 + 10 + 8) / 3, abs=0.01
    )


@pytest.mark.django_db
def test_monitoring_leaves_out_another_schools_answers(school, pair_with_logins):
    teachers, _students = school
    elsewhere = pair_with_logins()
    meeting = MeetingFactory(pair=elsewhere.pair, starts_at=_at(2025, 10))
    fill_questionnaire(
        "meeting-feedback-mentor",
        respondent=elsewhere.mentor,
        meeting=meeting,
        answers={"goal_reached": 1},
        submitted_at=meeting.starts_at,
    )
    curator = UserFactory(curator=True, organization=teachers.pair.organization)

    result = monitoring(user=curator, period=PERIOD)

    assert result.rates["meetings"] == 4
    goal = next(r for r in result.question_averages if r["code"] == "goal_reached")
    assert goal["answers"] == 3


def test_bar_chart_draws_each_value_to_scale():
    svg = bar_chart([("Учитель – учитель", 90), ("Ученик – ученик", 45)], max_value=100)

    assert svg.count("<rect") == 2
    assert 'data-value="90"' in svg and 'data-value="45"' in svg
    widths = [
        float(part.split('"')[0]) for part in svg.split('width="')[2:]
    ]  # the first width is the svg's own
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    assert ">90<" in svg and ">45<" in svg


def test_line_chart_leaves_a_gap_for_months_without_answers():
    svg = line_chart(
        ["сен", "окт", "ноя", "дек"],
        [("Обратная связь", [7.5, 8, None, 9])],
        max_value=10,
    )

    assert svg.count("<circle") == 3
    assert svg.count("<polyline") == 1  # сен–окт; дек stands alone
    assert "окт: 8<" in svg and "сен: 7,5<" in svg


@pytest.mark.django_db
def test_monitoring_page_shows_the_numbers_and_charts(client, school):
    teachers, _students = school
    client.force_login(
        UserFactory(director=True, organization=teachers.pair.organization)
    )

    page = client.get(reverse("surveys:monitoring"), {"year": 2025}).text

    assert "2025/2026 учебный год" in page
    assert "75,0&nbsp;%" in page
    assert page.count("<svg") == 3
    assert "Уверенность в своих педагогических умениях" in page


@pytest.mark.django_db
def test_participants_do_not_open_monitoring(client, pair_with_logins):
    unit = pair_with_logins()
    client.force_login(unit.mentor.user)

    assert client.get(reverse("surveys:monitoring")).status_code == 404


@pytest.mark.django_db
def test_monitoring_exports_to_xlsx(client, school):
    teachers, _students = school
    client.force_login(
        UserFactory(curator=True, organization=teachers.pair.organization)
    )

    response = client.get(reverse("surveys:monitoring-xlsx"), {"year": 2025})

    book = load_workbook(io.BytesIO(response.content))
    rates = {row[0]: row[1] for row in book["Охват"].iter_rows(values_only=True)}
    assert rates["Доля с обратной связью наставника, %"] == 75
    deltas = list(book["До и после — вопросы"].iter_rows(values_only=True))
    assert ("Уверенность в своих педагогических умениях", 4, 7, 3) in [
        (r[0], r[2], r[3], r[4]) for r in deltas
    ]


@pytest.mark.django_db
def test_monitoring_report_prints_as_pdf(client, school, tmp_path):
    teachers, _students = school
    client.force_login(
        UserFactory(curator=True, organization=teachers.pair.organization)
    )

    response = client.get(reverse("surveys:monitoring-pdf"), {"year": 2025})

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "СПРАВКА" in text.replace(" ", "")  # letter-spaced
    assert "2025/2026 учебный год" in text
    assert "Встреч с обратной связью наставника" in text
    assert "Уверенность в своих педагогических умениях" in text
    assert Response.objects.count() == 7


@pytest.mark.django_db
def test_methodologist_sees_the_districts_schools_and_picks_one(client, school):
    teachers, _students = school
    district = teachers.pair.organization.district
    other_district = UserFactory(curator=True).organization
    methodologist = UserFactory(methodologist=True, district=district)
    client.force_login(methodologist)
    url = reverse("surveys:monitoring")

    whole = client.get(url, {"year": 2025})
    one = client.get(url, {"year": 2025, "organization": teachers.pair.organization.pk})

    assert whole.context["result"].rates["meetings"] == 4
    assert one.context["result"].rates["meetings"] == 4
    assert district.name in whole.text
    other = client.get(url, {"year": 2025, "organization": other_district.pk})
    assert other.status_code == 404


@pytest.mark.django_db
def test_the_school_choice_lists_the_districts_schools_only_when_several(
    client, school
):
    teachers, _students = school
    first = teachers.pair.organization
    second = OrganizationFactory(district=first.district, short_name="Школа № 2")
    OrganizationFactory(short_name="Чужая школа")
    url = reverse("surveys:monitoring")
    client.force_login(UserFactory(methodologist=True, district=first.district))

    page = client.get(url, {"year": 2025, "organization": second.pk}).text

    assert f'<option value="{first.pk}">{first.short_name}</option>' in page
    assert f'<option value="{second.pk}" selected>Школа № 2</option>' in page
    assert "Чужая школа" not in page
    client.force_login(UserFactory(curator=True, organization=first))
    assert 'id="organization"' not in client.get(url, {"year": 2025}).text


@pytest.mark.django_db
def test_the_districts_monitoring_report_names_no_participant(client, school, tmp_path):
    # What leaves the school carries counts, not people (156-ФЗ: no transfer
    # consent is needed for it).
    teachers, students = school
    district = teachers.pair.organization.district
    client.force_login(UserFactory(methodologist=True, district=district))
    names = [
        unit.last_name
        for pair in (teachers, students)
        for unit in (pair.mentor, pair.mentee)
    ]

    response = client.get(reverse("surveys:monitoring-pdf"), {"year": 2025})
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    workbook = client.get(reverse("surveys:monitoring-xlsx"), {"year": 2025})
    book = load_workbook(io.BytesIO(workbook.content))
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )

    assert "Встреч с обратной связью наставника" in text
    assert "Участник №" in cells  # the before/after rows stay, by number
    for name in names:
        assert name not in text and name not in cells, name
    # The school's own printed справка is made to be sent out too.
    client.force_login(
        UserFactory(curator=True, organization=teachers.pair.organization)
    )
    printed = client.get(reverse("surveys:monitoring-pdf"), {"year": 2025})
    pdf.write_bytes(b"".join(printed.streaming_content))
    own = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert not any(name in own for name in names)


def test_the_before_after_rows_print_as_the_template_did():
    """The page's before/after rows are built in Python (monitoring_page.py):
    each figure as Django's template prints it, names escaped."""
    printed = Template('{{ v|default_if_none:"—" }}')
    for value in ("7.50", "-3.00", "0.00", "-0.00", "10.00", "0.33", None):
        value = None if value is None else Decimal(value)
        assert figure(value) == printed.render(Context({"v": value}))
    row = {"pair": 7, "form": "<b>Группа</b>", "before": None, "after": Decimal("4.50")}
    assert pair_rows([{**row, "delta": None}]) == (
        "<tr><td>№ 7, &lt;b&gt;Группа&lt;/b&gt;</td>"
        '<td class="text-end">—</td><td class="text-end">4,50</td>'
        '<td class="text-end fw-semibold">—</td></tr>'
    )
