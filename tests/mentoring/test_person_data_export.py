"""A person's data on request, as one file (152-ФЗ ст. 14)."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring import services
from mentoring.models import AuditEntry, Consent, MentorAgreement, Participation
from surveys.services import current_version, submit_response
from tests.factories import (
    ActivityFactory,
    MeetingFactory,
    OrganizationFactory,
    PairFactory,
    ParticipationFactory,
    PersonFactory,
    QuestionnaireFactory,
    UserFactory,
    years_ago,
)

PDF = b"%PDF-1.4\n% scanned consent\n"


@pytest.fixture
def person(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    organization = OrganizationFactory()
    person = PersonFactory(
        organization=organization,
        last_name="Журавлёва",
        first_name="Жанна",
        patronymic="Игоревна",
        email="zhanna@example.ru",
        phone="+7 900 123-45-67",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.give_consent(
            person=person,
            kind=Consent.Kind.PERSONAL_DATA,
            given_on=years_ago(1),
            by=None,
            scan=SimpleUploadedFile("scan.pdf", PDF, "application/pdf"),
        )
    services.give_consent(
        person=person, kind=Consent.Kind.TRANSFER, given_on=years_ago(1), by=None
    )
    partner = PersonFactory(organization=organization, last_name="Соседова")
    pair = PairFactory(organization=organization, active=True, people=False)
    ParticipationFactory(pair=pair, person=person, role=Participation.Role.MENTEE)
    ParticipationFactory(pair=pair, person=partner, role=Participation.Role.MENTOR)
    MeetingFactory(pair=pair, topic="Планирование урока по ФОП")
    questionnaire = QuestionnaireFactory(organization=organization)
    questions = list(current_version(questionnaire).questions.all())
    submit_response(
        questionnaire=questionnaire,
        respondent=person,
        raw={questions[0].pk: 5, questions[1].pk: "Наставник очень помог"},
        by=None,
    )
    ActivityFactory(
        stage__roadmap__organization=organization,
        content="Провести педсовет по наставничеству",
        responsible=[person],
    )
    return person


def download(client, person, user):
    client.force_login(user)
    return client.get(reverse("mentoring:person-data-export", args=[person.pk]))


@pytest.mark.django_db
def test_the_curator_downloads_everything_held_about_the_person(client, person):
    curator = UserFactory(curator=True, organization=person.organization)

    response = download(client, person, curator)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    consent = person.consents.get(kind=Consent.Kind.PERSONAL_DATA)
    assert sorted(archive.namelist()) == [
        f"files/soglasie_{consent.pk}.pdf",
        "svedeniya.json",
        "svedeniya.xlsx",
    ]
    assert archive.read(f"files/soglasie_{consent.pk}.pdf") == PDF
    data = json.loads(archive.read("svedeniya.json"))
    sections = {s["title"]: s["rows"] for s in data["sections"]}
    card = {row["Поле"]: row["Значение"] for row in sections["Сведения об участнике"]}
    assert card["фамилия"] == "Журавлёва"
    assert card["эл. почта"] == "zhanna@example.ru"
    assert card["телефон"] == "+7 900 123-45-67"
    consents = sections["Согласия"]
    assert {row["Цель"] for row in consents} == {"обработка", "передача третьим лицам"}
    assert {row["Редакция текста"] for row in consents} == {
        "2025-09/обработка",
        "2025-09/передача",
    }
    assert sections["Пары и группы"][0]["Роль"] == "Наставляемый"
    assert sections["Встречи"][0]["Тема"] == "Планирование урока по ФОП"
    answers = [row["Ответ"] for row in sections["Ответы на анкеты"]]
    assert "Наставник очень помог" in answers
    assert sections["Дорожная карта (ответственный)"][0]["Мероприятие"] == (
        "Провести педсовет по наставничеству"
    )
    assert any(
        row["Действие"] == "consent.given" for row in sections["Журнал изменений"]
    )
    # Only this person: the partner in the pair is not named.
    assert "Соседова" not in archive.read("svedeniya.json").decode()
    book = load_workbook(io.BytesIO(archive.read("svedeniya.xlsx")))
    assert "Согласия" in book.sheetnames
    assert book["Сведения об участнике"]["A1"].value == "Поле"


@pytest.mark.django_db
def test_the_export_leaves_an_audit_entry(client, person):
    director = UserFactory(director=True, organization=person.organization)
    before = timezone.now()

    assert download(client, person, director).status_code == 200

    entry = AuditEntry.objects.for_object(person).get(action="person.data_exported")
    assert entry.actor == director and entry.at >= before
    assert entry.organization == person.organization
    assert entry.data["files"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("psychologist", 403), ("methodologist", 403), ("participant", 404)],
)
def test_others_at_the_school_do_not_hand_the_data_out(client, person, role, status):
    organization = person.organization
    user = {
        "psychologist": lambda: UserFactory(
            psychologist=True, organization=organization
        ),
        "methodologist": lambda: UserFactory(
            methodologist=True, district=organization.district
        ),
        "participant": lambda: (
            PersonFactory(
                organization=organization, user=UserFactory(organization=organization)
            ).user
        ),
    }[role]()

    assert download(client, person, user).status_code == status
    assert not AuditEntry.objects.filter(action="person.data_exported").exists()


@pytest.mark.django_db
def test_another_schools_curator_does_not_find_the_person(client, person):
    stranger = UserFactory(curator=True, organization=OrganizationFactory())

    assert download(client, person, stranger).status_code == 404


@pytest.mark.django_db
def test_a_mentors_agreement_and_its_scan_go_into_the_export(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    organization = OrganizationFactory()
    mentor = PersonFactory(organization=organization, last_name="Лебедева")
    pair = PairFactory(organization=organization, active=True, people=False)
    ParticipationFactory(pair=pair, person=mentor, role=Participation.Role.MENTOR)
    agreement = MentorAgreement.objects.create(
        pair=pair,
        mentor=mentor,
        contract_number="17-тд",
        content="Планирование уроков с наставляемым",
        starts_on=pair.starts_on,
        ends_on=pair.ends_on,
        pay=MentorAgreement.Pay.PERCENT,
        pay_value=15,
        scan=SimpleUploadedFile("soglashenie.pdf", PDF, "application/pdf"),
    )
    curator = UserFactory(curator=True, organization=organization)

    response = download(client, mentor, curator)

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.read(f"files/soglashenie_{agreement.pk}.pdf") == PDF
    data = json.loads(archive.read("svedeniya.json"))
    sections = {s["title"]: s["rows"] for s in data["sections"]}
    (row,) = sections["Соглашения о наставничестве"]
    assert row["Трудовой договор"] == "№ 17-тд"
    assert row["Содержание"] == "Планирование уроков с наставляемым"
    assert row["Скан"] == f"files/soglashenie_{agreement.pk}.pdf"
