"""Forming pairs and groups, and moving them along their statuses."""

import datetime
import itertools
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    AuditEntry,
    BankStatus,
    Consent,
    MenteeProfile,
    Pair,
    Participation,
)
from tests.factories import (
    ConsentFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    UserFactory,
    form,
)

Status = Pair.Status
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------- helpers


def mentor(organization, *, capacity=2, **person_fields):
    """A person in the bank of mentors with every consent a mentor needs."""
    person = PersonFactory(organization=organization, consented=True, **person_fields)
    MentorProfileFactory(person=person, capacity=capacity)
    return person


def mentee(organization, **person_fields):
    """A person in the bank of mentees with the data consent they need."""
    person = PersonFactory(organization=organization, consented=True, **person_fields)
    category = (
        MenteeProfile.Category.UNDERACHIEVING
        if person.category == person.Category.STUDENT
        else MenteeProfile.Category.YOUNG_SPECIALIST
    )
    MenteeProfileFactory(person=person, category=category)
    return person


def rows() -> tuple[int, int, int]:
    return (
        Pair.objects.count(),
        Participation.objects.count(),
        AuditEntry.objects.count(),
    )


def refused(action, *expected: str) -> list[str]:
    """Run a service that must refuse: Russian messages, nothing written."""
    before = rows()
    with pytest.raises(ValidationError) as excinfo:
        action()
    assert rows() == before, "a refused service wrote rows"
    messages = excinfo.value.messages
    assert messages
    for message in messages:
        assert CYRILLIC.search(message), f"not a Russian message: {message!r}"
    for text in expected:
        assert any(text in message for message in messages), (text, messages)
    return messages


@pytest.fixture
def school():
    return OrganizationFactory()


@pytest.fixture
def curator(school):
    return UserFactory(curator=True, organization=school)


@pytest.fixture
def create(school, curator):
    """`create(mentors, mentees, form_code=...)`: create_pair in the school."""

    def create_pair(mentors, mentees, form_code="teacher-teacher", **fields):
        return services.create_pair(
            organization=school,
            form=form(form_code),
            mentors=mentors,
            mentees=mentees,
            by=curator,
            **fields,
        )

    return create_pair


def move(pair, *statuses, by=None, **kwargs):
    for status in statuses:
        pair = services.change_pair_status(pair=pair, to=status, by=by, **kwargs)
    return pair


def members(pair) -> set[tuple[int, str]]:
    return set(pair.participations.values_list("person_id", "role"))


# ---------------------------------------------------------------- create_pair


@pytest.mark.django_db
def test_create_pair_writes_a_draft_with_its_people_and_an_audit_entry(
    school, curator, create
):
    teacher, young = mentor(school), mentee(school)

    pair = create([teacher], [young], goal="Адаптация в профессии")

    pair.refresh_from_db()
    assert pair.status == Status.DRAFT
    assert (pair.organization, pair.form.code) == (school, "teacher-teacher")
    assert pair.created_by == curator
    assert members(pair) == {
        (teacher.pk, Participation.Role.MENTOR),
        (young.pk, Participation.Role.MENTEE),
    }
    [entry] = AuditEntry.objects.for_object(pair)
    assert (entry.action, entry.actor, entry.organization) == (
        "pair.created",
        curator,
        school,
    )


@pytest.mark.django_db
def test_group_takes_several_mentees_up_to_the_mentors_capacity(school, create):
    lead = mentor(school, capacity=3)
    group = create([lead], [mentee(school) for _ in range(3)])
    assert group.participations.filter(role=Participation.Role.MENTEE).count() == 3


@pytest.mark.django_db
def test_pair_needs_a_mentor(school, create):
    refused(lambda: create([], [mentee(school)]), "Добавьте наставника.")


@pytest.mark.django_db
def test_pair_needs_a_mentee(school, create):
    refused(lambda: create([mentor(school)], []), "Добавьте наставляемого.")


@pytest.mark.django_db
def test_empty_pair_reports_both_missing_sides(create):
    messages = refused(lambda: create([], []))
    assert set(messages) == {"Добавьте наставника.", "Добавьте наставляемого."}


