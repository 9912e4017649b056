"""The report's page, workbook and PDF: the figures, and no one's name."""

import io
import re
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentoring.models import Person
from tests.factories import UserFactory

YEAR = "year=2025"


def pdf_text(content: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return re.sub(r"\s+", " ", text)


def surnames():
    return set(Person.objects.values_list("last_name", flat=True))


def workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(
        str(cell.value)
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


@pytest.fixture
def curator(known, client):
    user = UserFactory(curator=True, organization=known.school)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_school_page_shows_the_figures_and_charts(known, curator, client):
    url = reverse("reports:organization", args=[known.school.pk])

    response = client.get(f"{url}?{YEAR}")

    text = response.text
    assert "Информация о реализации программы наставничества" in text
    assert "2025/2026 учебный год" in text
    assert re.search(r"Педагогических работников</td>\s*<td[^>]*>10<", text)
    assert re.search(
        r"Доля молодых специалистов в наставничестве</td>\s*<td[^>]*>50,0", text
    )
    assert "Пары и группы по формам наставничества" in text
    assert text.count("<svg") == 2
    assert not surnames() & set(re.findall(r"[А-ЯЁ][а-яё-]+", text))


@pytest.mark.django_db
def test_the_pdf_is_the_information_with_figures_and_no_names(known, curator, client):
    url = reverse("reports:organization-pdf", args=[known.school.pk])

    response = client.get(f"{url}?{YEAR}")

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert "ИНФОРМАЦИЯ" in text
    assert "о реализации программы наставничества" in text
    assert "за 2025/2026 учебный год" in text
    assert re.search(r"Педагогических работников 10\b", text)
    assert re.search(r"Полнота обратной связи 33,3 %", text)
    assert re.search(r"Учитель – учитель 3 0", text)
    assert "С.А. Анисимова" in text  # the head signs
    assert not surnames() & set(text.split())


@pytest.mark.django_db
def test_the_workbook_holds_the_same_figures_and_no_names(known, curator, client):
    url = reverse("reports:organization-xlsx", args=[known.school.pk])

    response = client.get(f"{url}?{YEAR}")

    book = load_workbook(io.BytesIO(response.content))
    figures = {
        row[0].strip(): row[1]
        for row in book["Показатели"].iter_rows(min_row=2, values_only=True)
    }
    assert figures["Педагогических работников"] == 10
    assert figures["Доля завершённых программ"] == pytest.approx(33.3)
    assert figures["Удовлетворённость наставляемых"] == pytest.approx(75.0)
    assert not surnames() & set(workbook_text(response.content).split())


@pytest.mark.django_db
def test_a_period_without_data_says_so_in_russian(known, curator, client):
    url = reverse("reports:organization", args=[known.school.pk])

    response = client.get(f"{url}?year=2020")

    assert response.status_code == 200
    assert "За 2020/2021 учебный год данных нет" in response.text
    assert '<option value="2020" selected>' in response.text
    assert "<svg" not in response.text
    pdf = client.get(
        reverse("reports:organization-pdf", args=[known.school.pk]) + "?year=2020"
    )
    assert "ИНФОРМАЦИЯ" in pdf_text(b"".join(pdf.streaming_content))


@pytest.mark.django_db
def test_another_districts_methodologist_does_not_find_the_school(known, client):
    client.force_login(
        UserFactory(methodologist=True, district=known.stranger.district)
    )

    for name in ("reports:organization", "reports:organization-pdf"):
        response = client.get(reverse(name, args=[known.school.pk]))
        assert response.status_code == 404
