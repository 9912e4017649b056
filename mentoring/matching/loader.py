"""One batched read of an organization's banks into the engine's features.

A fixed number of queries whatever the size of the school: profiles with
their consents and forms, open pairs, preferences. `mentor_features` and
`mentee_features` are the seam where questionnaire answers join the bank
entries (requests, competencies, free time).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists
from django.db.models.expressions import RawSQL

from mentoring.models import (
    BankStatus,
    Consent,
    DocumentRequirement,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    Organization,
    Participation,
    PersonDocument,
    Preference,
)
from mentoring.selectors import open_pairs_as
from mentoring.services import lower_first, missing_consents, open_mentee_load
from mentoring.services.documents_required import document_problem, requirements_for

from .collection import without_cyclic_collection
from .providers import profile_answers
from .rules import FormSpec
from .scoring import MenteeFeatures, MentorFeatures, Preferences

GRADE = re.compile(r"^\s*(\d{1,2})")


@dataclass(frozen=True)
class Population:
    mentors: list[MentorFeatures]
    mentees: list[MenteeFeatures]
    preferences: Preferences
    forms: list[FormSpec]


def form_spec(form: MentoringForm) -> FormSpec:
    return FormSpec(
        code=form.code,
        name=form.name,
        mentor_categories=frozenset(form.mentor_categories),
        mentee_categories=frozenset(form.mentee_categories),
    )


def _subjects(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split(",") if s.strip())


def _grade(school_class: str) -> int | None:
    found = GRADE.match(school_class or "")
    return int(found.group(1)) if found else None


def _lines(*texts: str) -> tuple[str, ...]:
    lines = []
    for text in texts:
        lines += [line.strip(" .") for line in re.split(r"[\n.;]", text or "")]
    return tuple(line for line in lines if line)


def _answered(answers: dict, *codes: str) -> tuple[str, ...]:
    """Options and texts a bank questionnaire gave, as lines to compare."""
    lines: list[str] = []
    for code in codes:
        value = answers.get(code)
        if isinstance(value, list | tuple):
            lines += [str(v) for v in value]
        elif isinstance(value, str):
            lines += _lines(value)
    return tuple(lines)


def _document_problems(
    person, *, as_mentor: bool, requirements, on: datetime.date, documents
) -> tuple[tuple[str, bool, str], ...]:
    """What the person lacks of each document the run's forms require of them,
    given their current documents."""
    problems = []
    for requirement in requirements_for(
        requirements=requirements,
        person=person,
        as_mentor=as_mentor,
        minor_opposite=True,
    ):
        problem = document_problem(requirement=requirement, documents=documents, on=on)
        if problem:
            problems.append(
                (requirement.form.code, requirement.only_with_minor, problem)
            )
    return tuple(problems)


def mentor_features(
    profile: MentorProfile,
    *,
    on: datetime.date,
    load: int,
    answers: dict | None = None,
    requirements: Sequence[DocumentRequirement] = (),
    related: Related,
) -> MentorFeatures:
    """A mentor's bank entry as features, with their consents, documents and
    forms from `related`.

    `answers` are the candidate questionnaire's (from the providers.py registry):
    what the mentor is ready to help with joins the competencies.
    """
    person = profile.person
    return MentorFeatures(
        person_id=person.pk,
        name=person.full_name,
        organization_id=person.organization_id,
        category=person.category,
        experience_years=person.experience_years(on),
        grade=_grade(person.school_class),
        subjects=_subjects(person.subjects),
        missing_consents=tuple(
            lower_first(m)
            for m in missing_consents(
                person=person,
                as_mentor=True,
                on=on,
                consents=related.consents.get(person.pk, ()),
            )
        ),
        is_minor=person.is_minor(on),
        document_problems=_document_problems(
            person,
            as_mentor=True,
            requirements=requirements,
            on=on,
            documents=related.documents.get(person.pk, ()),
        ),
        competencies=_lines(profile.competencies.replace(",", "\n"))
        + _answered(answers or {}, "expertise", "about"),
        forms=related.forms.get(profile.pk, frozenset()),
        free_places=max(profile.capacity - load, 0),
    )


def mentee_features(
    profile: MenteeProfile,
    *,
    on: datetime.date,
    answers: dict | None = None,
    requirements: Sequence[DocumentRequirement] = (),
    related: Related,
) -> MenteeFeatures:
    """A mentee's bank entry as features, with their consents, documents and
    desired forms from `related`.

    `answers` are the request questionnaire's: the difficulties ticked and the
    request in the mentee's words join the requests.
    """
    person = profile.person
    return MenteeFeatures(
        person_id=person.pk,
        name=person.full_name,
        organization_id=person.organization_id,
        category=person.category,
        experience_years=person.experience_years(on),
        grade=_grade(person.school_class),
        subjects=_subjects(person.subjects),
        missing_consents=tuple(
            lower_first(m)
            for m in missing_consents(
                person=person, on=on, consents=related.consents.get(person.pk, ())
            )
        ),
        is_minor=person.is_minor(on),
        document_problems=_document_problems(
            person,
            as_mentor=False,
            requirements=requirements,
            on=on,
            documents=related.documents.get(person.pk, ()),
        ),
        requests=_lines(profile.requests)
        + _answered(answers or {}, "difficulties", "request"),
        desired_forms=related.forms.get(profile.pk, frozenset()),
    )


@dataclass(frozen=True)
class Related:
    """The rows of many people read in one query each, by person or profile id.

    prefetch_related built a filtered queryset per person and per relation,
    which cost more than all the SQL of a run (issue 15).
    """

    consents: dict[int, list[Consent]]
    documents: dict[int, list[PersonDocument]]
    forms: dict[int, frozenset[str]]


def _any_of(ids: list[int]) -> RawSQL:
    """The right side of `__in` as one array parameter.

    A subquery of the bank ran its joins over the school's people again for
    each relation (a third of a run's SQL at a school of 11,600 people), and
    a list of 6,500 ids cost more to prepare in Python than to read.
    """
    return RawSQL("SELECT unnest(%s::bigint[])", (ids,))


def _related(profiles, through, profile_field: str) -> Related:
    """The related rows of `profiles`, the run's profiles as read."""
    person_ids = _any_of([p.person_id for p in profiles])
    consents, documents, forms = defaultdict(list), defaultdict(list), defaultdict(set)
    # Only what the consent check reads (`Consent.is_valid`, its kind).
    for consent in Consent.objects.filter(person_id__in=person_ids).only(
        "person_id", "kind", "given_on", "withdrawn_on", "valid_until"
    ):
        consents[consent.person_id].append(consent)
    for document in PersonDocument.objects.current().filter(person_id__in=person_ids):
        documents[document.person_id].append(document)
    rows = through.objects.filter(
        **{f"{profile_field}_id__in": _any_of([p.pk for p in profiles])}
    ).values_list(f"{profile_field}_id", "mentoringform__code")
    for profile_id, code in rows:
        forms[profile_id].add(code)
    return Related(
        consents=dict(consents),
        documents=dict(documents),
        forms={k: frozenset(v) for k, v in forms.items()},
    )


def _in_bank(model, organization: Organization, categories: set[str]):
    return (
        model.objects.filter(
            status=BankStatus.IN_BANK,
            person__organization=organization,
            person__category__in=categories,
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def _may_process(profile, on: datetime.date, related: Related) -> bool:
    return not missing_consents(
        person=profile.person,
        as_mentor=False,
        on=on,
        consents=related.consents.get(profile.person_id, ()),
    )


@without_cyclic_collection
def load_population(
    *,
    organization: Organization,
    forms: Sequence[MentoringForm],
    on: datetime.date,
) -> Population:
    specs = [form_spec(f) for f in forms]
    mentor_categories = set().union(*(f.mentor_categories for f in specs))
    mentee_categories = set().union(*(f.mentee_categories for f in specs))
    mentors_in_bank = _in_bank(MentorProfile, organization, mentor_categories)
    # A mentee in an open pair of any form has a mentor: the run is for the
    # others, the psychologist's list (selectors.mentees_without_pair).
    mentees_in_bank = _in_bank(MenteeProfile, organization, mentee_categories).exclude(
        Exists(open_pairs_as(Participation.Role.MENTEE))
    )
    mentor_profiles, mentee_profiles = list(mentors_in_bank), list(mentees_in_bank)
    mentor_related = _related(
        mentor_profiles, MentorProfile.forms.through, "mentorprofile"
    )
    mentee_related = _related(
        mentee_profiles, MenteeProfile.desired_forms.through, "menteeprofile"
    )
    # Nobody without a personal-data consent takes part in a run: not even as
    # an unmatched line (152-ФЗ ст. 9 ч. 2), until the daily pass archives them.
    mentor_profiles = [
        p for p in mentor_profiles if _may_process(p, on, mentor_related)
    ]
    mentee_profiles = [
        p for p in mentee_profiles if _may_process(p, on, mentee_related)
    ]
    load = open_mentee_load(mentor_ids=[p.person_id for p in mentor_profiles])
    answers = profile_answers(profiles=[*mentor_profiles, *mentee_profiles])
    requirements = list(
        DocumentRequirement.objects.filter(
            form__in=forms, is_active=True
        ).select_related("form")
    )
    mentors = [
        mentor_features(
            p,
            on=on,
            load=len(load.get(p.person_id, ())),
            answers=answers.get(p),
            requirements=requirements,
            related=mentor_related,
        )
        for p in mentor_profiles
    ]
    mentees = [
        mentee_features(
            p,
            on=on,
            answers=answers.get(p),
            requirements=requirements,
            related=mentee_related,
        )
        for p in mentee_profiles
    ]
    return Population(
        mentors=mentors,
        mentees=mentees,
        preferences=load_preferences(organization=organization),
        forms=specs,
    )


def load_preferences(*, organization: Organization) -> Preferences:
    mentee_ranks: dict[int, dict[int, int]] = defaultdict(dict)
    mentor_ranks: dict[int, dict[int, int]] = defaultdict(dict)
    rows = Preference.objects.filter(chooser__organization=organization).values_list(
        "side", "chooser_id", "chosen_id", "rank"
    )
    for side, chooser, chosen, rank in rows:
        ranks = mentee_ranks if side == Preference.Side.MENTEE else mentor_ranks
        ranks[chooser][chosen] = rank
    return Preferences(mentee_ranks=dict(mentee_ranks), mentor_ranks=dict(mentor_ranks))
