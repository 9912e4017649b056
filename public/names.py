"""Whose name a public page may show: only a person with a valid consent to
distribution of their personal data (152-ФЗ ст. 10.1; Roskomnadzor order
of 24.02.2021 № 18). A line of a signed order naming anyone else is left
out of the public extract, as an extract leaves out what concerns others.

The lines are found by the names of the school's people in every
grammatical case, since the curator may have edited the standard wording.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from mentoring.models import Consent, Organization, Person
from mentoring.models.people import consent_valid_on
from mentoring.names import (
    Case,
    name_forms,
    name_traces,
    names_pattern,
    normalized_text,
)


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
        self._shown = names_pattern(
            set().union(*(name_forms(p) for p in people if p.may_publish))
        )
        self._hidden = names_pattern(
            set().union(*(name_traces(p) for p in people if not p.may_publish))
        )

    def names_hidden(self, line: str) -> bool:
        if self._hidden is None:
            return False
        text = normalized_text(line)
        # The consented names go first: a namesake's surname is also a trace.
        if self._shown is not None:
            text = self._shown.sub("\x00", text)
        return self._hidden.search(text) is not None
