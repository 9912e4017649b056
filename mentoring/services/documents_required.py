"""Documents a form of mentoring requires (a certificate of no criminal record
for an outside adult mentoring a minor, ТК РФ ст. 351.1): which a person
needs in a pair, whether theirs holds on the day, and recording them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.dates import short_date
from mentoring.models import (
    DocumentKind,
    DocumentRequirement,
    MentoringForm,
    Order,
    Participation,
    Person,
    PersonDocument,
    User,
)

from .audit import ensure_acts_for, record_change

# What the refusal says of each kind: «нет справки…», «справка… истекла …».
PROBLEMS = {
    DocumentKind.CRIMINAL_RECORD: {
        "missing": gettext_lazy("нет справки о наличии (отсутствии) судимости"),
        "expired": gettext_lazy(
            "справка о наличии (отсутствии) судимости истекла %(day)s"
        ),
    },
}


def requirements_for(
    *,
    requirements: Iterable[DocumentRequirement],
    person: Person,
    as_mentor: bool,
    minor_opposite: bool,
) -> list[DocumentRequirement]:
    """Of a form's requirements, those that apply to this person on this side."""
    side = (
        DocumentRequirement.Side.MENTOR
        if as_mentor
        else DocumentRequirement.Side.MENTEE
    )
    return [
        requirement
        for requirement in requirements
        if requirement.is_active
        and requirement.side == side
        and requirement.applies_to(person)
        and (minor_opposite or not requirement.only_with_minor)
    ]


def document_problem(
    *,
    requirement: DocumentRequirement,
    documents: Iterable[PersonDocument],
    on: datetime.date,
) -> str | None:
    """What is wrong with the person's document for the requirement, if anything."""
    current = [
        d
        for d in documents
        if d.kind == requirement.kind and d.replaced_at is None and d.issued_on <= on
    ]
    phrases = PROBLEMS[requirement.kind]
    if not current:
        return str(phrases["missing"])
    document = current[0]
    ends = [
        day
        for day in (document.valid_until, requirement.expires_on(document.issued_on))
        if day is not None
    ]
    if ends and min(ends) < on:
        return str(phrases["expired"]) % {"day": short_date(min(ends))}
    return None


def required_document_errors(
    *,
    form: MentoringForm,
    mentors: Iterable[Person],
    mentees: Iterable[Person],
    on: datetime.date | None = None,
) -> list[ValidationError]:
    """One error per participant and document the form requires but they lack."""
    day = on or timezone.localdate()
    mentors, mentees = list(mentors), list(mentees)
    requirements = list(form.document_requirements.filter(is_active=True))
    if not requirements:
        return []
    people = [*mentors, *mentees]
    documents: dict[int, list[PersonDocument]] = {}
    for document in PersonDocument.objects.current().filter(
        person_id__in=[p.pk for p in people]
    ):
        documents.setdefault(document.person_id, []).append(document)
    minor_mentee = any(p.is_minor(day) for p in mentees)
    minor_mentor = any(p.is_minor(day) for p in mentors)
    errors = []
    for as_mentor, side in ((True, mentors), (False, mentees)):
        for person in side:
            for requirement in requirements_for(
                requirements=requirements,
                person=person,
                as_mentor=as_mentor,
                minor_opposite=minor_mentee if as_mentor else minor_mentor,
            ):
                problem = document_problem(
                    requirement=requirement,
                    documents=documents.get(person.pk, []),
                    on=day,
                )
                if problem:
                    errors.append(
                        ValidationError(
                            _("%(name)s: %(problem)s (требуется в форме «%(form)s»).")
                            % {
                                "name": person.full_name,
                                "problem": problem,
                                "form": form.name,
                            },
                            code="document_missing",
                        )
                    )
    return errors


def order_document_errors(
    *, order: Order, on: datetime.date | None = None
) -> list[ValidationError]:
    """The same check for every pair of an order before it goes for signature."""
    errors = []
    for pair in order.pairs.select_related("form").order_by("pk"):
        roles = list(pair.participations.select_related("person"))
        for error in required_document_errors(
            form=pair.form,
            mentors=[p.person for p in roles if p.role == Participation.Role.MENTOR],
            mentees=[p.person for p in roles if p.role == Participation.Role.MENTEE],
            on=on,
        ):
            errors.append(
                ValidationError(
                    _("Пара/группа № %(pair)s: %(message)s")
                    % {"pair": pair.pk, "message": error.message},
                    code=error.code,
                )
            )
    return errors


def default_valid_until(*, kind: str, issued_on: datetime.date) -> datetime.date | None:
    """The strictest term any active requirement sets for documents of the kind."""
    ends = [
        requirement.expires_on(issued_on)
        for requirement in DocumentRequirement.objects.filter(
            kind=kind, is_active=True, valid_months__isnull=False
        )
    ]
    return min(ends) if ends else None


@transaction.atomic
def record_document(
    *,
    person: Person,
    kind: str,
    issued_on: datetime.date,
    by: User | None,
    number: str = "",
    issued_by: str = "",
    valid_until: datetime.date | None = None,
    scan=None,
) -> PersonDocument:
    """Record a document the person presented; it replaces their previous one
    of the same kind, which stays on file as history."""
    # Pair checks lock the people they count on: a document replaced in the
    # middle of one waits for it.
    person = Person.objects.select_for_update().get(pk=person.pk)
    ensure_acts_for(by=by, organization=person.organization)
    previous = (
        PersonDocument.objects.select_for_update()
        .current()
        .filter(person=person, kind=kind)
        .first()
    )
    document = PersonDocument(
        person=person,
        kind=kind,
        number=number,
        issued_on=issued_on,
        issued_by=issued_by,
        valid_until=valid_until or default_valid_until(kind=kind, issued_on=issued_on),
        recorded_by=by if by and by.is_authenticated else None,
    )
    if scan:
        document.scan = scan
    # Checked before the previous one steps aside, so a refused document
    # leaves it in force.
    document.full_clean(validate_constraints=False)
    if previous is not None:
        if issued_on < previous.issued_on:
            raise ValidationError(
                _("У %(name)s уже есть более новый документ «%(kind)s» от %(day)s.")
                % {
                    "name": person.full_name,
                    "kind": previous.get_kind_display(),
                    "day": short_date(previous.issued_on),
                },
                code="older_than_current",
            )
        previous.replaced_at = timezone.now()
        previous.save(update_fields=["replaced_at"])
    document.validate_constraints()
    document.save()
    record_change(
        actor=by,
        obj=document,
        action="document.replaced" if previous else "document.recorded",
        organization=person.organization,
        message=(
            _("Заменён документ: %(kind)s — %(name)s, выдан %(day)s")
            if previous
            else _("Внесён документ: %(kind)s — %(name)s, выдан %(day)s")
        )
        % {
            "kind": document.get_kind_display(),
            "name": person.full_name,
            "day": short_date(issued_on),
        },
        data={
            "person": person.pk,
            "kind": kind,
            "issued_on": issued_on.isoformat(),
            "valid_until": document.valid_until.isoformat()
            if document.valid_until
            else None,
            "replaces": previous.pk if previous else None,
        },
    )
    return document
