"""Names in grammatical case for documents' running text."""

import pytest

from mentoring.names import (
    Case,
    full_name_in,
    initials_surname,
    phrase_in,
    position_in,
    surname_initials_in,
)
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


@pytest.mark.parametrize(
    ("parts", "gender", "case", "expected"),
    [
        # A hyphenated surname is one word to pytrovich: «Бонч» does not decline.
        (
            ("Бонч-Бруевич", "Владимир", "Дмитриевич"),
            "male",
            Case.DATIVE,
            "Бонч-Бруевичу Владимиру Дмитриевичу",
        ),
        (
            ("Бонч-Бруевич", "Ольга", "Витальевна"),
            "female",
            Case.GENITIVE,
            "Бонч-Бруевич Ольги Витальевны",
        ),
        (
            ("Салтыков-Щедрин", "Михаил", "Евграфович"),
            "male",
            Case.INSTRUMENTAL,
            "Салтыковым-Щедриным Михаилом Евграфовичем",
        ),
        (
            ("Кузьмина-Караваева", "Елизавета", "Юрьевна"),
            "female",
            Case.DATIVE,
            "Кузьминой-Караваевой Елизавете Юрьевне",
        ),
        # The same surname, female and male.
        (
            ("Шевчук", "Ольга", "Петровна"),
            "female",
            Case.DATIVE,
            "Шевчук Ольге Петровне",
        ),
        (
            ("Шевчук", "Олег", "Петрович"),
            "male",
            Case.DATIVE,
            "Шевчуку Олегу Петровичу",
        ),
        # Foreign-looking names and indeclinable surnames.
        (("Ким", "Анна", "Викторовна"), "female", Case.GENITIVE, "Ким Анны Викторовны"),
        (("Мюллер", "Ханс", ""), "male", Case.DATIVE, "Мюллеру Хансу"),
        (("Дюма", "Александр", ""), "male", Case.GENITIVE, "Дюма Александра"),
        (("Черных", "Иван", "Ильич"), "male", Case.DATIVE, "Черных Ивану Ильичу"),
    ],
)
def test_hard_names_take_the_case(parts, gender, case, expected):
    last, first, middle = parts
    person = PersonFactory.build(
        last_name=last, first_name=first, patronymic=middle, gender=gender
    )
    assert full_name_in(person, case) == expected


@pytest.mark.parametrize(
    ("phrase", "case", "expected"),
    [
        (
            "заместитель директора по учебно-воспитательной работе",
            Case.DATIVE,
            "заместителю директора по учебно-воспитательной работе",
        ),
        (
            "заместитель директора по учебно-воспитательной работе",
            Case.ACCUSATIVE,
            "заместителя директора по учебно-воспитательной работе",
        ),
        (
            "советник директора по воспитанию и взаимодействию с детскими "
            "общественными объединениями",
            Case.DATIVE,
            "советнику директора по воспитанию и взаимодействию с детскими "
            "общественными объединениями",
        ),
        ("учитель начальных классов", Case.DATIVE, "учителю начальных классов"),
        ("педагог-психолог", Case.INSTRUMENTAL, "педагогом-психологом"),
        ("старший воспитатель", Case.DATIVE, "старшему воспитателю"),
        ("социальный педагог", Case.ACCUSATIVE, "социального педагога"),
        ("заведующая библиотекой", Case.DATIVE, "заведующей библиотекой"),
        ("старшая вожатая", Case.ACCUSATIVE, "старшую вожатую"),
        ("тьютор", Case.ACCUSATIVE, "тьютора"),
        ("заместитель директора по УВР", Case.DATIVE, "заместителю директора по УВР"),
        (
            "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
            "общеобразовательная школа № 5»",
            Case.GENITIVE,
            "Муниципального бюджетного общеобразовательного учреждения «Средняя "
            "общеобразовательная школа № 5»",
        ),
        ("МБОУ «СОШ № 5»", Case.DATIVE, "МБОУ «СОШ № 5»"),
    ],
)
def test_positions_and_organizations_decline_their_head(phrase, case, expected):
    animate = not phrase[0].isupper()
    assert phrase_in(phrase, case, animate=animate) == expected


def test_a_stored_position_wins_and_an_unknown_one_stays_as_written():
    person = PersonFactory.build(
        position="заместитель директора по УВР",
        position_dative="заместителю директора по учебно-воспитательной работе",
    )
    assert position_in(person, Case.DATIVE) == (
        "заместителю директора по учебно-воспитательной работе"
    )
    assert position_in(person, Case.GENITIVE) == "заместителя директора по УВР"
    unknown = PersonFactory.build(position="IT-специалист")
    assert position_in(unknown, Case.DATIVE) == "IT-специалист"
