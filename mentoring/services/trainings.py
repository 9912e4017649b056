"""The mentor's training record (обучение наставника): what others write there.

A district seminar the mentor attended is recorded by the methodologist, not
typed by the school: the events app calls these, and the record shows on the
mentor's card and in the portfolio like one the curator entered.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.models import MentorProfile, MentorTraining, Role, User

from .audit import record_change


def ensure_may_record_training(*, by: User | None, mentor: MentorProfile) -> None:
    """The mentor's school (curator, head) or its district's methodologist."""
    if by is None or by.is_superuser:
        return
    organization = mentor.person.organization
    if by.role in (Role.CURATOR, Role.DIRECTOR) and by.organization_id == (
        organization.pk
    ):
        return
    if by.role == Role.METHODOLOGIST and by.district_id == organization.district_id:
        return
    raise ValidationError(
        _("Нет прав вносить сведения об обучении наставников «%(org)s».")
        % {"org": organization.short_name},
        code="forbidden",
    )


@transaction.atomic
def record_training(
    *,
    mentor: MentorProfile,
    kind: str,
    programme: str,
    completed_on: datetime.date,
    hours: int | None,
    by: User | None,
    certificate: str = "",
) -> MentorTraining:
    """Add a line to the mentor's training record, audited."""
    ensure_may_record_training(by=by, mentor=mentor)
    training = MentorTraining(
        mentor=mentor,
        kind=kind,
        programme=programme[:500],
        completed_on=completed_on,
        hours=hours,
        certificate=certificate,
    )
    training.full_clean()
    training.save()
    record_change(
        actor=by,
        obj=training,
        action="training.recorded",
        message=_("Обучение наставника %(name)s: %(what)s, %(day)s")
        % {
            "name": mentor.person.full_name,
            "what": training.programme,
            "day": date_format(completed_on, "SHORT_DATE_FORMAT"),
        },
        organization=mentor.person.organization,
    )
    return training


@transaction.atomic
def remove_training(*, training: MentorTraining, by: User | None) -> None:
    """Take a line out of the mentor's record (a mark made by mistake), audited."""
    mentor = training.mentor
    ensure_may_record_training(by=by, mentor=mentor)
    record_change(
        actor=by,
        obj=training,
        action="training.removed",
        message=_("Удалена запись об обучении наставника %(name)s: %(what)s")
        % {"name": mentor.person.full_name, "what": training.programme},
        organization=mentor.person.organization,
    )
    training.delete()