@pytest.mark.django_db
def test_nobody_mentors_themselves(school, create):
    person = mentor(school)
    MenteeProfileFactory(person=person)

    refused(
        lambda: create([person], [person]),
        f"{person.full_name} не может быть наставником самому себе.",
    )


@pytest.mark.django_db
def test_the_same_mentee_listed_twice_is_refused_with_a_message(school, create):
    teacher, young = mentor(school), mentee(school)
    # A crash (IntegrityError) here would be a server error, not a message.
    refused(lambda: create([teacher], [young, young]))


@pytest.mark.django_db
def test_student_student_form_refuses_a_teacher_mentor(school, create):
    teacher = mentor(school)
    pupil = mentee(school, student=True)

    refused(
        lambda: create([teacher], [pupil], form_code="student-student"),
        "Форма «Ученик – ученик» не подходит: "
        f"{teacher.full_name} — педагогический работник, а наставники в этой "
        "форме — обучающийся.",
    )


@pytest.mark.django_db
def test_teacher_teacher_form_refuses_a_student_mentee(school, create):
    pupil = mentee(school, student=True)
    refused(
        lambda: create([mentor(school)], [pupil]),
        f"{pupil.full_name} — обучающийся, а наставляемые в этой форме",
    )


@pytest.mark.django_db
def test_teacher_student_form_takes_a_teacher_and_a_student(school, create):
    teacher = mentor(school)
    pupil = mentee(school, student=True)

    pair = create([teacher], [pupil], form_code="teacher-student")

    assert members(pair) == {
        (teacher.pk, Participation.Role.MENTOR),
        (pupil.pk, Participation.Role.MENTEE),
    }


@pytest.mark.django_db
def test_student_mentors_a_student_without_duties_consent(school, create):
    senior = PersonFactory(adult_student=True, organization=school)
    ConsentFactory(person=senior, kind=Consent.Kind.PERSONAL_DATA)
    MentorProfileFactory(person=senior)
    pupil = mentee(school, student=True)

    pair = create([senior], [pupil], form_code="student-student")

    assert pair.participations.count() == 2


@pytest.mark.django_db
def test_inactive_form_is_refused(school, create):
    retired = form("teacher-teacher")
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    refused(
        lambda: create([mentor(school)], [mentee(school)]),
        "Форма «Учитель – учитель» больше не используется.",
    )


@pytest.mark.parametrize("side", ["mentor", "mentee"])
@pytest.mark.django_db
def test_people_from_another_organization_are_refused(school, create, side):
    elsewhere = OrganizationFactory(district=school.district)
    teacher = mentor(elsewhere if side == "mentor" else school)
    young = mentee(elsewhere if side == "mentee" else school)
    stranger = teacher if side == "mentor" else young

    refused(
        lambda: create([teacher], [young]),
        f"{stranger.full_name} — из другой организации.",
    )


@pytest.mark.django_db
def test_mentor_must_be_in_the_mentor_bank(school, create):
    # In the mentee bank, consented, but not a mentor.
    teacher = mentee(school)
    refused(
        lambda: create([teacher], [mentee(school)]),
        f"{teacher.full_name} нет в банке наставников.",
    )


@pytest.mark.django_db
def test_mentee_must_be_in_the_mentee_bank(school, create):
    young = mentor(school)  # in the mentor bank only
    refused(
        lambda: create([mentor(school)], [young]),
        f"{young.full_name} нет в банке наставляемых.",
    )


@pytest.mark.parametrize(
    "status", [BankStatus.CANDIDATE, BankStatus.EXCLUDED, BankStatus.ARCHIVED]
)
@pytest.mark.django_db
def test_mentor_out_of_the_bank_is_refused(school, create, status):
    teacher = mentor(school)
    teacher.mentor_profile.status = status
    teacher.mentor_profile.save(update_fields=["status"])

    refused(
        lambda: create([teacher], [mentee(school)]),
        f"{teacher.full_name} нет в банке наставников.",
    )


@pytest.mark.django_db
def test_mentor_without_duties_consent_is_refused(school, create):
    teacher = mentor(school)
    teacher.consents.filter(kind=Consent.Kind.MENTOR_DUTIES).delete()

    refused(
        lambda: create([teacher], [mentee(school)]),
        f"{teacher.full_name}: нет действующего согласия — на возложение "
        "дополнительных обязанностей наставника",
    )


