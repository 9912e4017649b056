"""A known data set for the report: two schools of one district, every
figure counted by hand in the comments (period 2025/2026, last day
31.08.2026: «young» is a teacher whose experience began after 31.08.2022,
«under 35» one born after 31.08.1991)."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from mentoring.models import Meeting, Pair, Participation, Person
from reports.indicators import ReportPeriod
from tests.factories import (
    DistrictFactory,
    MeetingFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    fill_questionnaire,
    form,
)

PERIOD = ReportPeriod.academic(2025)
D = datetime.date


def at(year, month, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


@dataclass
class KnownSet:
    school: object
    other: object
    stranger: object
    people: dict = field(default_factory=dict)
    pairs: dict = field(default_factory=dict)


def teacher(org, name, *, born, since, **extra):
    return PersonFactory(
        organization=org,
        last_name=name,
        birth_date=born,
        teaching_since=since,
        consented=True,
        **extra,
    )


def unit(org, code, status, *, mentors, mentees, starts, ends, **extra):
    pair = PairFactory(
        organization=org,
        form=form(code),
        status=status,
        starts_on=starts,
        ends_on=ends,
        people=False,
        **extra,
    )
    for person in mentors:
        Participation.objects.create(
            pair=pair, person=person, role=Participation.Role.MENTOR
        )
    for person in mentees:
        Participation.objects.create(
            pair=pair, person=person, role=Participation.Role.MENTEE
        )
    return pair


@pytest.fixture
def known():
    district = DistrictFactory()
    school = OrganizationFactory(district=district, short_name="Школа № 1")
    other = OrganizationFactory(district=district, short_name="Школа № 2")
    stranger = OrganizationFactory(short_name="Школа другого района")
    s = KnownSet(school=school, other=other, stranger=stranger)
    p = s.people
    # School 1: ten teachers (N_ped = 10).
    p["M1"] = teacher(school, "Наставникова", born=D(1975, 3, 1), since=D(2000, 9, 1))
    p["M2"] = teacher(school, "Опытнова", born=D(1970, 3, 1), since=D(1995, 9, 1))
    p["M3"] = teacher(school, "Старшова", born=D(1972, 3, 1), since=D(1996, 9, 1))
    p["M4"] = teacher(school, "Запасова", born=D(1980, 3, 1), since=D(2004, 9, 1))
    # Young (experience ≤ 3 years): Y1, Y2, Y3, E1 → N_young = 4.
    # Under 35: Y1, Y3, T4, E1 → N_u35 = 4 (Y2 was born in 1990).
    p["Y1"] = teacher(school, "Молодова", born=D(2000, 1, 1), since=D(2024, 9, 1))
    p["Y2"] = teacher(school, "Новикова", born=D(1990, 5, 1), since=D(2023, 9, 1))
    p["Y3"] = teacher(school, "Ждущая", born=D(1998, 5, 1), since=D(2025, 9, 1))
    p["T4"] = teacher(school, "Середина", born=D(1995, 5, 1), since=D(2016, 9, 1))
    p["E1"] = teacher(school, "Вновь", born=D(1999, 5, 1), since=D(2026, 1, 10))
    p["E2"] = teacher(school, "Давняя", born=D(1965, 5, 1), since=D(1988, 9, 1))
    # Exactly four years of experience on 31.08.2026: no longer young.
    teacher(
        school,
        "Обезличенная",
        born=D(1996, 1, 1),
        since=D(2020, 9, 1),
        anonymised_at=timezone.now(),
    )  # destroyed data: not counted
    p["S1"] = PersonFactory(
        organization=school, student=True, consented=True, last_name="Ученик"
    )
    p["S2"] = PersonFactory(
        organization=school, student=True, consented=True, last_name="Ученица"
    )

    pairs = s.pairs
    # P1: at work past its planned end (1.06.2026) → overdue.
    pairs["P1"] = unit(school, "teacher-teacher", Pair.Status.ACTIVE,
                       mentors=[p["M1"]], mentees=[p["Y1"]],
                       starts=D(2025, 9, 10), ends=D(2026, 6, 1))  # fmt: skip
    pairs["P2"] = unit(school, "teacher-teacher", Pair.Status.COMPLETED,
                       mentors=[p["M1"]], mentees=[p["Y2"]],
                       starts=D(2025, 10, 1), ends=D(2026, 5, 30),
                       closed_on=D(2026, 5, 20))  # fmt: skip
    # P3: a group (one mentor, two pupils), still within its term.
    pairs["P3"] = unit(school, "teacher-student", Pair.Status.ACTIVE,
                       mentors=[p["M2"]], mentees=[p["S1"], p["S2"]],
                       starts=D(2025, 9, 15), ends=D(2027, 5, 31),
                       format=Pair.Format.GROUP)  # fmt: skip
    pairs["P4"] = unit(school, "teacher-teacher", Pair.Status.TERMINATED,
                       mentors=[p["M3"]], mentees=[p["T4"]],
                       starts=D(2025, 9, 20), ends=D(2026, 5, 30),
                       closed_on=D(2026, 2, 1),
                       termination_reason=Pair.TerminationReason.MENTEE)  # fmt: skip
    # Never worked in the period: a draft, and a pair closed the year before.
    unit(school, "teacher-teacher", Pair.Status.DRAFT,
         mentors=[p["M4"]], mentees=[p["Y3"]],
         starts=D(2025, 11, 1), ends=D(2026, 5, 30))  # fmt: skip
    unit(school, "teacher-teacher", Pair.Status.COMPLETED,
         mentors=[p["E2"]], mentees=[p["E1"]],
         starts=D(2024, 9, 1), ends=D(2025, 5, 30),
         closed_on=D(2025, 6, 1))  # fmt: skip

    # Meetings held in the period: m1 (both forms), m2 (the mentor's), m3
    # (none) → 3 held, 2 by the mentor, 1 by the mentee, 1 with both.
    m1 = MeetingFactory(pair=pairs["P1"], starts_at=at(2025, 10))
    m2 = MeetingFactory(pair=pairs["P1"], starts_at=at(2025, 11))
    MeetingFactory(pair=pairs["P3"], starts_at=at(2026, 1))
    MeetingFactory(
        pair=pairs["P1"], starts_at=at(2025, 12), status=Meeting.Status.CANCELLED
    )
    MeetingFactory(pair=pairs["P3"], starts_at=at(2025, 8))  # before the period
    for meeting in (m1, m2):
        fill_questionnaire("meeting-feedback-mentor", respondent=p["M1"],
                           meeting=meeting, submitted_at=meeting.starts_at)  # fmt: skip
    fill_questionnaire("meeting-feedback-mentee", respondent=p["Y1"], meeting=m1,
                       submitted_at=m1.starts_at)  # fmt: skip

    # Satisfaction (the 1–10 item × 10): mentees 90 and 60 → 75 %; the
    # mentor 80 %; 3 respondents of 8 participants → 37.5 %.
    for code, who, pair, value in [
        ("satisfaction-mentee", "Y1", "P1", 9),
        ("satisfaction-mentee", "T4", "P4", 6),
        ("satisfaction-mentor", "M1", "P1", 8),
    ]:
        fill_questionnaire(code, respondent=p[who], pair=pairs[pair],
                           answers={"satisfaction": value},
                           submitted_at=at(2026, 5))  # fmt: skip
    fill_questionnaire("satisfaction-mentor", respondent=p["M2"], pair=pairs["P3"],
                       answers={"satisfaction": 2},
                       submitted_at=at(2025, 8))  # before the period  # fmt: skip

    # Before/after: the three scale items average 4 before and 8 after.
    for moment, values, when in [
        ("before", (4, 5, 3), at(2025, 9, 25)),
        ("after", (7, 9, 8), at(2026, 5, 25)),
    ]:
        fill_questionnaire(
            "impact-teacher",
            respondent=p["Y1"],
            pair=pairs["P1"],
            moment=moment,
            answers=dict(
                zip(
                    ("confidence", "team_comfort", "work_satisfaction"),
                    values,
                    strict=True,
                )
            ),
            submitted_at=when,
        )

    # School 2: two teachers in one pair, one meeting with both forms.
    b_mentor = teacher(other, "Вторая", born=D(1970, 1, 1), since=D(1995, 9, 1))
    b_mentee = teacher(other, "Юная", born=D(2001, 1, 1), since=D(2025, 9, 1))
    p["B-mentee"] = b_mentee
    pairs["B"] = unit(other, "teacher-teacher", Pair.Status.ACTIVE,
                      mentors=[b_mentor], mentees=[b_mentee],
                      starts=D(2025, 9, 1), ends=D(2027, 5, 30))  # fmt: skip
    meeting = MeetingFactory(pair=pairs["B"], starts_at=at(2025, 10))
    for code, who in [
        ("meeting-feedback-mentor", b_mentor),
        ("meeting-feedback-mentee", b_mentee),
    ]:
        fill_questionnaire(code, respondent=who, meeting=meeting,
                           submitted_at=meeting.starts_at)  # fmt: skip

    # Another district's school: never in the first district's figures.
    unit(stranger, "teacher-teacher", Pair.Status.ACTIVE,
         mentors=[teacher(stranger, "Чужая", born=D(1970, 1, 1), since=D(1995, 9, 1))],
         mentees=[teacher(stranger, "Чужая-мл", born=D(2001, 1, 1), since=D(2025, 9, 1))],
         starts=D(2025, 9, 1), ends=D(2027, 5, 30))  # fmt: skip
    return s


@pytest.fixture
def student_category():
    return Person.Category.STUDENT
