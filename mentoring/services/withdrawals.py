"""What follows when a consent ends (152-ФЗ ст. 9 ч. 2, ст. 21 ч. 5).

The day a person's consent is withdrawn or expires they leave the banks
(archived, with the reason), their open pairs are suspended for the curator
to end or re-form, and their planned meetings are cancelled. What was
recorded while the consent held stays and is counted. Withdrawal applies it
at once; `apply_consent_expiries` (a daily command and task) finds the rest.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.links import absolute_url
from mentoring.mail import send_templated
from mentoring.models import (
    BankStatus,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Pair,
    Participation,
    Person,
    Role,
    User,
)

from .audit import lower_first, record_change
from .banks import WORKING_BANK_STATUSES
from .consents import missing_consents
from .pairs import change_pair_status

# Open pairs that still work: these are suspended when a consent ends.
SUSPENDABLE_PAIR_STATUSES = (
    Pair.Status.DRAFT,
    Pair.Status.APPROVED,
    Pair.Status.ACTIVE,
)


@dataclass
class Consequences:
    archived: list = field(default_factory=list)  # bank profiles
    suspended: list[Pair] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.archived or self.suspended or self.cancelled)


def _reason(person: Person, missing: list[str], day: datetime.date) -> str:
    return _("%(day)s: нет действующего согласия — %(kinds)s") % {
        "day": short_date(day),
        "kinds": "; ".join(lower_first(m) for m in missing),
    }


@transaction.atomic
def apply_consent_consequences(
    *, person: Person, by: User | None, on: datetime.date | None = None
) -> Consequences:
    """Take a person without consent out of the banks and their pairs' work.

    Idempotent: a person already archived and suspended is left as they are.
    """
    day = on or timezone.localdate()
    # The same lock the pair and bank services take: nobody is banked or
    # paired on this person while the consequences are applied.
    person = (
        Person.objects.select_for_update()
        .select_related("organization")
        .prefetch_related("consents")
        .get(pk=person.pk)
    )
    done = Consequences()
    data_missing = missing_consents(person=person, as_mentor=False, on=day)
    if data_missing:
        reason = _reason(person, data_missing, day)
        for model, bank, label in (
            (MentorProfile, "mentor_bank", _("банка наставников")),
            (MenteeProfile, "mentee_bank", _("банка наставляемых")),
        ):
            profile = (
                model.objects.select_for_update()
                .filter(person=person, status__in=WORKING_BANK_STATUSES)
                .first()
            )
            if profile is None:
                continue
            before = profile.status
            profile.status = BankStatus.ARCHIVED
            profile.archived_on = day
            profile.archive_reason = reason[:255]
            profile.save(update_fields=["status", "archived_on", "archive_reason"])
            record_change(
                actor=by,
                obj=profile,
                action=f"{bank}.archived",
                organization=person.organization,
                message=_("%(name)s переведён(а) из %(bank)s в архив: %(reason)s")
                % {"name": person.full_name, "bank": label, "reason": reason},
                data={"from": before, "on": day.isoformat()},
            )
            done.archived.append(profile)
    participations = (
        Participation.objects.filter(
            person=person, pair__status__in=SUSPENDABLE_PAIR_STATUSES
        )
        .select_related("pair")
        .order_by("pair_id")
    )
    for participation in participations:
        as_mentor = participation.role == Participation.Role.MENTOR
        missing = missing_consents(person=person, as_mentor=as_mentor, on=day)
        if not missing:
            continue
        pair = change_pair_status(
            pair=participation.pair,
            to=Pair.Status.SUSPENDED,
            by=by,
            on=day,
            comment=_("%(name)s (%(role)s): %(reason)s")
            % {
                "name": person.full_name,
                "role": lower_first(participation.get_role_display()),
                "reason": _reason(person, missing, day),
            },
        )
        done.suspended.append(pair)
        done.cancelled += _cancel_planned_meetings(pair=pair, by=by, day=day)
    if done.suspended:
        # Queued by the mail module for when this transaction commits.
        notify_pairs_suspended(
            organization_id=person.organization_id,
            pair_ids=[p.pk for p in done.suspended],
        )
    return done


def _cancel_planned_meetings(
    *, pair: Pair, by: User | None, day: datetime.date
) -> list[Meeting]:
    """Meetings planned from the day on will not take place with this person."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    meetings = list(
        Meeting.objects.select_for_update()
        .filter(
            pair=pair,
            status__in=(Meeting.Status.PLANNED, Meeting.Status.POSTPONED),
            starts_at__gte=start,
        )
        .order_by("starts_at")
    )
    for meeting in meetings:
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status"])
        record_change(
            actor=by,
            obj=meeting,
            action="meeting.cancelled",
            organization=pair.organization,
            message=_("Встреча отменена: пара/группа № %(pk)s приостановлена — %(m)s")
            % {"pk": pair.pk, "m": meeting},
        )
    return meetings


def people_losing_consent(*, on: datetime.date | None = None) -> list[Person]:
    """People still in a bank or a working pair who lack a consent on the day."""
    day = on or timezone.localdate()
    candidates = (
        Person.objects.filter(
            Q(mentor_profile__status__in=WORKING_BANK_STATUSES)
            | Q(mentee_profile__status__in=WORKING_BANK_STATUSES)
            | Q(participations__pair__status__in=SUSPENDABLE_PAIR_STATUSES)
        )
        .distinct()
        .prefetch_related("consents", "participations__pair")
        .order_by("pk")
    )
    found = []
    for person in candidates:
        roles = {
            p.role == Participation.Role.MENTOR
            for p in person.participations.all()
            if p.pair.status in SUSPENDABLE_PAIR_STATUSES
        }
        if any(
            missing_consents(person=person, as_mentor=as_mentor, on=day)
            for as_mentor in roles | {False}
        ):
            found.append(person)
    return found


def apply_consent_expiries(*, on: datetime.date | None = None) -> Consequences:
    """The daily pass: consents that expired or were withdrawn with a date
    that has now come take effect. Running it twice changes nothing more."""
    day = on or timezone.localdate()
    total = Consequences()
    for person in people_losing_consent(on=day):
        done = apply_consent_consequences(person=person, by=None, on=day)
        total.archived += done.archived
        total.suspended += done.suspended
        total.cancelled += done.cancelled
    return total


def notify_pairs_suspended(*, organization_id: int, pair_ids: list[int]) -> None:
    """The curators have a decision to make: end the pairs or re-form them."""
    recipients = list(
        User.objects.filter(
            organization_id=organization_id, role=Role.CURATOR, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    send_templated(
        name="pairs_suspended",
        to=recipients,
        context={
            "pairs": ", ".join(f"№ {pk}" for pk in pair_ids),
            "url": absolute_url("mentoring:home"),
        },
    )
