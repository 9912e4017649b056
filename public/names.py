"""Whose name a public page may show: only a person with a valid consent to
distribution of their personal data (152-ФЗ ст. 10.1; Roskomnadzor order
of 24.02.2021 № 18). A line of a signed order naming anyone else is left
out of the public extract, as an extract leaves out what concerns others.

The lines are found by the names of the school's people in every
grammatical case, since the curator may have edited the standard wording.
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, QuerySet

from mentoring.models import Consent, Organization, Person
from mentoring.models.people import consent_valid_on
from mentoring.names import Case, full_name_in


def consented(persons: QuerySet[Person], *, on) -> QuerySet[Person]:
    """The persons annotated `may_publish`: a valid consent to distribution."""
    return persons.annotate(
        may_publish=Exists(
            Consent.objects.filter(
                consent_valid_on(on),
                person=OuterRef("pk"),
                kind=Consent.Kind.DISTRIBUTION,
            )
        )
    )


def _normalized(text: str) -> str:
    """Lower case, «ё» as «е», single spaces, «М. П.» as «М.П.»."""
    text = text.lower().replace("ё", "е")
    text = " ".join(text.split())
    return re.sub(r"(?<!\w)(\w)\.\s(?=\w\.)", r"\1.", text)


def _initials(person: Person) -> str:
    return "".join(f"{p[0]}." for p in (person.first_name, person.patronymic) if p)


def _full_forms(person: Person) -> set[str]:
    """«Петровым Иваном Сергеевичем», «Петровым И.С.», «И.С. Петровым»."""
    forms = set()
    for case in Case:
        full = full_name_in(person, case)
        surname = full.split(" ")[0]
        initials = _initials(person)
        forms |= {full, f"{surname} {initials}", f"{initials} {surname}"}
    return {_normalized(form) for form in forms if form.strip()}


def _traces(person: Person) -> set[str]:
    """Enough to point at a person: the surname, or the first name with the
    patronymic, in any case («Глебова», «Ильи Романовича»)."""
    traces = set()
    for case in Case:
        parts = full_name_in(person, case).split(" ")
        traces.add(parts[0])
        if len(parts) == 3:
            traces.add(f"{parts[1]} {parts[2]}")
    return {_normalized(trace) for trace in traces if trace.strip()}


def _pattern(forms: set[str]) -> re.Pattern | None:
    if not forms:
        return None
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


class Censor:
    """Tells whether a line names someone whose name may not be published."""

    def __init__(self, *, organization: Organization, on):
        people = list(
            consented(Person.objects.filter(organization=organization), on=on).only(
                "last_name",
                "first_name",
                "patronymic",
                "gender",
                *(f"name_{case}" for case in Case if case != Case.NOMINATIVE),
            )
        )
        self.may_publish = {p.pk for p in people if p.may_publish}
        self._shown = _pattern(
            set().union(*(_full_forms(p) for p in people if p.may_publish))
        )
        self._hidden = _pattern(
            set().union(*(_traces(p) for p in people if not p.may_publish))
        )

    def names_hidden(self, line: str) -> bool:
        if self._hidden is None:
            return False
        text = _normalized(line)
        # The consented names go first: a namesake's surname is also a trace.
        if self._shown is not None:
            text = self._shown.sub("\x00", text)
        return self._hidden.search(text) is not None
