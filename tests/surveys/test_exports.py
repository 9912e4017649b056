"""Survey responses download as XLSX from the back office; the monitoring
workbook keeps names and questions as text."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import UserFactory, fill_questionnaire
from tests.mentoring.test_exports import NASTY, assert_kept_as_text, column

pytestmark = pytest.mark.django_db

YEAR = {"starts_on": datetime.date(2025, 9, 1), "ends_on": datetime.date(2026, 6, 1)}


def _at(year, month):
    return timezone.make_aware(datetime.datetime(year, month, 15, 12))


def _before_and_after(unit, name):
    unit.mentee.last_name = name
    unit.mentee.save(update_fields=["last_name"])
    for moment, when in [("before", _at(2025, 9)), ("after", _at(2026, 5))]:
        fill_questionnaire(
            "impact-teacher",
            respondent=unit.mentee,
            pair=unit.pair,
            moment=moment,
            answers={"confidence": 4 if moment == "before" else 7},
            submitted_at=when,
        )


def _sheet(response):
    assert response.status_code == 200
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return load_workbook(io.BytesIO(content))


def test_responses_export_the_filtered_responses_of_the_own_school(
    client, pair_with_logins
):
    units = [pair_with_logins(**YEAR)]
    school = units[0].pair.organization
    units += [pair_with_logins(organization=school, **YEAR) for _ in NASTY[1:]]
    for unit, name in zip(units, NASTY, strict=True):
        _before_and_after(unit, name)
    _before_and_after(pair_with_logins(**YEAR), "Чужая")
    client.force_login(UserFactory(curator=True, organization=school))

    book = _sheet(
        client.get(reverse("admin:surveys_response_export"), {"moment": "before"})
    )

    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Анкета", "Кто ответил", "Этап")
    assert len(rows) == 1 + len(NASTY)
    assert set(column(rows, "Этап")) == {"Входное (до)"}
    assert_kept_as_text(sheet, NASTY)
    assert "Чужая" not in str(rows)


def test_a_responses_export_costs_the_same_queries_for_2_and_20_rows(
    client, pair_with_logins, django_assert_num_queries
):
    unit = pair_with_logins(**YEAR)
    client.force_login(UserFactory(curator=True, organization=unit.pair.organization))
    url = reverse("admin:surveys_response_export")
    _before_and_after(unit, "Иванова")
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)

    for _ in range(9):
        more = pair_with_logins(organization=unit.pair.organization, **YEAR)
        _before_and_after(more, "Петрова")
    with django_assert_num_queries(len(two)):
        rows = list(_sheet(client.get(url)).active.iter_rows(values_only=True))
    assert len(rows) == 21


def test_the_monitoring_workbook_keeps_typed_names_as_text(client, pair_with_logins):
    units = [pair_with_logins(**YEAR)]
    school = units[0].pair.organization
    units += [pair_with_logins(organization=school, **YEAR) for _ in NASTY[1:]]
    for unit, name in zip(units, NASTY, strict=True):
        _before_and_after(unit, name)
    client.force_login(UserFactory(curator=True, organization=school))

    book = _sheet(client.get(reverse("surveys:monitoring-xlsx"), {"year": 2025}))

    assert_kept_as_text(book["До и после — участники"], NASTY)
