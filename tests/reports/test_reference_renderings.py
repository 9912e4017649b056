"""The printed report looks as its reference renderings, every page
(tests/reference_images.py; UPDATE_REFERENCE=1 rewrites them)."""

import datetime
from pathlib import Path

import pytest

from mentoring.models import Organization
from reports.documents import report_pdf
from reports.selectors import district_report, school_report
from tests.reference_images import assert_matches_reference
from tests.reports.conftest import PERIOD

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference"
MADE_ON = datetime.date(2026, 6, 1)


def test_the_schools_report_looks_as_its_reference(known, tmp_path):
    known.school.full_name = "ГБОУ средняя общеобразовательная школа № 1"
    report = school_report(organization=known.school, period=PERIOD)
    content = report_pdf(
        report,
        made_on=MADE_ON,
        notes="Не хватает наставников для учителей начальных классов.",
        sent_label="отправлен 01.06.2026",
        signer_position="Директор",
        signer="С.А. Анисимова",
    )
    assert_matches_reference(content, REFERENCE, "report_school", tmp_path)


def test_the_districts_report_looks_as_its_reference(known, tmp_path):
    report = district_report(
        organizations=Organization.objects.filter(district=known.school.district),
        period=PERIOD,
        scope="Невский район",
    )
    content = report_pdf(
        report,
        made_on=MADE_ON,
        signer_position="Методист района",
        signer="И.П. Смирнова",
    )
    assert_matches_reference(content, REFERENCE, "report_district", tmp_path)
