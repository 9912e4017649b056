"""Hard rules: pairs the engine never suggests, whatever their score.

The same rules `services.check_pair_composition` enforces on a pair, asked
here of plain features so that a whole organization is checked without a
query per pair; `create_pair` checks each accepted pair again for real.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .scoring import MenteeFeatures, MentorFeatures


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
    if mentor.forms and form.code not in mentor.forms:
        return _("наставник не работает в форме «%(form)s»") % {"form": form.name}
    if form.code in mentee.taken_forms:
        return _("наставляемый уже в паре формы «%(form)s»") % {"form": form.name}
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
