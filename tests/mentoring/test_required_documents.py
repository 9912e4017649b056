"""Documents a form requires: an outside adult mentoring a minor needs a
current certificate of no criminal record (ТК РФ ст. 351.1)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from mentoring import services
from mentoring.matching.scoring import Weights
from mentoring.models import (
    AuditEntry,
    DocumentKind,
    DocumentRequirement,
    MenteeProfile,
    Order,
    Pair,
    Participation,
    PersonDocument,
    Suggestion,
    UnmatchedMentee,
)
from mentoring.services.matching import run_matching
from mentoring.services.orders import create_pair_order, submit_order
from tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    PersonDocumentFactory,
    PersonFactory,
    UserFactory,
    form,
)

pytestmark = pytest.mark.django_db

MENTOR, MENTEE = Participation.Role.MENTOR, Participation.Role.MENTEE
NO_CERTIFICATE = "нет справки о наличии (отсутствии) судимости"


def today() -> datetime.date:
    return timezone.localdate()


def engineer(organization, **person_fields):
    """An employer's engineer in the bank of mentors, with their consent."""
    person = PersonFactory(
        organization=organization,
        employer=True,
        male=True,
        consented=True,
        **person_fields,
    )
    MentorProfileFactory(person=person, forms=[form("employer-student")])
    return person


def pupil(organization, **person_fields):
    """A 13-year-old in the bank of mentees, with the parent's consent."""
    fields = {"student": True, **person_fields}
    person = PersonFactory(organization=organization, consented=True, **fields)
    MenteeProfileFactory(person=person, category=MenteeProfile.Category.GIFTED)
    return person


def create(organization, mentor, mentee, *, by=None, **term):
    return services.create_pair(
        organization=organization,
        form=form("employer-student"),
        mentors=[mentor],
        mentees=[mentee],
        by=by,
        **term,
    )


def a_month():
    """A pair order states its pairs' term."""
    return {"starts_on": today(), "ends_on": today() + datetime.timedelta(days=30)}


def refusal(action) -> list[str]:
    before = Pair.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        action()
    assert (Pair.objects.count(), AuditEntry.objects.count()) == before
    return excinfo.value.messages


# ---------------------------------------------------------------- the catalogue


def test_outside_mentors_of_minors_need_the_certificate_from_the_catalogue():
    required = {
        (r.form.code, r.side, r.kind, r.only_with_minor)
        for r in DocumentRequirement.objects.select_related("form")
    }
    for code in ("employer-student", "university-student", "employer-university"):
        assert (code, "mentor", DocumentKind.CRIMINAL_RECORD, True) in required
    assert not form("teacher-student").document_requirements.exists()
    assert not form("student-student").document_requirements.exists()


# ---------------------------------------------------------------- create_pair


def test_pair_is_refused_while_the_mentor_has_no_certificate():
    org = OrganizationFactory()
    mentor = engineer(org, last_name="Соколов", first_name="Иван", patronymic="")
    messages = refusal(lambda: create(org, mentor, pupil(org)))
    assert (
        "Соколов Иван: нет справки о наличии (отсутствии) судимости "
        "(требуется в форме «Работодатель – ученик»)." in messages
    )


def test_pair_is_refused_while_the_certificate_has_expired_naming_the_day():
    org = OrganizationFactory()
    mentor = engineer(org)
    certificate = PersonDocumentFactory(person=mentor, expired=True)
    messages = refusal(lambda: create(org, mentor, pupil(org)))
    day = certificate.valid_until.strftime("%d.%m.%Y")
    expected = f"справка о наличии (отсутствии) судимости истекла {day}"
    assert any(mentor.full_name in m and expected in m for m in messages), messages


def test_a_current_certificate_admits_the_pair():
    org = OrganizationFactory()
    mentor = engineer(org)
    PersonDocumentFactory(person=mentor)
    pair = create(org, mentor, pupil(org))
    assert pair.status == Pair.Status.DRAFT


