"""Deadlines as schools write them, read into dates the database can compare.

A roadmap's «Срок исполнения» is free text: «Сентябрь - октябрь 2023г.»,
«Ноябрь 2023г. – апрель 2024г.», «Май», «В течение года», «постоянно»,
«В соответствии со сроками реализации персонализированных программ». The text
is kept as written and printed; the parsed kind and dates drive overdue,
due-soon, reminders and the month timeline.

Months without a year belong to the academic year the roadmap runs in:
September to December to its first calendar year, January to August to the
second.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring.dates import academic_year_bounds, calendar_year_of


class DeadlineKind(models.TextChoices):
    DAY = "day", _("к дате")
    MONTH = "month", _("месяц")
    RANGE = "range", _("несколько месяцев")
    YEAR = "year", _("в течение года")
    PERMANENT = "permanent", _("постоянно")
    PROGRAM_TERMS = "program_terms", _("по срокам программ")
    NONE = "none", _("не указан")


# Every case a month is written in: «сентябрь», «сентября», «сентябре».
_MONTH_FORMS = {
    number: tuple(stem + ending for ending in endings)
    for number, stem, endings in [
        (1, "январ", ("ь", "я", "е")),
        (2, "феврал", ("ь", "я", "е")),
        (3, "март", ("", "а", "е")),
        (4, "апрел", ("ь", "я", "е")),
        (5, "ма", ("й", "я", "е")),
        (6, "июн", ("ь", "я", "е")),
        (7, "июл", ("ь", "я", "е")),
        (8, "август", ("", "а", "е")),
        (9, "сентябр", ("ь", "я", "е")),
        (10, "октябр", ("ь", "я", "е")),
        (11, "ноябр", ("ь", "я", "е")),
        (12, "декабр", ("ь", "я", "е")),
    ]
}
MONTHS_BY_FORM = {form: n for n, forms in _MONTH_FORMS.items() for form in forms}
MONTH_NAMES = [
    "",
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]

_WORD = re.compile(r"[а-яё]+|\d{4}", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])")
_FILLER = {
    "г",
    "гг",
    "года",
    "год",
    "уч",
    "учебного",
    "и",
    "по",
    "с",
    "до",
    "в",
    "во",
    "конец",
    "начало",
    "середина",
}


@dataclass(frozen=True)
class Deadline:
    kind: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


def month_of(word: str) -> int | None:
    return MONTHS_BY_FORM.get(word.lower())


def last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str, *, year: int) -> Deadline:
    """Read a deadline written in the academic year starting in `year`.

    Raises ValidationError (code `bad_deadline`) for text with no month that
    is not one of the known phrases, or an unknown word where a month stands.
    """
    stripped = " ".join(str(text or "").split())
    lowered = stripped.lower()
    if not stripped:
        return Deadline(DeadlineKind.NONE)
    if "постоянн" in lowered:
        return Deadline(DeadlineKind.PERMANENT)
    if "программ" in lowered and ("срок" in lowered or "соответств" in lowered):
        return Deadline(DeadlineKind.PROGRAM_TERMS)
    if "в течение" in lowered and "год" in lowered:
        starts_on, ends_on = academic_year_bounds(year)
        return Deadline(DeadlineKind.YEAR, starts_on, ends_on)
    dates = _DATE.findall(stripped)
    if dates:
        return _by_dates(stripped, dates)
    months: list[tuple[int, int | None]] = []
    for word in _WORD.findall(stripped):
        if word.isdigit():
            # A year applies to the months written before it without one.
            explicit = int(word)
            months = [(m, explicit if y is None else y) for m, y in months]
            continue
        month = month_of(word)
        if month is not None:
            months.append((month, None))
        elif word.lower() not in _FILLER:
            raise ValidationError(
                gettext(
                    "Срок «%(text)s»: «%(word)s» — не месяц. Пишите, например, "
                    "«Сентябрь – октябрь 2025 г.», «В течение года» или «Постоянно»."
                )
                % {"text": stripped, "word": word},
                code="bad_deadline",
            )
    if not months:
        raise ValidationError(
            gettext(
                "Срок «%(text)s» не распознан: укажите месяц или месяцы, «В течение "
                "года», «Постоянно» или «В соответствии со сроками программ»."
            )
            % {"text": stripped},
            code="bad_deadline",
        )
    (first, first_year), (last, last_year) = months[0], months[-1]
    first_year = first_year or calendar_year_of(first, year)
    last_year = last_year or calendar_year_of(last, year)
    starts_on = datetime.date(first_year, first, 1)
    ends_on = last_day(last_year, last)
    if ends_on < starts_on:
        raise ValidationError(
            gettext("Срок «%(text)s»: окончание раньше начала.") % {"text": stripped},
            code="deadline_order",
        )
    kind = (
        DeadlineKind.MONTH
        if starts_on.replace(day=1) == ends_on.replace(day=1)
        else DeadlineKind.RANGE
    )
    return Deadline(kind, starts_on, ends_on)


def _by_dates(text: str, dates: list[tuple[str, str, str]]) -> Deadline:
    """«до 15.10.2025», «01.09.2025 – 15.10.2025»: to the day."""
    try:
        days = [datetime.date(int(y), int(m), int(d)) for d, m, y in dates]
    except ValueError as error:
        raise ValidationError(
            gettext("Срок «%(text)s»: такой даты нет.") % {"text": text},
            code="bad_deadline",
        ) from error
    if days[-1] < days[0]:
        raise ValidationError(
            gettext("Срок «%(text)s»: окончание раньше начала.") % {"text": text},
            code="deadline_order",
        )
    return Deadline(DeadlineKind.DAY, days[0], days[-1])


def shift_years(text: str, delta: int) -> str:
    """«Май 2022 г.» moved `delta` years: a template copied into another year."""
    if not delta:
        return text
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta), text)
