"""Russian names in grammatical case, for documents' running text.

pytrovich declines each part by the person's gender (STACK.md: 96 % of full
names right). What no library can know (fleeting vowels, stress) the curator
corrects on the person's card; a stored form always wins.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _
from pytrovich.enums import Case as _Case
from pytrovich.enums import Gender as _Gender
from pytrovich.enums import NamePart
from pytrovich.maker import PetrovichDeclinationMaker


class Case(TextChoices):
    NOMINATIVE = "nominative", _("именительный (кто?)")
    GENITIVE = "genitive", _("родительный (кого?)")
    DATIVE = "dative", _("дательный (кому?)")
    ACCUSATIVE = "accusative", _("винительный (кого?)")
    INSTRUMENTAL = "instrumental", _("творительный (кем?)")
    PREPOSITIONAL = "prepositional", _("предложный (о ком?)")


_CASES = {
    Case.GENITIVE: _Case.GENITIVE,
    Case.DATIVE: _Case.DATIVE,
    Case.ACCUSATIVE: _Case.ACCUSATIVE,
    Case.INSTRUMENTAL: _Case.INSTRUMENTAL,
    Case.PREPOSITIONAL: _Case.PREPOSITIONAL,
}
_PARTS = (NamePart.LASTNAME, NamePart.FIRSTNAME, NamePart.MIDDLENAME)


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


def decline(
    *, last_name: str, first_name: str, patronymic: str, gender: str, case: str
) -> tuple[str, str, str]:
    """The three parts of a name in the case; hyphenated parts each declined."""
    if case == Case.NOMINATIVE:
        return last_name, first_name, patronymic
    grammatical = _CASES[Case(case)]
    sex = _Gender.FEMALE if gender == "female" else _Gender.MALE
    declined = []
    for part, value in zip(_PARTS, (last_name, first_name, patronymic), strict=True):
        pieces = [
            _maker().make(part, sex, grammatical, piece) if piece else piece
            for piece in value.split("-")
        ]
        declined.append("-".join(pieces))
    return tuple(declined)


def full_name_in(person, case: str) -> str:
    """«Иванову Марию Петровну»: the stored correction, else the library's."""
    stored = getattr(person, f"name_{case}", "") if case != Case.NOMINATIVE else ""
    if stored:
        return stored
    parts = decline(
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
        gender=person.gender,
        case=case,
    )
    return " ".join(p for p in parts if p)


def surname_initials_in(person, case: str = Case.NOMINATIVE) -> str:
    """«Ивановой М.П.»: the surname in case, then the initials."""
    last_name = full_name_in(person, case).split(" ")[0]
    initials = "".join(f"{p[0]}." for p in (person.first_name, person.patronymic) if p)
    return f"{last_name} {initials}".strip()


def initials_surname(person) -> str:
    """«М.П. Иванова», as under a signature (ГОСТ Р 7.0.97)."""
    initials = "".join(f"{p[0]}." for p in (person.first_name, person.patronymic) if p)
    return f"{initials} {person.last_name}".strip()
