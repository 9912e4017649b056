"""Sending the report to the municipality: recorded once per period, its
figures frozen; refused in Russian for a second time or an empty period."""

import pytest
from django.core import mail
from django.urls import reverse

from mentoring.models import AuditEntry
from reports.models import ReportSubmission
from reports.selectors import NOT_SENT, report_statuses
from tests.factories import MeetingFactory, UserFactory
from tests.reports.conftest import PERIOD, at
from tests.reports.test_report_pages import pdf_text


def _send(client, school, year=2025, notes=""):
    return client.post(
        reverse("reports:send", args=[school.pk]),
        {"year": year, "notes": notes},
        follow=True,
    )


@pytest.mark.django_db
def test_the_curator_sends_the_report_once(known, client):
    curator = UserFactory(curator=True, organization=known.school)
    client.force_login(curator)

    response = _send(client, known.school, notes="Не хватает наставников-предметников.")

    assert "Отчёт за 2025/2026 учебный год отправлен в муниципалитет." in response.text
    sent = ReportSubmission.objects.get(organization=known.school)
    assert (sent.period_start, sent.period_end) == (PERIOD.start, PERIOD.end)
    assert sent.status == ReportSubmission.Status.SENT
    assert sent.sent_by == curator
    assert sent.figures["meetings"] == 3
    assert AuditEntry.objects.filter(action="report.sent", object_id=sent.pk).exists()

    again = _send(client, known.school)

    assert "уже отправлен" in again.text
    assert "повторно не отправляется" in again.text
    assert ReportSubmission.objects.count() == 1


@pytest.mark.django_db
def test_the_districts_methodologist_is_told_by_mail(
    known, client, django_capture_on_commit_callbacks
):
    UserFactory(
        methodologist=True, district=known.school.district, email="imc@example.ru"
    )
    UserFactory(
        methodologist=True, district=known.stranger.district, email="other@example.ru"
    )
    client.force_login(UserFactory(curator=True, organization=known.school))

    with django_capture_on_commit_callbacks(execute=True):
        _send(client, known.school)

    [letter] = mail.outbox
    assert letter.to == ["imc@example.ru"]
    assert "Школа № 1, 2025/2026 учебный год" in letter.subject
    sent = ReportSubmission.objects.get()
    assert reverse("reports:submission-pdf", args=[sent.pk]) in letter.body


@pytest.mark.django_db
def test_the_sent_report_keeps_its_figures(known, client):
    client.force_login(UserFactory(director=True, organization=known.school))
    _send(client, known.school, notes="Проведён круглый стол.")
    sent = ReportSubmission.objects.get()
    # A meeting entered later changes the page, not the report sent.
    MeetingFactory(pair=known.pairs["P3"], starts_at=at(2026, 3))

    pdf = client.get(reverse("reports:submission-pdf", args=[sent.pk]))
    page = client.get(
        reverse("reports:organization", args=[known.school.pk]) + "?year=2025"
    )

    text = pdf_text(b"".join(pdf.streaming_content))
    assert "Проведено встреч 3" in text
    assert "Проведён круглый стол." in text
    assert "отчёт отправлен" in text
    assert "Проведено встреч</td>" in page.text
    assert ">4<" in page.text.split("Проведено встреч</td>")[1][:80]


@pytest.mark.django_db
def test_a_period_without_data_is_not_sent(known, client):
    client.force_login(UserFactory(curator=True, organization=known.school))

    response = _send(client, known.school, year=2020)

    assert "За период 2020/2021 учебный год нет данных" in response.text
    assert "Отчёт не отправлен." in response.text
    assert not ReportSubmission.objects.exists()


@pytest.mark.django_db
def test_the_psychologist_and_the_district_do_not_send(known, client):
    for user in (
        UserFactory(psychologist=True, organization=known.school),
        UserFactory(methodologist=True, district=known.school.district),
    ):
        client.force_login(user)
        assert _send(client, known.school).status_code == 403
    assert not ReportSubmission.objects.exists()


@pytest.mark.django_db
def test_the_districts_methodologist_accepts_a_sent_report(known, client):
    client.force_login(UserFactory(curator=True, organization=known.school))
    _send(client, known.school)
    sent = ReportSubmission.objects.get()
    stranger = UserFactory(methodologist=True, district=known.stranger.district)
    client.force_login(stranger)
    url = reverse("reports:accept", args=[sent.pk])
    assert client.post(url).status_code == 404

    client.force_login(UserFactory(methodologist=True, district=known.school.district))
    response = client.post(url, follow=True)

    assert "Отчёт принят." in response.text
    sent.refresh_from_db()
    assert sent.status == ReportSubmission.Status.ACCEPTED
    assert "уже принят" in client.post(url, follow=True).text


@pytest.mark.django_db
def test_report_statuses_name_each_organization(known, client):
    client.force_login(UserFactory(curator=True, organization=known.school))
    _send(client, known.school)
    ids = [known.school.pk, known.other.pk]

    statuses = report_statuses(
        organization_ids=ids, period_start=PERIOD.start, period_end=PERIOD.end
    )

    assert statuses[known.school.pk].startswith("отправлен ")
    assert statuses[known.other.pk] == NOT_SENT
    other_year = report_statuses(
        organization_ids=ids,
        period_start=PERIOD.start.replace(year=2024),
        period_end=PERIOD.end.replace(year=2025),
    )
    assert set(other_year.values()) == {NOT_SENT}