@pytest.mark.django_db
def test_mentee_whose_consent_was_withdrawn_is_refused(school, curator, create):
    young = mentee(school)
    consent = young.consents.get(kind=Consent.Kind.PERSONAL_DATA)
    services.withdraw_consent(consent=consent, by=curator)

    refused(
        lambda: create([mentor(school)], [young]),
        f"{young.full_name}: нет действующего согласия — на обработку "
        "персональных данных.",
    )


@pytest.mark.django_db
def test_minor_mentee_needs_guardian_consent(school, create):
    pupil = mentee(school, student=True)
    pupil.consents.filter(kind=Consent.Kind.GUARDIAN).delete()
    ConsentFactory(person=pupil, kind=Consent.Kind.PERSONAL_DATA)

    refused(
        lambda: create([mentor(school)], [pupil], form_code="teacher-student"),
        f"{pupil.full_name}: нет действующего согласия — законного представителя",
    )


@pytest.mark.django_db
def test_mentor_capacity_counts_other_open_pairs(school, create):
    teacher = mentor(school, capacity=1)
    create([teacher], [mentee(school)])

    refused(
        lambda: create([teacher], [mentee(school)], form_code="educator-educator"),
        f"{teacher.full_name} может вести не более 1 наставляемых, а с этой "
        "парой/группой их будет 2.",
    )


@pytest.mark.django_db
def test_group_larger_than_the_mentors_capacity_is_refused(school, create):
    teacher = mentor(school, capacity=2)
    refused(
        lambda: create([teacher], [mentee(school) for _ in range(3)]),
        f"{teacher.full_name} может вести не более 2 наставляемых",
    )


@pytest.mark.parametrize(
    "closing",
    [
        pytest.param((Status.APPROVED, Status.ACTIVE, Status.COMPLETED), id="done"),
        pytest.param((Status.APPROVED, Status.TERMINATED), id="terminated"),
    ],
)
@pytest.mark.django_db
def test_a_closed_pair_frees_the_mentors_capacity(school, curator, create, closing):
    teacher = mentor(school, capacity=1)
    first = create([teacher], [mentee(school)])
    move(first, *closing, by=curator, reason=Pair.TerminationReason.MENTEE)

    second = create([teacher], [mentee(school)])

    assert second.participations.count() == 2


@pytest.mark.django_db
def test_mentee_is_not_in_two_open_pairs_of_the_same_form(school, create):
    young = mentee(school)
    first = create([mentor(school)], [young])

    refused(
        lambda: create([mentor(school)], [young]),
        f"{young.full_name} уже в другой паре/группе формы «Учитель – учитель» "
        f"(№ {first.pk}).",
    )


@pytest.mark.django_db
def test_mentee_may_be_in_open_pairs_of_different_forms(school, create):
    young = mentee(school)
    create([mentor(school)], [young])
    pair = create([mentor(school)], [young], form_code="educator-educator")
    assert pair.participations.count() == 2


@pytest.mark.django_db
def test_mentee_of_a_completed_pair_may_enter_a_new_one_of_the_same_form(
    school, curator, create
):
    young = mentee(school)
    first = create([mentor(school)], [young])
    move(first, Status.APPROVED, Status.ACTIVE, Status.COMPLETED, by=curator)

    second = create([mentor(school)], [young])

    assert second.status == Status.DRAFT


@pytest.mark.django_db
def test_pair_ending_before_it_starts_is_refused(school, create):
    refused(
        lambda: create(
            [mentor(school)],
            [mentee(school)],
            starts_on=today(),
            ends_on=today() - datetime.timedelta(days=1),
        ),
        "Окончание должно быть позже начала.",
    )


@pytest.mark.django_db
def test_every_broken_rule_is_reported_at_once(school, create):
    elsewhere = OrganizationFactory(district=school.district)
    stranger = mentor(elsewhere)
    stranger.consents.filter(kind=Consent.Kind.MENTOR_DUTIES).delete()
    outsider = PersonFactory(organization=school)  # no bank entry, no consent

    messages = refused(
        lambda: create([stranger], [outsider]),
        f"{stranger.full_name} — из другой организации.",
        f"{stranger.full_name}: нет действующего согласия — на возложение",
        f"{outsider.full_name} нет в банке наставляемых.",
        f"{outsider.full_name}: нет действующего согласия — на обработку",
    )
    assert len(messages) == 4


