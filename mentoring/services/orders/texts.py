"""The standard wording of each kind of order; the curator edits it as needed.

The wording is in templates/orders/texts/<kind>.txt; here is only what the
wording needs: the period, the curator, the pairs' clauses (names put in
case), who reads the order and whom it rewards. A template is plain text in
parts: a line "# title", "# preamble", "# item" or "# reward_basis" starts
one. A part's lines are joined with spaces (a line starting with a comma or
a full stop joins without one), so long sentences wrap in the template; a
blank line breaks the part into lines (the pairs under the first item); an
empty part is dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from mentoring.dates import academic_year, short_date
from mentoring.documents import pairs_for_document
from mentoring.models import (
    MenteeProfile,
    Order,
    OrderReward,
    Organization,
    Pair,
    Participation,
    Person,
    User,
)
from mentoring.names import Case, full_name_in, position_in
from mentoring.selectors.orders import organization_curator

# Who signs «С приказом ознакомлены»: the school's employees the order
# concerns (ТК РФ ст. 22, 68). Students, trainees from a college and an
# employer's representatives are not its employees: they get an extract.
STAFF_CATEGORIES = (Person.Category.TEACHER, Person.Category.OTHER)


class StandardText(NamedTuple):
    title: str
    preamble: str
    items: list[str]
    acquainted: tuple[Person, ...] | list[Person] = ()
    # The reward order's appendix: (person, OrderReward.Kind, basis) rows.
    rewards: tuple[tuple[Person, str, str], ...] | list = ()


def _curator_person(organization: Organization, author: User | None) -> Person | None:
    """The person who curates: the author if they have a card, else a curator's."""
    if author is not None and getattr(author, "person", None) is not None:
        return author.person
    return organization_curator(organization=organization)


# How the mentee is named after «закрепить … за»: category phrases in the
# instrumental case (not name endings — those come from the library).
_MENTEE_AS = {
    MenteeProfile.Category.YOUNG_SPECIALIST: _("молодым специалистом"),
    MenteeProfile.Category.NEW_EMPLOYEE: _("вновь принятым педагогическим работником"),
    MenteeProfile.Category.CHANGED_POSITION: _(
        "педагогическим работником, сменившим место работы (должность),"
    ),
    MenteeProfile.Category.DIFFICULTIES: _(
        "педагогическим работником, испытывающим профессиональные затруднения,"
    ),
    MenteeProfile.Category.NEW_TECHNOLOGIES: _("педагогическим работником"),
    MenteeProfile.Category.BURNOUT: _("педагогическим работником"),
    MenteeProfile.Category.BY_REQUEST: _("педагогическим работником"),
    MenteeProfile.Category.TRAINEE: _("студентом-практикантом"),
}


def _mentee_phrase(person: Person) -> str:
    """«молодым специалистом Петровым Иваном Сергеевичем»."""
    name = full_name_in(person, Case.INSTRUMENTAL)
    if person.category == Person.Category.STUDENT:
        student = (
            _("обучающейся")
            if person.gender == Person.Gender.FEMALE
            else _("обучающимся")
        )
        if person.school_class:
            return _("%(who)s %(class)s класса %(name)s") % {
                "who": student,
                "class": person.school_class,
                "name": name,
            }
        return f"{student} {name}"
    profile = getattr(person, "mentee_profile", None)
    role = _MENTEE_AS.get(getattr(profile, "category", None))
    if role is None:
        role = (
            _("наставляемой")
            if person.gender == Person.Gender.FEMALE
            else _("наставляемым")
        )
    return f"{role} {name}"


def _join(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s и %(last)s") % {
        "first": ", ".join(names[:-1]),
        "last": names[-1],
    }


def pair_clause(pair: Pair) -> str:
    """«Закрепить наставником Иванову Марию Петровну за молодым специалистом …»."""
    roles = list(pair.participations.all())
    mentors = [p.person for p in roles if p.role == Participation.Role.MENTOR]
    mentees = [p.person for p in roles if p.role == Participation.Role.MENTEE]
    mentor_names = _join([full_name_in(p, Case.ACCUSATIVE) for p in mentors])
    verb = _("наставниками") if len(mentors) > 1 else _("наставником")
    if len(mentees) > 1:
        whom = _("группой наставляемых в составе: %(names)s") % {
            "names": ", ".join(full_name_in(p, Case.GENITIVE) for p in mentees)
        }
    else:
        whom = _join([_mentee_phrase(p) for p in mentees])
    return _(
        "Закрепить %(verb)s %(mentors)s за %(whom)s (форма наставничества "
        "«%(form)s»%(term)s)."
    ) % {
        "verb": verb,
        "mentors": mentor_names,
        "whom": whom,
        "form": pair.form.name,
        "term": _term_clause(pair),
    }


