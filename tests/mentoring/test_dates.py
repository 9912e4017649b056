"""The school year runs from 1 September to 31 August (`mentoring/dates.py`)."""

import datetime

import pytest

from mentoring.dates import (
    academic_months,
    academic_year,
    academic_year_bounds,
    academic_year_label,
    calendar_year_of,
)
from roadmap.deadlines import parse_deadline
from surveys.monitoring import Period


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2025, 8, 31), 2024),
        (datetime.date(2025, 9, 1), 2025),
        (datetime.date(2025, 12, 31), 2025),
        (datetime.date(2026, 1, 1), 2025),
    ],
)
def test_a_day_belongs_to_the_year_that_began_the_last_first_of_september(day, year):
    assert academic_year(day) == year
    assert Period.current(day).start_year == year


def test_the_year_its_months_and_its_name():
    assert academic_year_bounds(2025) == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
    )
    months = academic_months(2025)
    assert (months[0], months[3], months[4], months[-1]) == (
        datetime.date(2025, 9, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 8, 1),
    )
    assert (calendar_year_of(10, 2025), calendar_year_of(3, 2025)) == (2025, 2026)
    assert academic_year_label(2025) == "2025/2026"
    assert Period(2025).months() == months
    assert Period(2025).label == "2025/2026"


def test_a_roadmaps_whole_year_and_its_months_use_the_same_rule():
    whole = parse_deadline("В течение года", year=2025)
    spring = parse_deadline("Март – апрель", year=2025)

    assert (whole.starts_on, whole.ends_on) == academic_year_bounds(2025)
    assert (spring.starts_on, spring.ends_on) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 4, 30),
    )
