"""The banks of mentors and mentees: nobody is kept without consent."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentoring.models import (
    BankStatus,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    Pair,
    Participation,
    Person,
    User,
)

from .audit import ensure_acts_for, record_change
from .consents import ensure_consents
from .pairs import open_mentee_load

# Statuses in which a profile holds the person's data for work: they need consent.
WORKING_BANK_STATUSES = (BankStatus.CANDIDATE, BankStatus.IN_BANK)


def check_bank_entry(*, person: Person, status: str) -> None:
    """Nobody is kept in a bank for work without a valid consent on file.

    The mentor's consent to extra duties is asked for only when they enter a
    pair: a teacher may wait in the bank before agreeing to a concrete load.
    """
    if status in WORKING_BANK_STATUSES:
        ensure_consents(person=person, as_mentor=False)


def save_mentor_profile(
    *,
    profile: MentorProfile,
    by: User | None,
    forms: Iterable[MentoringForm] | None = None,
) -> MentorProfile:
    """Create or update a bank entry, and its forms when given; the admin form
    calls this after validation."""
    return _save_bank_entry(
        profile=profile,
        by=by,
        bank="mentor_bank",
        entered=_("Включён в банк наставников: %(name)s"),
        changed=_("Изменена запись банка наставников: %(name)s"),
        data={"status": profile.status, "capacity": profile.capacity},
        forms=("forms", forms),
    )


def save_mentee_profile(
    *,
    profile: MenteeProfile,
    by: User | None,
    desired_forms: Iterable[MentoringForm] | None = None,
) -> MenteeProfile:
    return _save_bank_entry(
        profile=profile,
        by=by,
        bank="mentee_bank",
        entered=_("Включён в банк наставляемых: %(name)s"),
        changed=_("Изменена запись банка наставляемых: %(name)s"),
        data={"status": profile.status, "category": profile.category},
        forms=("desired_forms", desired_forms),
    )


@transaction.atomic
def _save_bank_entry(
    *,
    profile,
    by,
    bank: str,
    entered: str,
    changed: str,
    data: dict,
    forms: tuple[str, Iterable[MentoringForm] | None],
):
    creating = profile.pk is None
    person = Person.objects.select_for_update().get(pk=profile.person_id)
    ensure_acts_for(by=by, organization=person.organization)
    check_bank_entry(person=person, status=profile.status)
    if not creating:
        _check_bank_change_keeps_pairs(profile=profile, person=person)
    if profile.status in WORKING_BANK_STATUSES:
        # Back from the archive on a new consent: the old reason no longer holds.
        profile.archived_on, profile.archive_reason = None, ""
    profile.full_clean()
    profile.save()
    field, chosen = forms
    if chosen is not None:
        getattr(profile, field).set(chosen)
        data = {**data, field: sorted(f.pk for f in chosen)}
    record_change(
        actor=by,
        obj=profile,
        action=f"{bank}.entered" if creating else f"{bank}.changed",
        organization=person.organization,
        message=(entered if creating else changed) % {"name": person.full_name},
        data=data,
    )
    return profile


def _check_bank_change_keeps_pairs(*, profile, person: Person) -> None:
    """A bank entry may not be changed under the pairs that rely on it."""
    is_mentor = isinstance(profile, MentorProfile)
    role = Participation.Role.MENTOR if is_mentor else Participation.Role.MENTEE
    open_pairs = Participation.objects.filter(
        person=person, role=role, pair__status__in=Pair.OPEN_STATUSES
    )
    if profile.status != BankStatus.IN_BANK and open_pairs.exists():
        raise ValidationError(
            {
                "status": _(
                    "%(name)s состоит в действующих парах/группах: сначала завершите "
                    "или прекратите их."
                )
                % {"name": person.full_name}
            },
            code="in_open_pairs",
        )
    if is_mentor:
        load = len(open_mentee_load(mentor_ids=[person.pk]).get(person.pk, ()))
        if profile.capacity < load:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(name)s уже ведёт %(load)s наставляемых: меньше нельзя."
                    )
                    % {"name": person.full_name, "load": load}
                },
                code="capacity_below_load",
            )


def enter_mentor_bank(*, person: Person, by: User | None, **fields) -> MentorProfile:
    forms = fields.pop("forms", ())
    return save_mentor_profile(
        profile=MentorProfile(person=person, **fields), by=by, forms=list(forms)
    )


def enter_mentee_bank(*, person: Person, by: User | None, **fields) -> MenteeProfile:
    desired_forms = fields.pop("desired_forms", ())
    return save_mentee_profile(
        profile=MenteeProfile(person=person, **fields),
        by=by,
        desired_forms=list(desired_forms),
    )
