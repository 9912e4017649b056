"""The school year (учебный год): from 1 September to 31 August.

Roadmaps, orders, consents and monitoring all count in it; a year is named
by the calendar year it starts in (2025 is 2025/2026).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format

FIRST_MONTH = 9  # September


def academic_year(day: datetime.date | None = None) -> int:
    """The calendar year in which the school year of `day` (today) began."""
    day = day or timezone.localdate()
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def academic_year_start(year: int) -> datetime.date:
    return datetime.date(year, FIRST_MONTH, 1)


def academic_year_end(year: int) -> datetime.date:
    """Its last day, 31 August of the next calendar year."""
    return academic_year_start(year + 1) - datetime.timedelta(days=1)


def academic_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return academic_year_start(year), academic_year_end(year)


def calendar_year_of(month: int, year: int) -> int:
    """The calendar year of a month of the school year starting in `year`:
    September 2025 and March 2026 are both of 2025/2026."""
    return year if month >= FIRST_MONTH else year + 1


def rest_of_academic_year(
    day: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """From `day` (today) to the end of its school year: the default term of
    pairs drafted now. On 31 August that is no term at all, so the next year."""
    day = day or timezone.localdate()
    end = academic_year_end(academic_year(day))
    if end <= day:
        end = academic_year_end(academic_year(day) + 1)
    return day, end


def academic_months(year: int) -> list[datetime.date]:
    """The first day of each of its twelve months, September to August."""
    return [
        datetime.date(calendar_year_of(month, year), month, 1)
        for month in (*range(FIRST_MONTH, 13), *range(1, FIRST_MONTH))
    ]


def academic_year_label(year: int) -> str:
    """«2025/2026»."""
    return f"{year}/{year + 1}"


def short_date(day: datetime.date) -> str:
    """ДД.ММ.ГГГГ, as config/formats/ru/formats.py says a Russian date reads."""
    return date_format(day, "SHORT_DATE_FORMAT")