def test_the_forms_term_counts_even_when_no_end_date_was_typed():
    org = OrganizationFactory()
    mentor = engineer(org)
    issued = today() - datetime.timedelta(days=500)
    document = services.record_document(
        person=mentor,
        kind=DocumentKind.CRIMINAL_RECORD,
        issued_on=issued,
        by=None,
    )
    # The catalogue accepts a certificate for 12 months from its issue.
    assert document.valid_until == issued.replace(year=issued.year + 1) - (
        datetime.timedelta(days=1)
    )
    messages = refusal(lambda: create(org, mentor, pupil(org)))
    assert any("истекла" in m for m in messages), messages


def test_an_adult_mentee_needs_no_certificate_of_the_mentor():
    org = OrganizationFactory()
    mentor = engineer(org)
    grown_up = pupil(org, student=False, adult_student=True)
    assert create(org, mentor, grown_up).participations.count() == 2


def test_a_teacher_mentoring_a_pupil_needs_no_certificate_in_the_app():
    org = OrganizationFactory()
    teacher = PersonFactory(organization=org, consented=True)
    MentorProfileFactory(person=teacher)
    pair = services.create_pair(
        organization=org,
        form=form("teacher-student"),
        mentors=[teacher],
        mentees=[pupil(org)],
        by=None,
    )
    assert pair.pk


def _matched(org):
    run = run_matching(
        organization=org,
        by=None,
        forms=[form("employer-student")],
        weights=Weights(),
    )
    return run


def test_matching_does_not_suggest_a_mentor_without_certificate_for_a_minor():
    org = OrganizationFactory()
    engineer(org)
    child = pupil(org)
    run = _matched(org)
    assert not Suggestion.objects.filter(run=run).exists()
    reason = UnmatchedMentee.objects.get(run=run, mentee=child).reason
    assert NO_CERTIFICATE in reason, reason


def test_matching_suggests_the_mentor_once_the_certificate_is_on_file():
    org = OrganizationFactory()
    mentor = engineer(org)
    PersonDocumentFactory(person=mentor)
    child = pupil(org)
    run = _matched(org)
    suggestion = Suggestion.objects.get(run=run)
    assert (suggestion.mentor, suggestion.mentee) == (mentor, child)


# ---------------------------------------------------------------- the admin


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def pair_post(*, people):
    data = {
        "form": form("employer-student").pk,
        "format": Pair.Format.TRADITIONAL,
        "starts_on": "01.10.2026",
        "ends_on": "31.05.2027",
        "goal": "",
        "participations-TOTAL_FORMS": str(len(people)),
        "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
    }
    for i, (person, role) in enumerate(people):
        data[f"participations-{i}-person"] = person.pk
        data[f"participations-{i}-role"] = role
    return data


def test_admin_pair_page_refuses_a_mentor_without_certificate(client, curator):
    org = curator.organization
    mentor = engineer(org)
    response = client.post(
        reverse("admin:mentoring_pair_add"),
        pair_post(people=[(mentor, MENTOR), (pupil(org), MENTEE)]),
    )
    assert response.status_code == 200
    assert f"{mentor.full_name}: {NO_CERTIFICATE}" in response.text
    assert Pair.objects.count() == 0


def test_admin_pair_page_admits_a_mentor_with_certificate(client, curator):
    org = curator.organization
    mentor = engineer(org)
    PersonDocumentFactory(person=mentor)
    response = client.post(
        reverse("admin:mentoring_pair_add"),
        pair_post(people=[(mentor, MENTOR), (pupil(org), MENTEE)]),
    )
    assert response.status_code == 302, response.text
    assert Pair.objects.get().form.code == "employer-student"


def person_post(person, **documents):
    data = {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "gender": person.gender,
        "category": person.category,
        "position": person.position,
        "consents-TOTAL_FORMS": "0",
        "consents-INITIAL_FORMS": "0",
        "consents-2-TOTAL_FORMS": "0",
        "consents-2-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-2-TOTAL_FORMS": "1" if documents else "0",
        "documents-2-INITIAL_FORMS": "0",
    }
    for name, value in documents.items():
        data[f"documents-2-0-{name}"] = value
    return data


