"""Consent to processing and consent to transfer to third parties are separate
documents and separate records, each with its text version and the moment it
was given (152-ФЗ ст. 9 as amended by 156-ФЗ, in force since 01.09.2025)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring import services
from mentoring.consent_texts import PROCESSING, TRANSFER
from mentoring.models import AuditEntry, Consent
from tests.factories import ConsentFactory, PersonFactory, UserFactory
from tests.mentoring.orders_helpers import pdf_pages, pdf_text
from tests.pdf_layout import words_past_margins


def curator_of(person):
    return UserFactory(curator=True, organization=person.organization)


@pytest.mark.django_db
def test_consents_to_processing_and_to_transfer_are_recorded_apart():
    person = PersonFactory(student=True)
    curator = curator_of(person)
    before = timezone.now()

    processing = services.give_consent(
        person=person,
        kind=Consent.Kind.GUARDIAN,
        given_on=timezone.localdate(),
        by=curator,
    )
    transfer = services.give_consent(
        person=person,
        kind=Consent.Kind.GUARDIAN_TRANSFER,
        given_on=timezone.localdate(),
        by=curator,
    )

    assert processing.purpose == Consent.Purpose.PROCESSING
    assert transfer.purpose == Consent.Purpose.TRANSFER
    assert processing.text_version == PROCESSING.version == "2025-09/обработка"
    assert transfer.text_version == TRANSFER.version == "2025-09/передача"
    # Given today: the moment it was recorded, not only the day.
    assert before <= processing.given_at <= timezone.now()
    assert transfer.representative_name == "Иванов Пётр Сергеевич"
    entry = AuditEntry.objects.for_object(transfer).get(action="consent.given")
    assert entry.data["purpose"] == "transfer"
    assert entry.data["text_version"] == "2025-09/передача"
    assert entry.data["given_at"] == transfer.given_at.isoformat()


@pytest.mark.django_db
def test_a_paper_consent_dated_earlier_is_given_at_the_start_of_its_day():
    person = PersonFactory()
    day = timezone.localdate() - datetime.timedelta(days=3)

    consent = services.give_consent(
        person=person, kind=Consent.Kind.PERSONAL_DATA, given_on=day, by=None
    )

    assert timezone.localtime(consent.given_at).date() == day
    assert timezone.localtime(consent.given_at).time() == datetime.time(0, 0)


@pytest.mark.django_db
def test_an_electronic_consent_keeps_its_own_moment_and_refuses_another_day():
    person = PersonFactory()
    moment = timezone.now() - datetime.timedelta(days=1, hours=2)
    day = timezone.localdate(moment)

    consent = services.give_consent(
        person=person,
        kind=Consent.Kind.TRANSFER,
        given_on=day,
        given_at=moment,
        medium=Consent.Medium.ELECTRONIC,
        by=None,
    )
    assert consent.given_at == moment

    with pytest.raises(ValidationError) as error:
        services.give_consent(
            person=person,
            kind=Consent.Kind.TRANSFER,
            given_on=day - datetime.timedelta(days=1),
            given_at=moment,
            by=None,
        )
    assert error.value.code == "given_at_mismatch"


@pytest.mark.django_db
def test_a_guardian_transfer_consent_needs_the_representatives_name():
    person = PersonFactory(student=True, legal_representative="")

    with pytest.raises(ValidationError) as error:
        services.give_consent(
            person=person,
            kind=Consent.Kind.GUARDIAN_TRANSFER,
            given_on=timezone.localdate(),
            by=None,
        )

    assert "Укажите ФИО законного представителя" in str(error.value)
    assert not Consent.objects.exists()


@pytest.mark.django_db
def test_a_transfer_consent_does_not_stand_for_the_consent_to_processing():
    person = PersonFactory()
    ConsentFactory(person=person, kind=Consent.Kind.TRANSFER)

    with pytest.raises(ValidationError) as error:
        services.ensure_consents(person=person)
    assert error.value.code == "consent_missing"

    ConsentFactory(person=person, kind=Consent.Kind.PERSONAL_DATA)
    services.ensure_consents(person=person)


@pytest.mark.django_db
def test_withdrawing_the_transfer_consent_leaves_the_person_at_work():
    person = PersonFactory(consented=True)
    transfer = ConsentFactory(person=person, kind=Consent.Kind.TRANSFER)

    services.withdraw_consent(consent=transfer, by=curator_of(person))

    services.ensure_consents(person=person, as_mentor=True)


@pytest.mark.django_db
def test_the_admin_shows_the_moment_and_the_text_version(client):
    person = PersonFactory()
    consent = ConsentFactory(person=person, kind=Consent.Kind.TRANSFER)
    client.force_login(curator_of(person))

    page = client.get(reverse("admin:mentoring_consent_change", args=[consent.pk]))

    assert "2025-09/передача" in page.text
    assert "На передачу персональных данных третьим лицам" in page.text


@pytest.mark.django_db
def test_processing_and_transfer_forms_print_as_separate_documents(client):
    person = PersonFactory(
        student=True,
        last_name="Сидоров",
        first_name="Павел",
        patronymic="Андреевич",
        gender="male",
    )
    client.force_login(curator_of(person))

    processing_response = client.get(
        reverse("mentoring:consent-form", args=[person.pk])
    )
    transfer_response = client.get(
        reverse("mentoring:consent-form-transfer", args=[person.pk])
    )

    assert processing_response.status_code == transfer_response.status_code == 200
    assert "soglasie_na_peredachu" in transfer_response["Content-Disposition"]
    processing = b"".join(processing_response.streaming_content)
    transfer = b"".join(transfer_response.streaming_content)
    processing_text = pdf_text(processing)
    transfer_text = pdf_text(transfer)
    assert "Согласие на обработку персональных данных несовершеннолетнего" in (
        processing_text
    )
    assert "Редакция текста согласия: 2025-09/обработка" in processing_text
    # Transfer is no longer one of the processing actions: it has its own form.
    assert "региональному центру" not in processing_text
    assert "только на основании отдельных согласий" in processing_text
    assert (
        "Согласие на передачу персональных данных несовершеннолетнего третьим лицам"
        in transfer_text
    )
    assert "Сидорова Павла Андреевича" in transfer_text
    assert "региональный наставнический центр" in transfer_text
    assert "отдельно от согласия на обработку" in transfer_text
    assert "Редакция текста согласия: 2025-09/передача" in transfer_text
    assert pdf_pages(processing) == pdf_pages(transfer) == 1
    assert words_past_margins(processing) == words_past_margins(transfer) == []


@pytest.mark.django_db
def test_the_admin_action_prints_transfer_forms_for_the_selected(client):
    first = PersonFactory(last_name="Орлова")
    second = PersonFactory(organization=first.organization, last_name="Зайцева")
    client.force_login(curator_of(first))

    response = client.post(
        reverse("admin:mentoring_person_changelist"),
        {"action": "consent_transfer_forms", "_selected_action": [first.pk, second.pk]},
    )

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    text = pdf_text(content)
    assert text.count("Согласие на передачу персональных данных третьим лицам") == 2
    assert pdf_pages(content) == 2


def _exported_names(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("admin:mentoring_person_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    return {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}


@pytest.mark.django_db
def test_the_districts_download_holds_only_people_who_consented_to_transfer(client):
    agreed = PersonFactory(last_name="Согласова", consented=True)
    ConsentFactory(person=agreed, kind=Consent.Kind.TRANSFER)
    minor = PersonFactory(
        student=True, organization=agreed.organization, last_name="Юнов"
    )
    ConsentFactory(person=minor, kind=Consent.Kind.GUARDIAN)
    ConsentFactory(person=minor, kind=Consent.Kind.GUARDIAN_TRANSFER)
    withdrawn = PersonFactory(organization=agreed.organization, last_name="Отозвова")
    ConsentFactory(person=withdrawn, kind=Consent.Kind.TRANSFER, withdrawn=True)
    silent = PersonFactory(organization=agreed.organization, last_name="Молчанова")
    methodologist = UserFactory(
        methodologist=True, district=agreed.organization.district
    )

    district = _exported_names(client, methodologist)
    school = _exported_names(client, curator_of(agreed))

    assert {name.split()[0] for name in district} == {"Согласова", "Юнов"}
    assert {name.split()[0] for name in school} == {
        "Согласова",
        "Юнов",
        "Отозвова",
        "Молчанова",
    }
    assert silent.full_name in school


@pytest.mark.django_db
def test_a_schools_register_tells_transfer_from_processing_consents(
    client, settings, tmp_path
):
    from tests.mentoring.test_consent_bank_import import preview, xlsx

    settings.MEDIA_ROOT = tmp_path
    curator = UserFactory(curator=True)
    client.force_login(curator)
    teacher = PersonFactory(organization=curator.organization, school_id="1001")
    minor = PersonFactory(
        organization=curator.organization,
        student=True,
        last_name="Петров",
        first_name="Иван",
        patronymic="Ильич",
    )
    given = timezone.localdate() - datetime.timedelta(days=10)
    rows = [
        ["Таб. номер", "ФИО", "Дата рождения", "Вид согласия", "Дата согласия",
         "Кто дал согласие"],
        [1001.0, teacher.full_name, None, "Согласие на передачу ПДн третьим лицам",
         given.strftime("%d.%m.%Y"), None],
        [1001.0, teacher.full_name, None, "Согласие на обработку и передачу ПДн",
         given.strftime("%d.%m.%Y"), None],
        [None, minor.full_name, minor.birth_date.strftime("%d.%m.%Y"),
         "Согласие законного представителя на передачу персональных данных",
         given.strftime("%d.%m.%Y"), "Петрова Анна Сергеевна"],
    ]  # fmt: skip

    url, _page = preview(client, curator, xlsx(rows), kind="consents")
    client.post(url, {"action": "confirm"})

    assert set(teacher.consents.values_list("kind", flat=True)) == {
        Consent.Kind.TRANSFER,
        Consent.Kind.PERSONAL_DATA,
    }
    guardian = minor.consents.get()
    assert guardian.kind == Consent.Kind.GUARDIAN_TRANSFER
    # A register gives the day only, and not which blank was signed.
    assert timezone.localtime(guardian.given_at).date() == given
    assert guardian.text_version == ""
