"""Scanned consents are personal data: only those who see the consent get the file."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import Consent
from tests.factories import OrganizationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% scanned consent\n"


@pytest.fixture
def scanned(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory()
    return services.give_consent(
        person=person,
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=timezone.localdate(),
        by=None,
        scan=SimpleUploadedFile("Иванова_паспорт.pdf", PDF, "application/pdf"),
    )


def test_scan_gets_a_random_name_and_is_served_to_the_schools_curator(client, scanned):
    assert "Иванова" not in scanned.scan.name
    assert scanned.scan.url.startswith("/files/consents/")
    client.force_login(
        UserFactory(curator=True, organization=scanned.person.organization)
    )
    response = client.get(scanned.scan.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_scan_is_not_found_for_another_school_and_asks_strangers_to_log_in(
    client, scanned
):
    assert client.get(scanned.scan.url).status_code == 302
    client.force_login(UserFactory(curator=True, organization=OrganizationFactory()))
    assert client.get(scanned.scan.url).status_code == 404
    assert (
        client.get(reverse("private-file", args=["other/secret.pdf"])).status_code
        == 404
    )


def test_the_schools_psychologist_is_refused_the_scan(client, scanned):
    # Her work (mentees' support, surveys) does not need a family's consent.
    client.force_login(
        UserFactory(psychologist=True, organization=scanned.person.organization)
    )
    assert client.get(scanned.scan.url).status_code == 403
    consent_form = reverse("mentoring:consent-form", args=[scanned.person.pk])
    assert client.get(consent_form).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.exe", b"MZ", "Разрешенные расширения: pdf, jpg, jpeg, png"),
        ("scan.pdf", b"0" * (10 * 1024 * 1024 + 1), "Файл больше 10 МБ"),
    ],
)
def test_bad_scans_are_refused_with_a_russian_message(
    settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.give_consent(
            person=person,
            kind=Consent.Kind.PERSONAL_DATA,
            given_on=timezone.localdate(),
            by=None,
            scan=SimpleUploadedFile(name, content),
        )
    assert message in str(error.value)
    assert not person.consents.exists()