def test_curator_records_a_certificate_on_the_persons_page(client, curator):
    mentor = engineer(curator.organization)
    issued = today() - datetime.timedelta(days=10)
    old = PersonDocumentFactory(person=mentor, expired=True)
    response = client.post(
        reverse("admin:mentoring_person_change", args=[mentor.pk]),
        person_post(
            mentor,
            kind=DocumentKind.CRIMINAL_RECORD,
            number="0012345/Д",
            issued_on=issued.strftime("%d.%m.%Y"),
            issued_by="ГУ МВД России по г. Санкт-Петербургу",
        ),
    )
    assert response.status_code == 302, response.text
    current = mentor.documents.get(replaced_at__isnull=True)
    assert current.number == "0012345/Д"
    assert current.recorded_by == curator
    assert current.valid_until is not None
    old.refresh_from_db()
    assert old.replaced_at is not None
    entry = AuditEntry.objects.get(action="document.replaced")
    assert entry.object_id == current.pk and entry.actor == curator
    card = client.get(reverse("admin:mentoring_person_change", args=[mentor.pk])).text
    assert "0012345/Д" in card and "заменён" in card
    # The pair that was refused is admitted now.
    assert create(curator.organization, mentor, pupil(curator.organization)).pk


def test_an_older_certificate_does_not_replace_a_newer_one():
    mentor = engineer(OrganizationFactory())
    newer = PersonDocumentFactory(person=mentor)
    with pytest.raises(ValidationError) as excinfo:
        services.record_document(
            person=mentor,
            kind=DocumentKind.CRIMINAL_RECORD,
            issued_on=newer.issued_on - datetime.timedelta(days=30),
            by=None,
        )
    assert "уже есть более новый документ" in excinfo.value.messages[0]
    assert list(mentor.documents.current()) == [newer]


