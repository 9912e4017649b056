"""Shared by the order tests: a pair with named people, and reading PDFs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from mentoring.models import Participation
from tests.factories import (
    ConsentFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    UserFactory,
)

REFERENCE = Path(__file__).parent / "reference"


def named_pair(organization, *, mentor=None, mentees=None, **pair_fields):
    """A draft pair whose people have the given names (and every consent)."""
    mentor = mentor or {}
    mentees = mentees if mentees is not None else [{}]
    pair = PairFactory(organization=organization, people=False, **pair_fields)
    mentor_person = MentorProfileFactory(
        person__organization=organization,
        **{f"person__{k}": v for k, v in mentor.items()},
    ).person
    Participation.objects.create(
        pair=pair, person=mentor_person, role=Participation.Role.MENTOR
    )
    for fields in mentees:
        mentee = MenteeProfileFactory(
            person__organization=organization,
            **{f"person__{k}": v for k, v in fields.items()},
        ).person
        Participation.objects.create(
            pair=pair, person=mentee, role=Participation.Role.MENTEE
        )
    return pair


def mentor_without_duties_consent(organization, **fields):
    """A teacher in the mentors' bank who never signed the ст. 351.8 consent."""
    person = PersonFactory(organization=organization, **fields)
    ConsentFactory(person=person)
    return MentorProfileFactory(person=person).person


def pdf_text(content: bytes) -> str:
    """The PDF's text, lines joined and hyphenation undone, spaces collapsed."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    text = text.replace("\u2010\n", "").replace("-\n", "-")
    return " ".join(text.split())


def pdf_pages(content: bytes) -> int:
    info = subprocess.run(
        ["pdfinfo", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return int(
        next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
    )


def kind_heading(text: str, *, after: str, before: str) -> bool:
    """«ПРИКАЗ» stands as the document's kind between `after` and `before`.

    The heading is letter-spaced, so pdftotext may read it «П Р И К А З»;
    a bare `"ПРИКАЗ" in text` would be found inside «ПРИКАЗЫВАЮ:» anyway.
    """
    letters = r"\s?".join("ПРИКАЗ")
    pattern = re.escape(after) + r"\s+" + letters + r"\s+" + re.escape(before)
    return re.search(pattern, text) is not None


def gymnasium(**fields):
    """The school the printed documents' references were drawn for."""
    return OrganizationFactory(
        **{
            "full_name": "Государственное бюджетное общеобразовательное учреждение "
            "гимназия № 517 Невского района Санкт-Петербурга",
            "short_name": "ГБОУ гимназия № 517",
            "place": "г. Санкт-Петербург",
            "head_name": "С.А. Белоусова",
            "order_number_suffix": "-од",
            **fields,
        }
    )


def gymnasium_curator(school):
    """Its curator, whom the orders name: her consent is on file."""
    person = PersonFactory(
        organization=school,
        last_name="Корнилова",
        first_name="Анна",
        patronymic="Михайловна",
        position="заместитель директора по УВР",
        consented=True,
    )
    person.user = UserFactory(curator=True, organization=school)
    person.save()
    return person.user
