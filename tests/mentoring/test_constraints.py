"""The rules the database itself enforces, and the Russian message `full_clean()`
gives for each, so forms and the admin show it on the form."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentoring.models import (
    Consent,
    Meeting,
    MentorProfile,
    Pair,
    Participation,
    Person,
    Role,
    User,
)
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    form,
    years_ago,
)


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@contextmanager
def refused_by_the_database():
    # The savepoint keeps the test's transaction usable after the error.
    with pytest.raises(IntegrityError), transaction.atomic():
        yield


# Each case: the model, valid field values (built when the test runs), the
# values that break the rule, and the message the form must show.


def student():
    return {
        "organization": OrganizationFactory(),
        "last_name": "Кузнецов",
        "first_name": "Илья",
        "gender": Person.Gender.MALE,
        "category": Person.Category.STUDENT,
        "birth_date": years_ago(13),
    }


def consent(kind=Consent.Kind.PERSONAL_DATA, representative=""):
    return lambda: {
        "person": PersonFactory(),
        "kind": kind,
        "given_on": day(-10),
        "representative_name": representative,
    }


def pair(**fields):
    return lambda: {
        "organization": OrganizationFactory(),
        "form": form("teacher-teacher"),
        "starts_on": day(0),
        "ends_on": day(100),
        **fields,
    }


def mentor_profile():
    return {"person": PersonFactory(), "capacity": 2}


def meeting():
    return {
        "pair": PairFactory(people=False),
        "kind": Meeting.Kind.REGULAR,
        "starts_at": timezone.now(),
        "topic": "Разбор урока",
        "duration_minutes": 45,
    }


def account(role, **fields):
    def build():
        return {
            "username": f"{role}-account",
            "password": "!unusable",
            "role": role,
            # Related rows are made only once the test has its database.
            **{name: make() for name, make in fields.items()},
        }

    return build


CASES = [
    pytest.param(
        Person,
        student,
        {"birth_date": None},
        "Укажите дату рождения обучающегося: от неё зависит, чьё согласие нужно.",
        id="student-without-birth-date",
    ),
    pytest.param(
        Person,
        lambda: {
            **student(),
            "category": Person.Category.TEACHER,
            "birth_date": years_ago(30),
        },
        {"teaching_since": years_ago(31)},
        "Педагогический стаж не может начинаться раньше даты рождения.",
        id="teaching-before-birth",
    ),
    pytest.param(
        Consent,
        consent(),
        {"valid_until": day(-11)},
        "Срок действия согласия не может закончиться раньше даты его получения.",
        id="consent-valid-until-before-given",
    ),
    pytest.param(
        Consent,
        consent(),
        {"withdrawn_on": day(-11)},
        "Согласие не может быть отозвано раньше, чем дано.",
        id="consent-withdrawn-before-given",
    ),
    pytest.param(
        Consent,
        consent(Consent.Kind.GUARDIAN, representative="Кузнецова Анна Ивановна"),
        {"representative_name": ""},
        "Укажите ФИО законного представителя, давшего согласие.",
        id="guardian-consent-without-representative",
    ),
    pytest.param(
        Pair,
        pair(),
        {"ends_on": day(-1)},
        "Окончание должно быть позже начала.",
        id="pair-ends-before-start",
    ),
    pytest.param(
        Pair,
        pair(),
        {"ends_on": day(0)},
        "Окончание должно быть позже начала.",
        id="pair-ends-on-start",
    ),
    pytest.param(
        Pair,
        pair(
            status=Pair.Status.TERMINATED,
            termination_reason=Pair.TerminationReason.MENTOR,
            closed_on=day(0),
        ),
        {"termination_reason": ""},
        "У досрочно прекращённой пары должны быть причина и дата.",
        id="terminated-pair-without-reason",
    ),
    pytest.param(
        Pair,
        pair(
            status=Pair.Status.TERMINATED,
            termination_reason=Pair.TerminationReason.MENTOR,
            closed_on=day(0),
        ),
        {"closed_on": None},
        "У досрочно прекращённой пары должны быть причина и дата.",
        id="terminated-pair-without-date",
    ),
    pytest.param(
        Pair,
        pair(status=Pair.Status.COMPLETED, closed_on=day(0)),
        {"closed_on": None},
        "У завершённой пары должна быть дата завершения.",
        id="completed-pair-without-date",
    ),
    pytest.param(
        MentorProfile,
        mentor_profile,
        {"capacity": 0},
        "Наставник может вести от 1 до 30 наставляемых.",
        id="mentor-capacity-0",
    ),
    pytest.param(
        MentorProfile,
        mentor_profile,
        {"capacity": 31},
        "Наставник может вести от 1 до 30 наставляемых.",
        id="mentor-capacity-31",
    ),
    pytest.param(
        Meeting,
        meeting,
        {"duration_minutes": 4},
        "Длительность встречи — от 5 до 480 минут.",
        id="meeting-too-short",
    ),
    pytest.param(
        Meeting,
        meeting,
        {"duration_minutes": 481},
        "Длительность встречи — от 5 до 480 минут.",
        id="meeting-too-long",
    ),
    *[
        pytest.param(
            User,
            account(role, organization=OrganizationFactory),
            {"organization": None},
            "Куратору, руководителю и психологу нужна организация.",
            id=f"{role}-without-organization",
        )
        for role in (Role.CURATOR, Role.DIRECTOR, Role.PSYCHOLOGIST)
    ],
    pytest.param(
        User,
        account(Role.METHODOLOGIST, district=DistrictFactory),
        {"district": None},
        "Методисту района нужен район.",
        id="methodologist-without-district",
    ),
]


@pytest.mark.parametrize(("model", "valid", "broken", "message"), CASES)
@pytest.mark.django_db
def test_full_clean_gives_the_russian_message(model, valid, broken, message):
    good = valid()
    model(**good).full_clean()  # the baseline is valid: only `broken` breaks it

    with pytest.raises(ValidationError) as excinfo:
        model(**{**good, **broken}).full_clean()

    assert message in excinfo.value.messages


@pytest.mark.parametrize(("model", "valid", "broken", "message"), CASES)
@pytest.mark.django_db
def test_database_refuses_to_create_a_row_breaking_the_rule(
    model, valid, broken, message
):
    good = valid()
    before = model.objects.count()

    with refused_by_the_database():
        model.objects.create(**{**good, **broken})

    assert model.objects.count() == before


@pytest.mark.parametrize(("model", "valid", "broken", "message"), CASES)
@pytest.mark.django_db
def test_database_refuses_an_update_breaking_the_rule(model, valid, broken, message):
    good = valid()
    row = model.objects.create(**good)

    with refused_by_the_database():
        model.objects.filter(pk=row.pk).update(**broken)

    fresh = model.objects.get(pk=row.pk)
    assert {k: getattr(fresh, k) for k in broken} == {
        k: getattr(row, k) for k in broken
    }


# ---------------------------------------------------------------- a pair's people


@pytest.fixture
def pair_with_mentor():
    pair = PairFactory(people=False)
    person = PersonFactory(organization=pair.organization)
    Participation.objects.create(
        pair=pair, person=person, role=Participation.Role.MENTOR
    )
    return pair, person


@pytest.mark.django_db
def test_database_refuses_the_same_person_twice_in_a_pair(pair_with_mentor):
    pair, person = pair_with_mentor

    with refused_by_the_database():
        Participation.objects.create(
            pair=pair, person=person, role=Participation.Role.MENTEE
        )

    assert pair.participations.count() == 1


@pytest.mark.django_db
def test_database_refuses_moving_a_participant_onto_someone_already_there(
    pair_with_mentor,
):
    pair, person = pair_with_mentor
    other = Participation.objects.create(
        pair=pair,
        person=PersonFactory(organization=pair.organization),
        role=Participation.Role.MENTEE,
    )

    with refused_by_the_database():
        Participation.objects.filter(pk=other.pk).update(person=person)


@pytest.mark.django_db
def test_full_clean_says_nobody_mentors_themselves(pair_with_mentor):
    pair, person = pair_with_mentor

    with pytest.raises(ValidationError) as excinfo:
        Participation(
            pair=pair, person=person, role=Participation.Role.MENTEE
        ).full_clean()

    assert excinfo.value.messages == [
        "Участник уже входит в эту пару/группу: нельзя быть наставником самому "
        "себе или войти в пару дважды."
    ]
