"""Nobody enters the bank of mentors or of mentees without a valid consent."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    AuditEntry,
    BankStatus,
    Consent,
    MenteeProfile,
    MentorProfile,
)
from tests.factories import ConsentFactory, PersonFactory, UserFactory, form

PERSONAL_DATA_LABEL = "на обработку персональных данных"
GUARDIAN_LABEL = (
    "законного представителя на обработку персональных данных несовершеннолетнего"
)


def enter_mentor_bank(person, by, **fields):
    return services.enter_mentor_bank(person=person, by=by, capacity=3, **fields)


def enter_mentee_bank(person, by, **fields):
    return services.enter_mentee_bank(
        person=person,
        by=by,
        category=MenteeProfile.Category.YOUNG_SPECIALIST,
        requests="Работа с родителями",
        **fields,
    )


BANKS = [
    pytest.param(enter_mentor_bank, MentorProfile, "mentor_bank", id="mentors"),
    pytest.param(enter_mentee_bank, MenteeProfile, "mentee_bank", id="mentees"),
]


def refused(enter, person, curator, **fields) -> str:
    """Try to enter the bank; expect one Russian message and nothing written."""
    rows = (
        MentorProfile.objects.count(),
        MenteeProfile.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(ValidationError) as excinfo:
        enter(person, curator, **fields)
    assert (
        MentorProfile.objects.count(),
        MenteeProfile.objects.count(),
        AuditEntry.objects.count(),
    ) == rows
    [message] = excinfo.value.messages
    return message


@pytest.mark.parametrize(("enter", "model", "action"), BANKS)
@pytest.mark.django_db
def test_bank_refuses_a_person_without_consent(enter, model, action):
    curator = UserFactory(curator=True)
    person = PersonFactory(organization=curator.organization)

    message = refused(enter, person, curator)

    assert message == (
        f"{person.full_name}: нет действующего согласия — {PERSONAL_DATA_LABEL}."
    )


@pytest.mark.parametrize(("enter", "model", "action"), BANKS)
@pytest.mark.parametrize(
    "state",
    [
        pytest.param({"withdrawn": True}, id="withdrawn"),
        pytest.param({"expired": True}, id="expired"),
        pytest.param({"given_on": "tomorrow"}, id="future-dated"),
    ],
)
@pytest.mark.django_db
def test_bank_refuses_a_consent_not_in_force(enter, model, action, state):
    curator = UserFactory(curator=True)
    person = PersonFactory(organization=curator.organization)
    if state.get("given_on") == "tomorrow":
        state = {"given_on": timezone.localdate() + datetime.timedelta(days=1)}
    ConsentFactory(person=person, kind=Consent.Kind.PERSONAL_DATA, **state)

    message = refused(enter, person, curator)

    assert person.full_name in message
    assert PERSONAL_DATA_LABEL in message


@pytest.mark.parametrize(("enter", "model", "action"), BANKS)
@pytest.mark.django_db
def test_bank_refuses_a_minor_on_their_own_consent(enter, model, action):
    curator = UserFactory(curator=True)
    student = PersonFactory(student=True, organization=curator.organization)
    ConsentFactory(person=student, kind=Consent.Kind.PERSONAL_DATA)

    message = refused(enter, student, curator)

    assert message == (
        f"{student.full_name}: нет действующего согласия — {GUARDIAN_LABEL}."
    )


@pytest.mark.parametrize(("enter", "model", "action"), BANKS)
@pytest.mark.django_db
def test_bank_candidate_also_needs_consent(enter, model, action):
    curator = UserFactory(curator=True)
    person = PersonFactory(organization=curator.organization)

    message = refused(enter, person, curator, status=BankStatus.CANDIDATE)

    assert PERSONAL_DATA_LABEL in message


@pytest.mark.parametrize(("enter", "model", "action"), BANKS)
@pytest.mark.django_db
def test_bank_takes_a_person_with_valid_consent(enter, model, action):
    curator = UserFactory(curator=True)
    person = PersonFactory(organization=curator.organization)
    ConsentFactory(person=person, kind=Consent.Kind.PERSONAL_DATA)

    profile = enter(person, curator)

    assert model.objects.get(person=person) == profile
    assert profile.status == BankStatus.IN_BANK
    [entry] = AuditEntry.objects.for_object(profile)
    assert entry.action == f"{action}.entered"
    assert entry.actor == curator
    assert entry.organization == person.organization
    assert person.full_name in entry.message


@pytest.mark.django_db
def test_minor_enters_the_mentee_bank_on_guardian_consent():
    curator = UserFactory(curator=True)
    student = PersonFactory(student=True, organization=curator.organization)
    ConsentFactory(person=student, kind=Consent.Kind.GUARDIAN)

    profile = enter_mentee_bank(
        student, curator, desired_forms=[form("student-student")]
    )

    assert profile.person == student
    assert list(profile.desired_forms.values_list("code", flat=True)) == [
        "student-student"
    ]


@pytest.mark.django_db
def test_teacher_enters_the_mentor_bank_before_agreeing_to_mentor_duties():
    curator = UserFactory(curator=True)
    teacher = PersonFactory(organization=curator.organization)
    ConsentFactory(person=teacher, kind=Consent.Kind.PERSONAL_DATA)

    profile = enter_mentor_bank(teacher, curator, forms=[form("teacher-teacher")])

    assert profile.capacity == 3
    assert list(profile.forms.values_list("code", flat=True)) == ["teacher-teacher"]
