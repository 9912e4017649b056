"""Deadlines as schools write them, read into dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from roadmap.deadlines import DeadlineKind, parse_deadline, shift_years

D = datetime.date


@pytest.mark.parametrize(
    ("text", "kind", "starts_on", "ends_on"),
    [
        ("Сентябрь 2023г.", DeadlineKind.MONTH, D(2023, 9, 1), D(2023, 9, 30)),
        (
            "Сентябрь - октябрь 2023г.",
            DeadlineKind.RANGE,
            D(2023, 9, 1),
            D(2023, 10, 31),
        ),
        (
            "Ноябрь 2023г. – апрель 2024г.",
            DeadlineKind.RANGE,
            D(2023, 11, 1),
            D(2024, 4, 30),
        ),
        ("Май 2024г.", DeadlineKind.MONTH, D(2024, 5, 1), D(2024, 5, 31)),
        # Without a year, months fall in the academic year: May is next spring.
        ("Май", DeadlineKind.MONTH, D(2024, 5, 1), D(2024, 5, 31)),
        ("Ноябрь – апрель", DeadlineKind.RANGE, D(2023, 11, 1), D(2024, 4, 30)),
        ("в феврале", DeadlineKind.MONTH, D(2024, 2, 1), D(2024, 2, 29)),
        ("В течение года", DeadlineKind.YEAR, D(2023, 9, 1), D(2024, 8, 31)),
        ("постоянно", DeadlineKind.PERMANENT, None, None),
        (
            "В соответствии со сроками реализации персонализированных программ",
            DeadlineKind.PROGRAM_TERMS,
            None,
            None,
        ),
        ("", DeadlineKind.NONE, None, None),
        ("до 15.10.2023", DeadlineKind.DAY, D(2023, 10, 15), D(2023, 10, 15)),
        (
            "01.09.2023 – 15.10.2023",
            DeadlineKind.DAY,
            D(2023, 9, 1),
            D(2023, 10, 15),
        ),
    ],
)
def test_deadline_text_is_read_into_kind_and_months(text, kind, starts_on, ends_on):
    deadline = parse_deadline(text, year=2023)

    assert (deadline.kind, deadline.starts_on, deadline.ends_on) == (
        kind,
        starts_on,
        ends_on,
    )


def test_a_word_that_is_not_a_month_is_refused_in_russian():
    with pytest.raises(ValidationError) as error:
        parse_deadline("Сентябрь – октобрь 2023 г.", year=2023)

    assert "«октобрь» — не месяц" in error.value.messages[0]


def test_text_without_any_month_is_refused():
    with pytest.raises(ValidationError, match="не распознан"):
        parse_deadline("2023", year=2023)


def test_a_deadline_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError, match="окончание раньше начала"):
        parse_deadline("Апрель 2024 г. – ноябрь 2023 г.", year=2023)


def test_years_in_a_copied_deadline_move_with_the_year():
    assert shift_years("Ноябрь 2023г. – апрель 2024г.", 2) == (
        "Ноябрь 2025г. – апрель 2026г."
    )


def test_a_date_that_does_not_exist_is_refused():
    with pytest.raises(ValidationError, match="такой даты нет"):
        parse_deadline("до 31.09.2023", year=2023)
