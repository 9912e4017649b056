"""Consents in the admin: given, withdrawn and their scans replaced by services."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import AuditEntry, Consent
from tests.factories import ConsentFactory, PersonFactory, UserFactory
from tests.mentoring.admin_helpers import admin_form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% scanned consent\n"


@pytest.fixture
def curator(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


class _day:  # noqa: N801 - reads as the function it replaces
    """A form date `days` from today, worked out when the form is posted (the
    test client posts str(value)), not when the parameters are collected: a
    run may cross midnight in the school's time zone."""

    def __init__(self, days):
        self.days = days

    def __str__(self):
        day = timezone.localdate() + datetime.timedelta(days=self.days)
        return day.strftime("%d.%m.%Y")


def _scan(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def _consent_audit():
    return AuditEntry.objects.filter(action__startswith="consent.")


@pytest.mark.parametrize(
    ("person_fields", "fields", "message"),
    [
        ({}, {"given_on": _day(1)}, "Согласие не может быть дано в будущем."),
        (
            {"student": True, "legal_representative": ""},
            {"kind": Consent.Kind.GUARDIAN},
            "Укажите ФИО законного представителя, давшего согласие.",
        ),
        (
            {},
            {"valid_until": _day(-2)},
            "Срок действия согласия не может закончиться раньше даты его получения.",
        ),
    ],
)
def test_the_consent_admin_refuses_what_give_consent_refuses(
    client, curator, person_fields, fields, message
):
    person = PersonFactory(organization=curator.organization, **person_fields)

    response = client.post(
        reverse("admin:mentoring_consent_add"),
        {
            "person": person.pk,
            "kind": Consent.Kind.PERSONAL_DATA,
            "medium": Consent.Medium.PAPER,
            "purposes": "Наставничество",
            "given_on": _day(-1),
            **fields,
        },
    )

    assert response.status_code == 200
    assert message in response.text
    assert not Consent.objects.exists()
    assert not _consent_audit().exists()


def test_a_new_consent_cannot_be_posted_as_withdrawn(client, curator):
    person = PersonFactory(organization=curator.organization)

    response = client.post(
        reverse("admin:mentoring_consent_add"),
        {
            "person": person.pk,
            "kind": Consent.Kind.PERSONAL_DATA,
            "medium": Consent.Medium.PAPER,
            "purposes": "Наставничество",
            "given_on": _day(-1),
            "withdrawn_on": _day(0),  # forged: read-only
        },
    )

    assert response.status_code == 302
    assert Consent.objects.get().withdrawn_on is None
    assert _consent_audit().get().action == "consent.given"


def test_the_person_page_refuses_a_future_consent(client, curator):
    person = PersonFactory(organization=curator.organization)
    url = reverse("admin:mentoring_person_change", args=[person.pk])
    data = admin_form_data(
        client.get(url),
        **{
            "consents-2-0-kind": Consent.Kind.PERSONAL_DATA,
            "consents-2-0-medium": Consent.Medium.PAPER,
            "consents-2-0-given_on": _day(3),
        },
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Согласие не может быть дано в будущем." in response.text
    assert not Consent.objects.exists()


def test_a_consent_on_file_keeps_its_terms_whatever_is_posted(client, curator):
    consent = ConsentFactory(person__organization=curator.organization)
    before = Consent.objects.filter(pk=consent.pk).values().get()
    url = reverse("admin:mentoring_consent_change", args=[consent.pk])

    client.post(
        url,
        admin_form_data(
            client.get(url),
            given_on=_day(-100),
            valid_until=_day(-50),
            withdrawn_on=_day(0),
            kind=Consent.Kind.GUARDIAN,
        ),
    )

    assert Consent.objects.filter(pk=consent.pk).values().get() == before
    assert not _consent_audit().exists()


def test_replacing_a_scan_is_audited_and_the_old_file_goes_after_commit(
    client, curator, django_capture_on_commit_callbacks
):
    consent = services.give_consent(
        person=PersonFactory(organization=curator.organization),
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=timezone.localdate(),
        by=curator,
        scan=_scan("first.pdf"),
    )
    old_name = consent.scan.name
    url = reverse("admin:mentoring_consent_change", args=[consent.pk])
    data = admin_form_data(client.get(url), scan=_scan("second.pdf"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.scan.name != old_name
    assert default_storage.exists(consent.scan.name)
    assert not default_storage.exists(old_name)
    entry = _consent_audit().get(action="consent.scan_replaced")
    assert entry.actor == curator


def test_a_scan_is_not_removed_from_a_consent(client, curator):
    consent = services.give_consent(
        person=PersonFactory(organization=curator.organization),
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=timezone.localdate(),
        by=curator,
        scan=_scan(),
    )
    url = reverse("admin:mentoring_consent_change", args=[consent.pk])

    response = client.post(
        url, admin_form_data(client.get(url), **{"scan-clear": "on"})
    )

    assert response.status_code == 200
    assert "Скан согласия не удаляют" in response.text
    consent.refresh_from_db()
    assert consent.scan and default_storage.exists(consent.scan.name)
    assert not _consent_audit().exclude(action="consent.given").exists()


def test_withdrawing_twice_from_the_list_is_refused(client, curator):
    consent = ConsentFactory(person__organization=curator.organization)
    url = reverse("admin:mentoring_consent_changelist")
    post = {"action": "withdraw", "_selected_action": [consent.pk]}

    client.post(url, post)
    response = client.post(url, post, follow=True)

    assert "Согласие уже отозвано" in response.text
    assert _consent_audit().filter(action="consent.withdrawn").count() == 1
