"""Names in grammatical case for documents' running text."""

import pytest

from mentoring.names import Case, full_name_in, initials_surname, surname_initials_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parts", "gender", "case", "expected"),
    [
        (
            ("Иванова", "Мария", "Петровна"),
            "female",
            Case.ACCUSATIVE,
            "Иванову Марию Петровну",
        ),
        (
            ("Петров", "Иван", "Сергеевич"),
            "male",
            Case.INSTRUMENTAL,
            "Петровым Иваном Сергеевичем",
        ),
        (
            ("Петров", "Иван", "Сергеевич"),
            "male",
            Case.DATIVE,
            "Петрову Ивану Сергеевичу",
        ),
        (
            ("Римская-Корсакова", "Анна", "Ильинична"),
            "female",
            Case.GENITIVE,
            "Римской-Корсаковой Анны Ильиничны",
        ),
        (
            ("Кузнецова", "Анна", "Олеговна"),
            "female",
            Case.NOMINATIVE,
            "Кузнецова Анна Олеговна",
        ),
    ],
)
def test_full_name_takes_the_case(parts, gender, case, expected):
    last, first, middle = parts
    person = PersonFactory.build(
        last_name=last, first_name=first, patronymic=middle, gender=gender
    )
    assert full_name_in(person, case) == expected


def test_the_curators_correction_wins_over_the_library():
    person = PersonFactory.build(
        last_name="Малец",
        first_name="Олег",
        patronymic="Иванович",
        gender="male",
        name_genitive="Мальца Олега Ивановича",
    )
    assert full_name_in(person, Case.GENITIVE) == "Мальца Олега Ивановича"
    assert surname_initials_in(person, Case.GENITIVE) == "Мальца О.И."
    assert full_name_in(person, Case.DATIVE).startswith("Мал")


def test_signature_and_list_forms():
    person = PersonFactory.build(
        last_name="Белоусова",
        first_name="Светлана",
        patronymic="Андреевна",
        gender="female",
    )
    assert initials_surname(person) == "С.А. Белоусова"
    assert surname_initials_in(person, Case.DATIVE) == "Белоусовой С.А."
