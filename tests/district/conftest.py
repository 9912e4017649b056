"""A district of two schools with figures counted by hand, and a neighbour
(also built by the browser tests: `build_district`)."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from district.models import Pilot
from district.selectors import Period
from mentoring.models import Meeting, Pair, Participation
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    MeetingFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
    fill_questionnaire,
    form,
)


@dataclass
class District:
    district: object
    gymnasium: object  # a pilot, on time with feedback, one activity late
    lyceum: object  # no roadmap, no feedback at all
    methodologist: object
    neighbour: object  # another district's school, never in the table


def _people(pair):
    found = {p.role: p.person for p in pair.participations.all()}
    return found[Participation.Role.MENTOR], found[Participation.Role.MENTEE]


def _hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def district(db):
    return build_district()


def build_district() -> District:
    today = timezone.localdate()
    period = Period.current()
    district = DistrictFactory(name="Кировский район")
    gymnasium = OrganizationFactory(district=district, short_name="Гимназия № 1")
    lyceum = OrganizationFactory(district=district, short_name="Лицей № 2")
    Pilot.objects.create(organization=gymnasium, since=datetime.date(2025, 9, 1))

    # Gymnasium: four activities, one done, one late, two ahead.
    stage = StageFactory(roadmap=RoadmapFactory(organization=gymnasium))
    ActivityFactory(stage=stage, done=True)
    ActivityFactory(stage=stage, ends_on=today - datetime.timedelta(days=5))
    ActivityFactory.create_batch(
        2, stage=stage, ends_on=today + datetime.timedelta(days=30)
    )
    # Last year's roadmap is not this year's progress.
    old = StageFactory(
        roadmap=RoadmapFactory(organization=gymnasium, year=period.start_year - 1)
    )
    ActivityFactory(stage=old, ends_on=today - datetime.timedelta(days=400))

    # Gymnasium pairs: a teacher pair and a teacher–student one with the same
    # mentor (1 mentor, 2 mentees); a draft and one closed last year, not counted.
    teachers = PairFactory(organization=gymnasium, active=True)
    mentor, young_mentee = _people(teachers)
    mixed = PairFactory(
        organization=gymnasium,
        active=True,
        form=form("teacher-student"),
        people=False,
    )
    Participation.objects.create(
        pair=mixed, person=mentor, role=Participation.Role.MENTOR
    )
    Participation.objects.create(
        pair=mixed,
        person=PersonFactory(organization=gymnasium, student=True),
        role=Participation.Role.MENTEE,
    )
    PairFactory(organization=gymnasium)  # a draft: its young mentee not covered
    PairFactory(
        organization=gymnasium,
        status=Pair.Status.COMPLETED,
        starts_on=period.starts_on - datetime.timedelta(days=300),
        closed_on=period.starts_on - datetime.timedelta(days=1),
    )
    PersonFactory(organization=gymnasium)  # an experienced teacher: not young
    # Young in the gymnasium: 3 (the three mentees), covered: 1.

    held = [
        MeetingFactory(pair=teachers, starts_at=_hours_ago(2)),
        MeetingFactory(pair=teachers, starts_at=_hours_ago(1)),
    ]
    MeetingFactory(pair=teachers, starts_at=_hours_ago(-48), status="planned")
    MeetingFactory(pair=teachers, starts_at=_hours_ago(3), status="cancelled")
    for meeting in held:
        fill_questionnaire(
            "meeting-feedback-mentor", respondent=mentor, meeting=meeting
        )
    fill_questionnaire(
        "meeting-feedback-mentee", respondent=young_mentee, meeting=held[0]
    )
    # Feedback: 3 forms of 4 owed = 75 %.
    fill_questionnaire(
        "satisfaction-mentee",
        respondent=young_mentee,
        pair=teachers,
        answers={"satisfaction": 9, "effectiveness": 2},
    )
    fill_questionnaire(
        "satisfaction-mentor",
        respondent=mentor,
        pair=teachers,
        answers={"satisfaction": 7},
    )
    # Satisfaction: (9 + 7) / 2 × 10 = 80 %.

    # Lyceum: one teacher pair, two meetings, no forms: 0 %.
    lyceum_pair = PairFactory(organization=lyceum, active=True)
    for hours in (5, 6):
        MeetingFactory(pair=lyceum_pair, starts_at=_hours_ago(hours))

    neighbour = OrganizationFactory(short_name="Школа соседей")
    PairFactory(organization=neighbour, active=True)
    assert Meeting.objects.filter(pair__organization=gymnasium).count() == 4
    return District(
        district=district,
        gymnasium=gymnasium,
        lyceum=lyceum,
        methodologist=UserFactory(methodologist=True, district=district),
        neighbour=neighbour,
    )
