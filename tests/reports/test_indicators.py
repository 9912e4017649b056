"""Every figure of the report, computed in SQL, against the hand counts of
the known data set (conftest.py)."""

from decimal import Decimal

import pytest

from mentoring.models import Organization, Pair, Person
from reports.indicators import Indicators, organization_indicators
from tests.reports.conftest import PERIOD


def _indicators(organizations):
    return organization_indicators(
        organizations=organizations,
        period_start=PERIOD.start,
        period_end=PERIOD.end,
    )


@pytest.mark.django_db
def test_each_figure_of_a_school_matches_the_hand_count(known):
    ind = _indicators(Organization.objects.filter(pk=known.school.pk)).total

    assert (ind.teachers, ind.young_teachers, ind.teachers_under_35) == (10, 4, 4)
    assert (ind.mentors, ind.mentor_teachers, ind.mentees) == (3, 3, 5)
    assert ind.mentors_by_category == {Person.Category.TEACHER: 3}
    assert ind.mentees_by_category == {
        Person.Category.TEACHER: 3,
        Person.Category.STUDENT: 2,
    }
    assert ind.mentor_share == Decimal("30.0")
    assert (ind.young_mentees, ind.young_share) == (2, Decimal("50.0"))
    assert (ind.mentees_under_35, ind.under_35_share) == (2, Decimal("50.0"))
    assert ind.mentees_per_mentor == Decimal("1.7")
    assert ind.participants == 8
    assert (ind.pairs, ind.groups) == (3, 1)
    assert ind.by_form == {"Учитель – учитель": [3, 0], "Учитель – ученик": [0, 1]}
    assert ind.by_format == {Pair.Format.TRADITIONAL: 3, Pair.Format.GROUP: 1}
    assert (ind.completed, ind.terminated, ind.overdue) == (1, 1, 1)
    assert ind.terminated_by_reason == {Pair.TerminationReason.MENTEE: 1}
    assert ind.completion_rate == Decimal("33.3")
    assert (
        ind.meetings,
        ind.meetings_mentor_feedback,
        ind.meetings_mentee_feedback,
        ind.meetings_full_feedback,
    ) == (3, 2, 1, 1)
    assert ind.feedback_rate == Decimal("33.3")
    assert ind.mentee_satisfaction == Decimal("75.0")
    assert ind.mentor_satisfaction == Decimal("80.0")
    assert ind.satisfaction == Decimal("76.7")
    assert (ind.satisfaction_respondents, ind.response_rate) == (3, Decimal("37.5"))
    assert (ind.impact_before, ind.impact_after, ind.growth) == (
        Decimal("4.0"),
        Decimal("8.0"),
        Decimal("4.0"),
    )
    assert not ind.is_empty


@pytest.mark.django_db
def test_the_district_is_summed_and_kept_per_organization(known):
    district = Organization.objects.filter(district=known.school.district)

    grouped = _indicators(district)

    assert set(grouped.per_organization) == {known.school.pk, known.other.pk}
    other = grouped.per_organization[known.other.pk]
    assert (other.teachers, other.mentors, other.mentees, other.pairs) == (2, 1, 1, 1)
    assert other.meetings_full_feedback == 1
    total = grouped.total
    assert (total.teachers, total.young_teachers) == (12, 5)
    assert (total.mentors, total.mentees, total.pairs, total.groups) == (4, 6, 4, 1)
    assert (total.young_mentees, total.young_share) == (3, Decimal("60.0"))
    assert (total.meetings, total.meetings_full_feedback) == (4, 2)
    assert total.feedback_rate == Decimal("50.0")
    assert total.by_form == {"Учитель – учитель": [4, 0], "Учитель – ученик": [0, 1]}
    # The school's satisfaction is the district's: school 2 was not asked.
    assert total.mentee_satisfaction == Decimal("75.0")


@pytest.mark.django_db
def test_a_period_without_work_is_empty(known):
    ind = organization_indicators(
        organizations=Organization.objects.filter(pk=known.school.pk),
        period_start=PERIOD.start.replace(year=2020),
        period_end=PERIOD.end.replace(year=2021),
    ).total

    assert ind.is_empty
    assert ind.teachers == 10  # the lists are there; nothing happened
    assert ind.feedback_rate is None and ind.growth is None


@pytest.mark.django_db
def test_the_figures_take_the_same_queries_for_one_and_many_organizations(
    known, django_assert_num_queries
):
    with django_assert_num_queries(9):
        _indicators(Organization.objects.filter(pk=known.school.pk))
    with django_assert_num_queries(9):
        _indicators(Organization.objects.all())


@pytest.mark.django_db
def test_the_figures_survive_freezing_as_json(known):
    import json

    ind = _indicators(Organization.objects.filter(pk=known.school.pk)).total

    thawed = Indicators.from_dict(json.loads(json.dumps(ind.as_dict())))

    assert thawed == ind
    assert thawed.completion_rate == ind.completion_rate