def test_a_document_on_file_cannot_be_edited_or_deleted_by_a_forged_post(
    client, curator
):
    document = PersonDocumentFactory(
        person__organization=curator.organization, expired=True
    )
    change = reverse("admin:mentoring_persondocument_change", args=[document.pk])
    response = client.post(
        change, {"valid_until": "31.12.2030", "issued_on": "01.01.2026"}
    )
    assert response.status_code == 403
    delete = reverse("admin:mentoring_persondocument_delete", args=[document.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    stored = PersonDocument.objects.get(pk=document.pk)
    assert stored.valid_until == document.valid_until
    other = PersonDocumentFactory()
    url = reverse("admin:mentoring_persondocument_change", args=[other.pk])
    assert client.get(url).status_code in (302, 404)


def test_document_list_filters_expiring_and_expired(client, curator):
    org = curator.organization
    soon = PersonDocumentFactory(person__organization=org, expiring=True)
    late = PersonDocumentFactory(person__organization=org, expired=True)
    fine = PersonDocumentFactory(person__organization=org)
    url = reverse("admin:mentoring_persondocument_changelist")
    listing = client.get(url, {"term": "soon"}).text
    assert "истекает в течение 30 дней" in listing
    assert soon.number in listing
    assert late.number not in listing and fine.number not in listing
    listing = client.get(url, {"term": "expired"}).text
    assert late.number in listing
    assert soon.number not in listing and fine.number not in listing


# ---------------------------------------------------------------- orders


def test_order_is_not_sent_for_signature_once_the_certificate_expired():
    org = OrganizationFactory()
    mentor = engineer(org)
    certificate = PersonDocumentFactory(person=mentor)
    pair = create(org, mentor, pupil(org), **a_month())
    order = create_pair_order(organization=org, pairs=[pair], by=None)
    # Time passes: the certificate ran out while the order was drafted.
    PersonDocument.objects.filter(pk=certificate.pk).update(
        valid_until=today() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as excinfo:
        submit_order(order=order, by=None)
    expected = (
        f"Пара/группа № {pair.pk}: {mentor.full_name}: "
        "справка о наличии (отсутствии) судимости"
    )
    assert any(expected in m for m in excinfo.value.messages), excinfo.value.messages
    order.refresh_from_db()
    assert order.status == Order.Status.DRAFT


def test_director_cannot_sign_once_the_certificate_expired(client):
    org = OrganizationFactory()
    mentor = engineer(org)
    certificate = PersonDocumentFactory(person=mentor)
    pair = create(org, mentor, pupil(org), **a_month())
    order = create_pair_order(organization=org, pairs=[pair], by=None)
    submit_order(order=order, by=None)
    # The order waited on the director's desk past the certificate's term.
    PersonDocument.objects.filter(pk=certificate.pk).update(
        valid_until=today() - datetime.timedelta(days=1)
    )
    client.force_login(UserFactory(director=True, organization=org))
    response = client.post(
        reverse("mentoring:order-sign", args=[order.pk]), follow=True
    )
    day = (today() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    assert (
        f"{mentor.full_name}: справка о наличии (отсутствии) судимости истекла {day}"
        in response.text
    )
    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE
    assert Pair.objects.get(pk=pair.pk).status == Pair.Status.DRAFT


# ---------------------------------------------------------------- curator's home


def test_home_lists_expiring_documents_of_people_at_work_in_the_school(client):
    org = OrganizationFactory()
    soon = PersonDocumentFactory(
        person=engineer(org, last_name="Скорых"), expiring=True
    )
    late = PersonDocumentFactory(
        person=engineer(org, last_name="Поздняков"), expired=True
    )
    PersonDocumentFactory(person=engineer(org, last_name="Годнов"))
    # Neither in a bank nor in an open pair: not the curator's work list.
    PersonDocumentFactory(
        person__organization=org, person__last_name="Ушедшая", expired=True
    )
    client.force_login(UserFactory(curator=True, organization=org))
    page = client.get(reverse("mentoring:home")).text
    assert "Документы участников: истекают в течение 30 дней или истекли" in page
    assert "истекает " + soon.valid_until.strftime("%d.%m.%Y") in page
    assert "истекла " + late.valid_until.strftime("%d.%m.%Y") in page
    assert "Скорых" in page and "Поздняков" in page
    assert "Годнов" not in page and "Ушедшая" not in page


def test_another_schools_curator_does_not_see_the_list(client):
    org = OrganizationFactory()
    PersonDocumentFactory(person=engineer(org, last_name="Скорых"), expiring=True)
    client.force_login(UserFactory(curator=True, organization=OrganizationFactory()))
    page = client.get(reverse("mentoring:home")).text
    assert "Скорых" not in page
    assert "в ближайшие 30 дней не истекают" in page
    client.force_login(UserFactory(curator=True, organization=org))
    assert "Скорых" in client.get(reverse("mentoring:home")).text


def test_people_in_open_pairs_are_listed_even_outside_the_banks(client):
    pair = PairFactory(active=True, people=False)
    person = PersonFactory(organization=pair.organization, employer=True)
    Participation.objects.create(pair=pair, person=person, role=MENTOR)
    soon = PersonDocumentFactory(person=person, expiring=True)
    client.force_login(UserFactory(curator=True, organization=pair.organization))
    page = client.get(reverse("mentoring:home")).text
    assert person.last_name in page
    assert "истекает " + soon.valid_until.strftime("%d.%m.%Y") in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _running_out(organization, n: int) -> None:
    for i in range(n):
        PersonDocumentFactory(
            person=engineer(organization), expired=i % 2, expiring=not i % 2
        )


@pytest.mark.parametrize(
    "url",
    [
        reverse_lazy("mentoring:home"),
        reverse_lazy("admin:mentoring_persondocument_changelist"),
    ],
)
def test_lists_of_documents_cost_the_same_for_2_and_20_rows(client, url):
    org = OrganizationFactory()
    client.force_login(UserFactory(curator=True, organization=org))
    _running_out(org, 2)
    _queries(client, url)
    few = _queries(client, url)
    _running_out(org, 18)
    assert _queries(client, url) == few


# ---------------------------------------------------------------- the scan

PDF = b"%PDF-1.4\n% scanned certificate\n"


def test_certificate_scan_is_served_only_within_the_school(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mentor = engineer(OrganizationFactory())
    document = services.record_document(
        person=mentor,
        kind=DocumentKind.CRIMINAL_RECORD,
        issued_on=today(),
        by=None,
        scan=SimpleUploadedFile("Соколов_справка.pdf", PDF, "application/pdf"),
    )
    assert "Соколов" not in document.scan.name
    assert document.scan.url.startswith("/files/persondocuments/")
    assert client.get(document.scan.url).status_code == 302  # log in first
    client.force_login(UserFactory(curator=True, organization=OrganizationFactory()))
    assert client.get(document.scan.url).status_code == 404
    client.force_login(UserFactory(curator=True, organization=mentor.organization))
    response = client.get(document.scan.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
