"""Documents a form requires: an outside adult mentoring a minor needs a
current certificate of no criminal record (ТК РФ ст. 351.1)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    AuditEntry,
    DocumentKind,
    DocumentRequirement,
    MenteeProfile,
    Order,
    Pair,
    Participation,
    PersonDocument,
)
from mentoring.services.orders import create_pair_order, submit_order
from tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PersonDocumentFactory,
    PersonFactory,
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


def create(organization, mentor, mentee, *, by=None):
    return services.create_pair(
        organization=organization,
        form=form("employer-student"),
        mentors=[mentor],
        mentees=[mentee],
        by=by,
    )


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


# ---------------------------------------------------------------- orders


def test_order_is_not_sent_for_signature_once_the_certificate_expired():
    org = OrganizationFactory()
    mentor = engineer(org)
    certificate = PersonDocumentFactory(person=mentor)
    pair = create(org, mentor, pupil(org))
    order = create_pair_order(organization=org, pairs=[pair], by=None)
    # Time passes: the certificate ran out while the order was drafted.
    PersonDocument.objects.filter(pk=certificate.pk).update(
        issued_on=today() - datetime.timedelta(days=400),
        valid_until=today() - datetime.timedelta(days=1),
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