# ---------------------------------------------------------------- participants


@pytest.mark.django_db
def test_draft_participants_are_replaced_and_the_change_recorded(
    school, curator, create
):
    teacher = mentor(school, capacity=1)
    pair = create([teacher], [mentee(school)])
    other = mentee(school)

    # The pair's own mentee does not count against the mentor's capacity.
    services.set_pair_participants(
        pair=pair, mentors=[teacher], mentees=[other], by=curator
    )

    assert members(pair) == {
        (teacher.pk, Participation.Role.MENTOR),
        (other.pk, Participation.Role.MENTEE),
    }
    [entry] = AuditEntry.objects.for_object(pair).filter(
        action="pair.participants_changed"
    )
    assert entry.actor == curator


@pytest.mark.django_db
def test_saving_the_same_participants_records_no_change(school, curator, create):
    teacher, young = mentor(school), mentee(school)
    pair = create([teacher], [young])

    services.set_pair_participants(
        pair=pair, mentors=[teacher], mentees=[young], by=curator
    )

    assert not AuditEntry.objects.filter(action="pair.participants_changed").exists()


@pytest.mark.django_db
def test_replacing_participants_checks_the_rules_and_keeps_the_old_ones(
    school, curator, create
):
    teacher = mentor(school)
    pair = create([teacher], [mentee(school)])
    before = members(pair)
    outsider = PersonFactory(organization=school)

    refused(
        lambda: services.set_pair_participants(
            pair=pair, mentors=[teacher], mentees=[outsider], by=curator
        ),
        f"{outsider.full_name} нет в банке наставляемых.",
    )
    assert members(pair) == before


@pytest.mark.parametrize("status", [Status.APPROVED, Status.ACTIVE])
@pytest.mark.django_db
def test_participants_change_only_in_a_draft(school, curator, create, status):
    teacher = mentor(school)
    pair = create([teacher], [mentee(school)])
    if status == Status.ACTIVE:
        move(pair, Status.APPROVED, by=curator)
    move(pair, status, by=curator)
    before = members(pair)
    label = Status(status).label

    refused(
        lambda: services.set_pair_participants(
            pair=pair, mentors=[teacher], mentees=[mentee(school)], by=curator
        ),
        f"Состав можно менять только у проекта пары; эта пара — «{label}».",
    )
    assert members(pair) == before


# ---------------------------------------------------------------- statuses

ALLOWED_MOVES = {
    (Status.DRAFT, Status.APPROVED),
    (Status.APPROVED, Status.ACTIVE),
    (Status.APPROVED, Status.TERMINATED),
    (Status.ACTIVE, Status.COMPLETED),
    (Status.ACTIVE, Status.TERMINATED),
    # A consent ended; which way a suspended pair leaves is tested in
    # tests/mentoring/test_consent_withdrawal.py.
    (Status.DRAFT, Status.SUSPENDED),
    (Status.APPROVED, Status.SUSPENDED),
    (Status.ACTIVE, Status.SUSPENDED),
    (Status.SUSPENDED, Status.DRAFT),
    (Status.SUSPENDED, Status.ACTIVE),
    (Status.SUSPENDED, Status.COMPLETED),
    (Status.SUSPENDED, Status.TERMINATED),
}
REFUSED_MOVES = [
    pytest.param(start, end, id=f"{start.value}-{end.value}")
    for start, end in itertools.product(Status, Status)
    if (start, end) not in ALLOWED_MOVES
]


def pair_in(status) -> Pair:
    """A pair built straight in the status, with the dates the status needs."""
    closed = {
        Status.COMPLETED: {"closed_on": today()},
        Status.TERMINATED: {
            "closed_on": today(),
            "termination_reason": Pair.TerminationReason.OTHER,
        },
    }.get(status, {})
    return PairFactory(status=status, **closed)


