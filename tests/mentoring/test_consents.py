"""Which consents count, whose consent a person needs, and how one is given
and withdrawn (152-ФЗ ст. 9; ТК РФ ст. 351.8 for a teacher's mentoring duties)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring import selectors, services
from mentoring.models import AuditEntry, Consent, Person
from tests.factories import (
    ConsentFactory,
    MenteeProfileFactory,
    PersonFactory,
    UserFactory,
    form,
    years_ago,
)

PERSONAL_DATA = Consent.Kind.PERSONAL_DATA
GUARDIAN = Consent.Kind.GUARDIAN
MENTOR_DUTIES = Consent.Kind.MENTOR_DUTIES


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def counts(consent: Consent) -> bool:
    """Whether the consent is in force today, asked of the row and of the query."""
    by_row = consent.is_valid()
    by_query = Consent.objects.valid().filter(pk=consent.pk).exists()
    assert by_row == by_query, "Consent.is_valid and Consent.objects.valid disagree"
    return by_row


def may_work(person: Person) -> bool:
    """Whether the person's data may be processed, as the services and the
    dashboard count it (they must agree)."""
    by_service = not services.missing_consents(person=person)
    by_selector = (
        selectors.with_consent_state(Person.objects.filter(pk=person.pk))
        .get()
        .has_valid_consent
    )
    assert by_service == by_selector, "missing_consents and the dashboard disagree"
    return by_service


def audit_entries(obj, action):
    return AuditEntry.objects.for_object(obj).filter(action=action)


# ---------------------------------------------------------------- in force


@pytest.mark.parametrize(
    ("offsets", "in_force"),
    [
        pytest.param({"given_on": -30}, True, id="given-open-ended"),
        pytest.param({"given_on": 0}, True, id="given-today"),
        pytest.param({"given_on": -30, "valid_until": 0}, True, id="last-day"),
        pytest.param({"given_on": -30, "valid_until": -1}, False, id="expired"),
        pytest.param(
            {"given_on": -30, "withdrawn_on": 0},
            False,
            id="withdrawn-today",
        ),
        pytest.param(
            {"given_on": -30, "withdrawn_on": -1},
            False,
            id="withdrawn-yesterday",
        ),
        pytest.param(
            {"given_on": -30, "withdrawn_on": 1},
            True,
            id="withdrawal-takes-effect-tomorrow",
        ),
        pytest.param({"given_on": 1}, False, id="future-dated"),
    ],
)
@pytest.mark.django_db
def test_consent_counts_only_while_in_force(offsets, in_force):
    # Days from today, dated here rather than at collection: a run may cross
    # midnight in the school's time zone.
    dates = {field: day(days) for field, days in offsets.items()}
    person = PersonFactory()
    consent = ConsentFactory(person=person, kind=PERSONAL_DATA, **dates)
    assert counts(consent) is in_force
    assert may_work(person) is in_force


@pytest.mark.django_db
def test_person_without_any_consent_may_not_be_worked_with():
    person = PersonFactory()
    assert not may_work(person)
    assert services.missing_consents(person=person) == [PERSONAL_DATA.label]


# ---------------------------------------------------------------- whose consent


@pytest.mark.django_db
def test_minor_needs_guardian_consent():
    student = PersonFactory(student=True)
    ConsentFactory(person=student, kind=PERSONAL_DATA)
    assert not may_work(student)
    assert services.missing_consents(person=student) == [GUARDIAN.label]

    ConsentFactory(person=student, kind=GUARDIAN)
    assert may_work(student)


@pytest.mark.django_db
def test_adults_guardian_consent_is_not_enough():
    teacher = PersonFactory()
    ConsentFactory(person=teacher, kind=GUARDIAN)
    assert not may_work(teacher)
    assert services.missing_consents(person=teacher) == [PERSONAL_DATA.label]


@pytest.mark.django_db
def test_adult_student_consents_for_themselves():
    student = PersonFactory(adult_student=True)
    ConsentFactory(person=student, kind=PERSONAL_DATA)
    assert may_work(student)


@pytest.mark.django_db
def test_student_turning_18_today_consents_for_themselves():
    student = PersonFactory(student=True, birth_date=years_ago(18))
    ConsentFactory(person=student, kind=PERSONAL_DATA)
    assert may_work(student)


@pytest.mark.django_db
def test_student_turning_18_tomorrow_still_needs_guardian_consent():
    student = PersonFactory(student=True, birth_date=years_ago(18, days=-1))
    ConsentFactory(person=student, kind=PERSONAL_DATA)
    assert not may_work(student)


@pytest.mark.django_db
def test_teacher_mentor_needs_duties_consent_for_a_pair_not_for_the_bank():
    curator = UserFactory(curator=True)
    organization = curator.organization
    teacher = PersonFactory(organization=organization)
    ConsentFactory(person=teacher, kind=PERSONAL_DATA)
    mentee = MenteeProfileFactory(person__organization=organization).person

    assert services.missing_consents(person=teacher, as_mentor=False) == []
    assert services.missing_consents(person=teacher, as_mentor=True) == [
        MENTOR_DUTIES.label
    ]
    services.enter_mentor_bank(person=teacher, by=curator)

    def pair_them():
        return services.create_pair(
            organization=organization,
            form=form("teacher-teacher"),
            mentors=[teacher],
            mentees=[mentee],
            by=curator,
        )

    with pytest.raises(ValidationError) as excinfo:
        pair_them()
    [message] = excinfo.value.messages
    assert message.startswith(f"{teacher.full_name}: нет действующего согласия — ")
    assert "на возложение дополнительных обязанностей наставника" in message

    services.give_consent(
        person=teacher, kind=MENTOR_DUTIES, given_on=day(0), by=curator
    )
    assert pair_them().participations.count() == 2


@pytest.mark.django_db
def test_missing_consent_message_keeps_the_law_reference_in_capitals():
    teacher = PersonFactory()
    ConsentFactory(person=teacher, kind=PERSONAL_DATA)

    with pytest.raises(ValidationError) as excinfo:
        services.ensure_consents(person=teacher, as_mentor=True)

    # «ТК РФ» is an abbreviation: lowering the label must not lower it.
    assert excinfo.value.messages == [
        f"{teacher.full_name}: нет действующего согласия — на возложение "
        "дополнительных обязанностей наставника (ст. 351.8 ТК РФ)."
    ]


# ---------------------------------------------------------------- give_consent


@pytest.mark.django_db
def test_give_consent_records_it_with_an_audit_entry():
    curator = UserFactory(curator=True)
    person = PersonFactory(organization=curator.organization)

    consent = services.give_consent(
        person=person,
        kind=PERSONAL_DATA,
        given_on=day(-2),
        valid_until=day(365),
        by=curator,
    )

    consent.refresh_from_db()
    assert (consent.person, consent.kind) == (person, PERSONAL_DATA)
    assert (consent.given_on, consent.valid_until) == (day(-2), day(365))
    assert consent.recorded_by == curator
    assert may_work(person)
    [entry] = audit_entries(consent, "consent.given")
    assert entry.actor == curator
    assert entry.organization == person.organization
    assert person.full_name in entry.message


@pytest.mark.django_db
def test_give_consent_refuses_a_future_date():
    curator = UserFactory(curator=True)
    person = PersonFactory(organization=curator.organization)

    with pytest.raises(ValidationError) as excinfo:
        services.give_consent(
            person=person, kind=PERSONAL_DATA, given_on=day(1), by=curator
        )

    assert excinfo.value.messages == ["Согласие не может быть дано в будущем."]
    assert not Consent.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_give_consent_refuses_guardian_consent_without_representative():
    curator = UserFactory(curator=True)
    student = PersonFactory(
        student=True, organization=curator.organization, legal_representative=""
    )

    with pytest.raises(ValidationError) as excinfo:
        services.give_consent(
            person=student, kind=GUARDIAN, given_on=day(-1), by=curator
        )

    assert "Укажите ФИО законного представителя, давшего согласие." in (
        excinfo.value.messages
    )
    assert not Consent.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_guardian_consent_takes_the_representative_from_the_persons_card():
    curator = UserFactory(curator=True)
    student = PersonFactory(
        student=True,
        organization=curator.organization,
        legal_representative="Смирнова Ольга Игоревна",
    )

    consent = services.give_consent(
        person=student, kind=GUARDIAN, given_on=day(-1), by=curator
    )

    assert consent.representative_name == "Смирнова Ольга Игоревна"
    assert may_work(student)


@pytest.mark.django_db
def test_give_consent_refuses_validity_ending_before_it_was_given():
    curator = UserFactory(curator=True)
    person = PersonFactory(organization=curator.organization)

    with pytest.raises(ValidationError) as excinfo:
        services.give_consent(
            person=person,
            kind=PERSONAL_DATA,
            given_on=day(-1),
            valid_until=day(-2),
            by=curator,
        )

    assert (
        "Срок действия согласия не может закончиться раньше даты его получения."
        in excinfo.value.messages
    )
    assert not Consent.objects.exists()


# ---------------------------------------------------------------- withdraw


@pytest.mark.django_db
def test_withdraw_consent_ends_it_with_an_audit_entry():
    curator = UserFactory(curator=True)
    consent = ConsentFactory(person__organization=curator.organization)

    services.withdraw_consent(consent=consent, by=curator)

    consent.refresh_from_db()
    assert consent.withdrawn_on == day(0)
    assert not counts(consent)
    assert not may_work(consent.person)
    [entry] = audit_entries(consent, "consent.withdrawn")
    assert entry.actor == curator
    assert entry.organization == consent.person.organization


@pytest.mark.django_db
def test_withdrawing_a_consent_twice_is_refused_and_changes_nothing():
    curator = UserFactory(curator=True)
    consent = ConsentFactory(person__organization=curator.organization)
    services.withdraw_consent(consent=consent, by=curator, withdrawn_on=day(-3))
    entries = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.withdraw_consent(consent=consent, by=curator)

    withdrawn = day(-3).strftime("%d.%m.%Y")
    assert excinfo.value.messages == [f"Согласие уже отозвано {withdrawn}."]
    consent.refresh_from_db()
    assert consent.withdrawn_on == day(-3)
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_withdrawal_before_the_consent_was_given_is_refused():
    curator = UserFactory(curator=True)
    consent = ConsentFactory(
        person__organization=curator.organization, given_on=day(-5)
    )

    with pytest.raises(ValidationError) as excinfo:
        services.withdraw_consent(consent=consent, by=curator, withdrawn_on=day(-6))

    assert excinfo.value.messages == [
        "Согласие не может быть отозвано раньше, чем дано."
    ]
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert not AuditEntry.objects.exists()
