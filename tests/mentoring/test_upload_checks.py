"""Uploads are checked by content, served as what they are and stored
readable by the application's user only (issue 12)."""

import stat

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import AuditEntry, Consent, PersonDocument
from mentoring.models.documents import DocumentKind
from mentoring.services import orders as order_services
from tests.factories import ConsentFactory, PersonFactory, UserFactory
from tests.mentoring.admin_helpers import admin_form_data

from .orders_helpers import named_pair

pytestmark = pytest.mark.django_db


def today():
    # At run time, not import: a run may cross midnight in the school's zone.
    return timezone.localdate()


PDF = b"%PDF-1.7\n% scanned consent\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
NOT_A_SCAN = "по содержимому это не PDF, JPG и не PNG"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def curator(client, media):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _files(media):
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("content", [EXECUTABLE, SCRIPT, b""])
def test_the_consent_admin_refuses_a_file_that_is_no_scan_whatever_its_name(
    client, curator, media, content
):
    person = PersonFactory(organization=curator.organization)
    url = reverse("admin:mentoring_consent_add")
    data = admin_form_data(
        client.get(url),
        person=person.pk,
        kind=Consent.Kind.PERSONAL_DATA,
        medium=Consent.Medium.PAPER,
        given_on=today().strftime("%d.%m.%Y"),
        scan=SimpleUploadedFile("согласие.pdf", content, "application/pdf"),
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert NOT_A_SCAN in response.text or "Отправленный файл пуст" in response.text
    assert not Consent.objects.exists()
    assert _files(media) == []


def test_replacing_a_scan_with_an_executable_keeps_the_old_scan(client, curator, media):
    consent = services.give_consent(
        person=PersonFactory(organization=curator.organization),
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=today(),
        by=curator,
        scan=SimpleUploadedFile("first.pdf", PDF),
    )
    url = reverse("admin:mentoring_consent_change", args=[consent.pk])

    response = client.post(
        url,
        admin_form_data(
            client.get(url), scan=SimpleUploadedFile("second.pdf", EXECUTABLE)
        ),
    )

    assert response.status_code == 200
    assert NOT_A_SCAN in response.text
    consent.refresh_from_db()
    assert default_storage.open(consent.scan.name).read() == PDF
    assert len(_files(media)) == 1


def test_the_person_page_refuses_a_document_scan_that_is_an_executable(
    client, curator, media
):
    person = PersonFactory(organization=curator.organization, employer=True)
    url = reverse("admin:mentoring_person_change", args=[person.pk])
    page = client.get(url)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is PersonDocument and inline.formset.extra
    )
    data = admin_form_data(
        page,
        **{
            f"{prefix}-0-kind": DocumentKind.CRIMINAL_RECORD,
            f"{prefix}-0-issued_on": today().strftime("%d.%m.%Y"),
            f"{prefix}-0-scan": SimpleUploadedFile("справка.pdf", EXECUTABLE),
        },
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert NOT_A_SCAN in response.text
    assert not PersonDocument.objects.exists()
    assert _files(media) == []


def test_record_document_refuses_an_executable_named_jpg(media, caplog):
    person = PersonFactory(employer=True)

    with pytest.raises(Exception) as error:
        services.record_document(
            person=person,
            kind=DocumentKind.CRIMINAL_RECORD,
            issued_on=today(),
            by=None,
            scan=SimpleUploadedFile("справка.jpg", EXECUTABLE),
        )

    assert NOT_A_SCAN in str(error.value)
    assert _files(media) == []
    assert "Refused an upload that is no scan; it starts 4d5a9000" in caplog.text


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("scan.pdf", PDF, "application/pdf"),
        ("scan.pdf", PNG, "image/png"),
        ("scan.png", JPEG, "image/jpeg"),
    ],
)
def test_a_scan_is_served_as_what_its_content_is(
    client, curator, name, content, content_type
):
    consent = services.give_consent(
        person=PersonFactory(organization=curator.organization),
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=today(),
        by=curator,
        scan=SimpleUploadedFile(name, content, "application/x-msdownload"),
    )

    response = client.get(consent.scan.url)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_a_stored_file_that_is_no_scan_is_only_downloaded(client, curator, media):
    consent = ConsentFactory(person__organization=curator.organization)
    # As an upload from before content was checked could be.
    name = default_storage.save(
        "consents/2025/old.pdf", SimpleUploadedFile("x", SCRIPT)
    )
    Consent.objects.filter(pk=consent.pk).update(scan=name)

    response = client.get(reverse("private-file", args=[name]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_uploads_and_their_folders_are_readable_by_the_owner_only(curator, media):
    consent = services.give_consent(
        person=PersonFactory(organization=curator.organization),
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=today(),
        by=curator,
        scan=SimpleUploadedFile("scan.pdf", PDF),
    )
    document = services.record_document(
        person=PersonFactory(organization=curator.organization, employer=True),
        kind=DocumentKind.CRIMINAL_RECORD,
        issued_on=today(),
        by=curator,
        scan=SimpleUploadedFile("scan.jpg", JPEG),
    )

    for stored in (consent.scan, document.scan):
        path = media / stored.name
        assert _mode(path) == 0o600
        for folder in path.relative_to(media).parents:
            if str(folder) != ".":
                assert _mode(media / folder) == 0o700, folder


def test_the_signed_order_pdf_is_readable_by_the_owner_only(media):
    school = UserFactory(curator=True).organization
    curator = UserFactory(curator=True, organization=school)
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(
        order=order, director=UserFactory(director=True, organization=school)
    )

    order = order_services.store_order_pdf(order_id=order.pk)

    path = media / order.pdf.name
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_a_replaced_scan_is_removed_with_an_audit_entry_naming_it(
    curator, media, django_capture_on_commit_callbacks
):
    consent = services.give_consent(
        person=PersonFactory(organization=curator.organization),
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=today(),
        by=curator,
        scan=SimpleUploadedFile("first.pdf", PDF),
    )
    old_name = consent.scan.name

    with django_capture_on_commit_callbacks(execute=True):
        consent = services.replace_consent_scan(
            consent=consent, scan=SimpleUploadedFile("second.png", PNG), by=curator
        )

    assert [p.relative_to(media).as_posix() for p in _files(media)] == [
        consent.scan.name
    ]
    entry = AuditEntry.objects.get(action="consent.scan_replaced")
    assert entry.data["replaced"] == old_name
    assert entry.data["scan"] == consent.scan.name


def test_the_person_page_cannot_swap_the_scan_of_a_consent_on_file(
    client, curator, media
):
    consent = services.give_consent(
        person=PersonFactory(organization=curator.organization),
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=today(),
        by=curator,
        scan=SimpleUploadedFile("first.pdf", PDF),
    )
    url = reverse("admin:mentoring_person_change", args=[consent.person.pk])
    page = client.get(url)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Consent and inline.formset.initial_form_count()
    )

    response = client.post(
        url,
        admin_form_data(
            page, **{f"{prefix}-0-scan": SimpleUploadedFile("swap.pdf", PDF + b"2")}
        ),
    )

    assert response.status_code == 302
    consent.refresh_from_db()
    assert default_storage.open(consent.scan.name).read() == PDF
    assert [p.relative_to(media).as_posix() for p in _files(media)] == [
        consent.scan.name
    ]
    assert not AuditEntry.objects.filter(action="consent.scan_replaced").exists()
