"""Hard rules: pairs the engine never suggests, whatever their score.

The same rules `services.check_pair_composition` enforces on a pair, asked
here of plain features so that a whole organization is checked without a
query per pair; `create_pair` checks each accepted pair again for real.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .scoring import MenteeFeatures, MentorFeatures, _


@dataclass(frozen=True)
class FormSpec:
    code: str
    name: str
    mentor_categories: frozenset[str]
    mentee_categories: frozenset[str]


@dataclass(frozen=True)
class Options:
    allow_other_organizations: bool = False
    # (mentor person id, mentee person id)
    pins: frozenset[tuple[int, int]] = frozenset()
    forbids: frozenset[tuple[int, int]] = frozenset()


def mentee_refusal(mentee: MenteeFeatures) -> str | None:
    if mentee.missing_consents:
        return _("нет действующего согласия: %(kinds)s") % {
            "kinds": "; ".join(mentee.missing_consents)
        }
    return None


def pair_refusal(
    mentor: MentorFeatures,
    mentee: MenteeFeatures,
    form: FormSpec,
    options: Options,
) -> str | None:
    """Why this mentor may not take this mentee in this form, or None."""
    if mentor.person_id == mentee.person_id:
        return _("нельзя быть наставником самому себе")
    if (mentor.person_id, mentee.person_id) in options.forbids:
        return _("куратор исключил эту пару")
    if mentor.missing_consents:
        return _("у наставника нет действующего согласия")
    if (
        mentor.organization_id != mentee.organization_id
        and not options.allow_other_organizations
    ):
        return _("наставник из другой организации")
    if (
        mentor.category not in form.mentor_categories
        or mentee.category not in form.mentee_categories
    ):
        return _("форма «%(form)s» не подходит категориям участников") % {
            "form": form.name
        }
    # The documents the form requires (a certificate of no criminal record):
    # create_pair would refuse the pair, so it is never suggested.
    problem = mentor.document_problem(form.code, other_is_minor=mentee.is_minor)
    if problem:
        return _("наставник: %(problem)s") % {"problem": problem}
    problem = mentee.document_problem(form.code, other_is_minor=mentor.is_minor)
    if problem:
        return _("наставляемый: %(problem)s") % {"problem": problem}
    if mentor.forms and form.code not in mentor.forms:
        return _("наставник не работает в форме «%(form)s»") % {"form": form.name}
    if mentor.free_places <= 0:
        return _("у наставника нет свободных мест")
    return None


def pick_form(
    mentor: MentorFeatures,
    mentee: MenteeFeatures,
    forms: Sequence[FormSpec],
    options: Options,
) -> tuple[FormSpec | None, str | None]:
    """The form the pair would work in (the mentee's wish first), or why none.

    When no form fits, the reason given is the one for the form the mentee
    asked for, else for the first form of the run.
    """
    ordered = sorted(forms, key=lambda f: f.code not in mentee.desired_forms)
    first_refusal = None
    for form in ordered:
        refusal = pair_refusal(mentor, mentee, form, options)
        if refusal is None:
            return form, None
        first_refusal = first_refusal or refusal
    return None, first_refusal


def form_choice(
    mentors: Sequence[MentorFeatures],
    mentees: Sequence[MenteeFeatures],
    forms: Sequence[FormSpec],
    options: Options,
) -> np.ndarray:
    """`pick_form` for every (mentee, mentor) at once: a form index or -1.

    Mentees the rules refuse outright (`mentee_refusal`) get -1 everywhere.
    """
    n, m = len(mentees), len(mentors)
    mentor_ids = np.array([x.person_id for x in mentors])
    mentee_ids = np.array([x.person_id for x in mentees])
    allowed = mentee_ids[:, None] != mentor_ids[None, :]
    mentor_ok = np.array(
        [not x.missing_consents and x.free_places > 0 for x in mentors]
    )
    mentee_ok = np.array([mentee_refusal(x) is None for x in mentees])
    allowed &= mentee_ok[:, None] & mentor_ok[None, :]
    if not options.allow_other_organizations:
        mentor_orgs = np.array([x.organization_id for x in mentors])
        mentee_orgs = np.array([x.organization_id for x in mentees])
        allowed &= mentee_orgs[:, None] == mentor_orgs[None, :]
    row = {pid: i for i, pid in enumerate(mentee_ids.tolist())}
    column = {pid: j for j, pid in enumerate(mentor_ids.tolist())}
    for mentor_id, mentee_id in options.forbids:
        if mentee_id in row and mentor_id in column:
            allowed[row[mentee_id], column[mentor_id]] = False
    # Form indexes are few: a byte each keeps 5,000 × 1,500 at 7.5 MB.
    chosen = np.full((n, m), -1, dtype=np.int8)
    # What does not depend on the mentee's wish is computed once per form,
    # not once per pass.
    form_fits = [
        allowed
        & np.array(
            [
                x.category in form.mentor_categories
                and (not x.forms or form.code in x.forms)
                for x in mentors
            ],
            dtype=bool,
        )[None, :]
        & _documents_fit(mentors, mentees, form.code)
        for form in forms
    ]
    # The mentee's wished forms first, then the others, each in the run's order.
    for wished_pass in (True, False):
        for index, form in enumerate(forms):
            mentee_fits = np.array(
                [
                    x.category in form.mentee_categories
                    and (form.code in x.desired_forms) == wished_pass
                    for x in mentees
                ]
            )
            mask = form_fits[index] & mentee_fits[:, None] & (chosen == -1)
            chosen[mask] = index
    return chosen


def _documents_fit(
    mentors: Sequence[MentorFeatures], mentees: Sequence[MenteeFeatures], code: str
) -> np.ndarray:
    """(mentee, mentor) pairs whose documents the form does not hold back."""

    def lacking(people, *, only_with_minor: bool) -> np.ndarray:
        return np.array(
            [
                any(
                    c == code and minor_only == only_with_minor
                    for c, minor_only, _problem in x.document_problems
                )
                for x in people
            ],
            dtype=bool,
        )

    mentor_minor = np.array([x.is_minor for x in mentors], dtype=bool)
    mentee_minor = np.array([x.is_minor for x in mentees], dtype=bool)
    held_back = (
        lacking(mentors, only_with_minor=False)[None, :]
        | (lacking(mentors, only_with_minor=True)[None, :] & mentee_minor[:, None])
        | lacking(mentees, only_with_minor=False)[:, None]
        | (lacking(mentees, only_with_minor=True)[:, None] & mentor_minor[None, :])
    )
    return ~held_back