def _term_clause(pair: Pair) -> str:
    if pair.starts_on and pair.ends_on:
        return _(", срок с %(start)s по %(end)s") % {
            "start": short_date(pair.starts_on),
            "end": short_date(pair.ends_on),
        }
    if pair.ends_on:
        return _(", срок до %(end)s") % {"end": short_date(pair.ends_on)}
    return ""


# ---------------------------------------------------------------- templates

_PART = re.compile(r"^# (title|preamble|item|reward_basis)\s*$")
# Punctuation that continues the previous line without a space.
_JOINS_TIGHT = (",", ".", ";", ":")


def _unwrap(lines: list[str]) -> str:
    """A part's lines as its text: wrapped lines joined, blank lines kept."""
    paragraphs, current = [], ""
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif not current or line.startswith(_JOINS_TIGHT):
            current += line
        else:
            current += " " + line
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


def render_order_text(kind: str, context: dict) -> dict[str, list[str]]:
    """Each part of the kind's template, rendered: {"item": [...], ...}."""
    text = render_to_string(f"orders/texts/{kind}.txt", context)
    parts: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = _PART.match(line.strip())
        if match:
            parts.append((match[1], []))
        elif parts:
            parts[-1][1].append(line)
    rendered: dict[str, list[str]] = {}
    for name, lines in parts:
        if value := _unwrap(lines):
            rendered.setdefault(name, []).append(value)
    return rendered


def _one(parts: dict[str, list[str]], name: str) -> str:
    return "".join(parts.get(name, []))


def _context(organization: Organization, author: User | None) -> dict:
    year = academic_year()
    curator = _curator_person(organization, author)
    return {
        "year": year,
        "next_year": year + 1,
        "curator": curator,
        "curator_dative": full_name_in(curator, Case.DATIVE) if curator else "",
        "curator_accusative": (
            full_name_in(curator, Case.ACCUSATIVE) if curator else ""
        ),
        "curator_position_dative": (
            position_in(curator, Case.DATIVE) if curator else ""
        ),
        "curator_position_accusative": (
            position_in(curator, Case.ACCUSATIVE) if curator else ""
        ),
    }


# ---------------------------------------------------------------- standard texts


def standard_pair_order_text(
    *, organization: Organization, pairs: list[Pair], author: User | None
) -> StandardText:
    pairs = pairs_for_document(
        Pair.objects.filter(pk__in=[p.pk for p in pairs]).order_by("pk")
    )
    context = _context(organization, author)
    curator = context["curator"]
    starts = [p.starts_on for p in pairs if p.starts_on]
    ends = [p.ends_on for p in pairs if p.ends_on]
    parts = render_order_text(
        Order.Kind.PAIRS,
        {
            **context,
            "pair_clauses": [pair_clause(pair) for pair in pairs],
            "starts_on": min(starts) if starts and ends else None,
            "ends_on": max(ends) if starts and ends else None,
        },
    )
    acquainted: list[Person] = []
    for pair in pairs:
        for participation in pair.participations.all():
            person = participation.person
            if person.category in STAFF_CATEGORIES and person not in acquainted:
                acquainted.append(person)
    if curator is not None and curator not in acquainted:
        acquainted.append(curator)
    return StandardText(
        title=_one(parts, "title"),
        preamble=_one(parts, "preamble"),
        items=parts.get("item", []),
        acquainted=acquainted,
    )


def standard_order_text(
    *, kind: str, organization: Organization, author: User | None
) -> StandardText:
    """The usual wording of each kind of order; the curator edits it as needed."""
    context = _context(organization, author)
    curator = context["curator"]
    known = {
        Order.Kind.REWARD,
        Order.Kind.FINAL_EVENT,
        Order.Kind.REGULATIONS,
        Order.Kind.CURATOR,
    }
    parts = render_order_text(kind if kind in known else Order.Kind.OTHER, context)
    rewards = []
    if kind == Order.Kind.REWARD:
        # Who mentored this year, thanked for it unless the curator says more.
        mentors = (
            Person.objects.filter(
                organization=organization,
                participations__role=Participation.Role.MENTOR,
                participations__pair__status__in=[
                    Pair.Status.ACTIVE,
                    Pair.Status.COMPLETED,
                ],
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        basis = _one(parts, "reward_basis")
        rewards = [(mentor, OrderReward.Kind.THANKS, basis) for mentor in mentors]
    acquainted = []
    if kind == Order.Kind.CURATOR and curator is not None:
        acquainted = [curator]
    return StandardText(
        title=_one(parts, "title"),
        preamble=_one(parts, "preamble"),
        items=parts.get("item", []),
        acquainted=acquainted,
        rewards=rewards,
    )


def order_standard_text(order: Order) -> StandardText:
    """The standard wording of an existing order, from what it holds now:
    its pairs, their people's names and terms, the curator's card."""
    author = order.created_by
    if order.kind == Order.Kind.PAIRS:
        return standard_pair_order_text(
            organization=order.organization,
            pairs=list(order.pairs.all()),
            author=author,
        )
    return standard_order_text(
        kind=order.kind, organization=order.organization, author=author
    )