@pytest.mark.parametrize(("start", "end"), REFUSED_MOVES)
@pytest.mark.django_db
def test_pair_refuses_a_move_outside_its_lifecycle(start, end):
    pair = pair_in(start)
    curator = UserFactory(curator=True, organization=pair.organization)

    messages = refused(
        lambda: services.change_pair_status(
            pair=pair,
            to=end,
            by=curator,
            reason=Pair.TerminationReason.HEAD,
        )
    )

    assert messages == [
        f"Нельзя перевести пару/группу № {pair.pk} из статуса "
        f"«{start.label}» в «{end.label}»."
    ]
    pair.refresh_from_db()
    assert pair.status == start


@pytest.mark.django_db
def test_pair_goes_from_draft_to_completed_and_each_move_is_recorded(
    school, curator, create
):
    pair = create([mentor(school)], [mentee(school)])
    path = [Status.DRAFT, Status.APPROVED, Status.ACTIVE, Status.COMPLETED]

    for end in path[1:]:
        pair = services.change_pair_status(pair=pair, to=end, by=curator)
        pair.refresh_from_db()
        assert pair.status == end
        assert pair.status_changed_at is not None

    assert pair.closed_on == today()
    entries = AuditEntry.objects.for_object(pair).filter(action="pair.status_changed")
    assert [
        (e.actor, e.data["from"], e.data["to"]) for e in entries.order_by("pk")
    ] == [(curator, start.value, end.value) for start, end in itertools.pairwise(path)]


@pytest.mark.django_db
def test_approval_sets_the_start_date_when_none_was_planned(school, curator, create):
    pair = create([mentor(school)], [mentee(school)])
    assert pair.starts_on is None

    services.change_pair_status(pair=pair, to=Status.APPROVED, by=curator)

    pair.refresh_from_db()
    assert pair.starts_on == today()


@pytest.mark.parametrize("start", [Status.APPROVED, Status.ACTIVE])
@pytest.mark.django_db
def test_termination_records_reason_and_date(start):
    pair = pair_in(start)
    curator = UserFactory(curator=True, organization=pair.organization)

    services.change_pair_status(
        pair=pair,
        to=Status.TERMINATED,
        by=curator,
        reason=Pair.TerminationReason.DISMISSAL,
    )

    pair.refresh_from_db()
    assert pair.status == Status.TERMINATED
    assert pair.termination_reason == Pair.TerminationReason.DISMISSAL
    assert pair.closed_on == today()
    [entry] = AuditEntry.objects.for_object(pair)
    assert entry.actor == curator
    assert (entry.data["from"], entry.data["to"]) == (start.value, "terminated")
    assert entry.data["reason"] == "dismissal"


@pytest.mark.parametrize("reason", ["", "надоело"])
@pytest.mark.parametrize("start", [Status.APPROVED, Status.ACTIVE])
@pytest.mark.django_db
def test_termination_needs_a_reason_from_the_list(start, reason):
    pair = pair_in(start)

    refused(
        lambda: services.change_pair_status(
            pair=pair, to=Status.TERMINATED, by=None, reason=reason
        ),
        "Укажите причину досрочного прекращения.",
    )
    pair.refresh_from_db()
    assert (pair.status, pair.closed_on) == (start, None)


@pytest.mark.django_db
def test_approval_rechecks_consents_withdrawn_after_the_draft(school, curator, create):
    young = mentee(school)
    pair = create([mentor(school)], [young])
    # Ended today, before the daily pass has suspended the pair.
    young.consents.filter(kind=Consent.Kind.PERSONAL_DATA).update(
        valid_until=today() - datetime.timedelta(days=1)
    )

    refused(
        lambda: services.change_pair_status(pair=pair, to=Status.APPROVED, by=curator),
        f"{young.full_name}: нет действующего согласия — на обработку "
        "персональных данных.",
    )
    pair.refresh_from_db()
    assert pair.status == Status.DRAFT


@pytest.mark.django_db
def test_approval_checks_consents_on_the_approval_day(school, curator, create):
    teacher = mentor(school)
    duties = teacher.consents.get(kind=Consent.Kind.MENTOR_DUTIES)
    duties.valid_until = today() + datetime.timedelta(days=10)
    duties.save(update_fields=["valid_until"])
    pair = create([teacher], [mentee(school)])

    refused(
        lambda: services.change_pair_status(
            pair=pair,
            to=Status.APPROVED,
            by=curator,
            on=today() + datetime.timedelta(days=11),
        ),
        f"{teacher.full_name}: нет действующего согласия — на возложение",
    )
