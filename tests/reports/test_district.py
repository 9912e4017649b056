"""The methodologist's report: the district summed and a row per school."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import ReportSubmission
from tests.factories import OrganizationFactory, PairFactory, UserFactory
from tests.reports.test_report_pages import surnames, workbook_text


@pytest.fixture
def methodologist(known, client):
    user = UserFactory(methodologist=True, district=known.school.district)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_district_page_sums_and_lists_its_schools(known, methodologist, client):
    ReportSubmission.objects.create(
        organization=known.school,
        period_start=known.pairs["P1"].starts_on.replace(month=9, day=1),
        period_end=known.pairs["P1"].ends_on.replace(month=8, day=31),
        figures={},
        sent_at="2026-06-01T10:00:00+03:00",
    )

    response = client.get(reverse("reports:district") + "?year=2025")

    text = response.text
    assert "Школа № 1" in text and "Школа № 2" in text
    assert "Школа другого района" not in text
    assert "отправлен 01.06.2026" in text and "не отправлен" in text
    # Summed: 12 teachers, 4 pairs and a group over the two schools.
    assert "Педагогических работников</td>" in text
    assert ">12<" in text.split("Педагогических работников</td>")[1][:80]


@pytest.mark.django_db
def test_the_district_workbook_has_a_sheet_per_organization_row(
    known, methodologist, client
):
    response = client.get(reverse("reports:district-xlsx") + "?year=2025")

    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["По организациям"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("Школа № 1", "не отправлен", 3),
        ("Школа № 2", "не отправлен", 1),
    ]
    assert not surnames() & set(workbook_text(response.content).split())


@pytest.mark.django_db
def test_the_district_page_takes_the_same_queries_at_two_sizes(
    known, methodologist, client, django_assert_num_queries
):
    url = reverse("reports:district") + "?year=2025"
    client.get(url)  # warm the session and the catalogue
    with django_assert_num_queries(14) as small:
        client.get(url)
    for _ in range(5):
        PairFactory(
            organization=OrganizationFactory(district=known.school.district),
            active=True,
        )
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_a_school_does_not_open_the_district_page(known, client):
    client.force_login(UserFactory(curator=True, organization=known.school))

    assert client.get(reverse("reports:district")).status_code == 404
