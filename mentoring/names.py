"""Russian names and positions in grammatical case, for documents' running text.

pytrovich declines each part of a name by the person's gender (STACK.md: 96 %
of full names right), a hyphenated surname as one word: its rules know which
halves decline («Бонч-Бруевичу», «Римской-Корсаковой»). Positions and
organization names are phrases: pymorphy3 declines the head («заместитель»,
«социальный педагог») and leaves what depends on it («директора по
учебно-воспитательной работе») as it is. What no library can know (fleeting
vowels, stress, an unknown word) the curator corrects on the person's card;
a stored form always wins.
"""

from __future__ import annotations

import re
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
    """The three parts of a name in the case, each declined as a whole word.

    Splitting «Бонч-Бруевич» at the hyphen declined the indeclinable «Бонч»
    («Бончу-Бруевичу»); pytrovich's own rules treat the hyphen.
    """
    if case == Case.NOMINATIVE:
        return last_name, first_name, patronymic
    grammatical = _CASES[Case(case)]
    sex = _Gender.FEMALE if gender == "female" else _Gender.MALE
    return tuple(
        _maker().make(part, sex, grammatical, value) if value else value
        for part, value in zip(_PARTS, (last_name, first_name, patronymic), strict=True)
    )


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


# ---------------------------------------------------------------- phrases

_GRAMMEMES = {
    Case.NOMINATIVE: "nomn",
    Case.GENITIVE: "gent",
    Case.DATIVE: "datv",
    Case.ACCUSATIVE: "accs",
    Case.INSTRUMENTAL: "ablt",
    Case.PREPOSITIONAL: "loct",
}
# Words that agree with the head: «социальный педагог», «заведующая».
_AGREEING = {"ADJF", "PRTF"}
_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")


@lru_cache(maxsize=1)
def _morph():
    # Imported on first use: only documents need it, not every process
    # (measured on the dev box: import 0.2 s, the dictionary 0.1-0.3 s and
    # 25 MB; then about 1 ms a phrase).
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _nominative(word: str, pos: set[str]):
    """The word's nominative singular reading of one of the parts of speech."""
    for parse in _morph().parse(word):
        tag = parse.tag
        if tag.POS in pos and tag.case == "nomn" and tag.number != "plur":
            return parse
    return None


def _in_case(parse, grammemes: set[str], source: str) -> str | None:
    form = parse.inflect(grammemes)
    if form is None:
        return None
    word = form.word
    return word[0].upper() + word[1:] if source[:1].isupper() else word


def phrase_in(text: str, case: str, *, animate: bool = False) -> str | None:
    """«заместитель директора по УВР» → «заместителю директора по УВР».

    The head of the phrase (agreeing words, then the first noun) takes the
    case; the rest depends on it and stays. None when the phrase does not
    start with a word the dictionary reads as nominative: better a stored
    correction, or the nominative, than a guess. `animate` for a person's
    position: «назначить тьютора», where the dictionary has «тьютор»
    inanimate; an organization («лицей») is not.
    """
    if case == Case.NOMINATIVE or not text.strip():
        return text
    words = list(_WORD.finditer(text))
    head = []
    for index, match in enumerate(words):
        if match.start() != (head[-1].end() + 1 if head else 0):
            break
        word = match.group()
        if len(word) > 1 and word.isupper():
            # «МБОУ», «СОШ»: an abbreviation does not decline.
            break
        agreeing = _nominative(word.lower(), _AGREEING)
        following = words[index + 1] if index + 1 < len(words) else None
        # «старший воспитатель»: «старший» is a noun too, but here it agrees.
        if (
            agreeing is not None
            and following is not None
            and following.start() == match.end() + 1
            and _nominative(following.group().lower(), {"NOUN"} | _AGREEING)
        ):
            head.append(match)
            continue
        if _nominative(word.lower(), {"NOUN"}) is not None:
            head.append(match)
            break
        if agreeing is None:
            break
        head.append(match)
    if not head:
        return text if words and words[0].group().isupper() else None
    noun = _nominative(head[-1].group().lower(), {"NOUN"})
    # A participle or adjective used as a noun («заведующая», «дежурный»)
    # is its own head and keeps its gender.
    last = noun or _nominative(head[-1].group().lower(), _AGREEING)
    grammemes = {_GRAMMEMES[Case(case)]}
    if case == Case.ACCUSATIVE and animate and last.tag.gender == "masc":
        # A masculine animate accusative is the genitive form.
        grammemes = {"gent"}
    agree = set(grammemes)
    if last.tag.gender:
        agree.add(last.tag.gender)
    if "accs" in grammemes and last.tag.gender == "masc":
        agree.add(last.tag.animacy or "inan")
    declined = []
    for match in head:
        word = match.group()
        # pymorphy3 reads a hyphenated word itself: «педагог-психолог» →
        # «педагогу-психологу», «учебно-методический» → «учебно-методическому».
        if match is head[-1]:
            form = _in_case(last, grammemes if noun is not None else agree, word)
        else:
            parse = _nominative(word.lower(), _AGREEING)
            form = _in_case(parse, agree, word)
        if form is None:
            return None
        declined.append(form)
    pieces, done = [], 0
    for match, form in zip(head, declined, strict=True):
        pieces += [text[done : match.start()], form]
        done = match.end()
    return "".join(pieces) + text[done:]


def position_in(person, case: str) -> str:
    """The person's position in the case: the stored correction, else
    pymorphy3's, else as written (a word the dictionary does not know)."""
    if not person.position or case == Case.NOMINATIVE:
        return person.position
    stored = getattr(person, f"position_{case}", "")
    if stored:
        return stored
    return phrase_in(person.position, case, animate=True) or person.position


# Finding a person's name in free text: an order's edited lines (extracts for
# participants, the public page's extract) name people in any case and style.


def normalized_text(text: str) -> str:
    """Lower case, «ё» as «е», single spaces, «М. П.» as «М.П.»."""
    text = text.lower().replace("ё", "е")
    text = " ".join(text.split())
    return re.sub(r"(?<!\w)(\w)\.\s(?=\w\.)", r"\1.", text)


def _initials(person) -> str:
    return "".join(f"{p[0]}." for p in (person.first_name, person.patronymic) if p)


def name_forms(person) -> set[str]:
    """How a line may name the person in full, normalized, in every case:
    «Петровым Иваном Сергеевичем», «Петровым И.С.», «И.С. Петровым»."""
    forms = set()
    for case in Case:
        full = full_name_in(person, case)
        surname = full.split(" ")[0]
        initials = _initials(person)
        forms |= {full, f"{surname} {initials}", f"{initials} {surname}"}
    return {normalized_text(form) for form in forms if form.strip()}


def name_traces(person) -> set[str]:
    """Enough to point at a person, normalized: the surname, or the first
    name with the patronymic, in any case («Глебова», «Ильи Романовича»)."""
    traces = set()
    for case in Case:
        parts = full_name_in(person, case).split(" ")
        traces.add(parts[0])
        if len(parts) == 3:
            traces.add(f"{parts[1]} {parts[2]}")
    return {normalized_text(trace) for trace in traces if trace.strip()}


def names_pattern(forms: set[str]) -> re.Pattern | None:
    """A pattern matching any of `forms` as whole words (longest first), or
    None when there is nothing to look for."""
    if not forms:
        return None
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
