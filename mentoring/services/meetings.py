"""Meetings of a pair or group: planned ahead or logged afterwards by the mentor."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.models import Meeting, Pair, Participation, User
from mentoring.services import ensure_acts_for, record_change


def is_mentor_of(*, user: User, pair: Pair) -> bool:
    return Participation.objects.filter(
        pair=pair, person__user=user, role=Participation.Role.MENTOR
    ).exists()


def ensure_mentor_of(*, user: User, pair: Pair) -> None:
    """The pair's own mentor plans its meetings; its curator may as well."""
    if is_mentor_of(user=user, pair=pair):
        return
    try:
        ensure_acts_for(by=user, organization=pair.organization)
    except ValidationError:
        raise ValidationError(
            _("Встречи пары планирует её наставник."), code="not_mentor"
        ) from None


@transaction.atomic
def plan_meeting(
    *,
    pair: Pair,
    by: User,
    kind: str,
    starts_at: datetime.datetime,
    topic: str,
    duration_minutes: int = 45,
    format: str = Meeting.Format.IN_PERSON,
    outcome: str = "",
) -> Meeting:
    """Plan a meeting, or log one already held when its time has passed."""
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    ensure_mentor_of(user=by, pair=pair)
    if pair.status not in (Pair.Status.APPROVED, Pair.Status.ACTIVE):
        raise ValidationError(
            _("Встречи планируют только утверждённые и действующие пары."),
            code="pair_not_working",
        )
    held = starts_at <= timezone.now()
    meeting = Meeting(
        pair=pair,
        kind=kind,
        starts_at=starts_at,
        topic=topic,
        duration_minutes=duration_minutes,
        format=format,
        outcome=outcome if held else "",
        status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
    )
    meeting.full_clean()
    meeting.save()
    record_change(
        actor=by,
        obj=meeting,
        action="meeting.logged" if held else "meeting.planned",
        message=(
            _("Проведённая встреча внесена: %(m)s")
            if held
            else _("Встреча запланирована: %(m)s")
        )
        % {"m": meeting},
        organization=pair.organization,
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Record that a meeting did not take place: no feedback is owed for it."""
    meeting = (
        Meeting.objects.select_for_update().select_related("pair").get(pk=meeting.pk)
    )
    ensure_mentor_of(user=by, pair=meeting.pair)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(
            _("Встреча уже отмечена как несостоявшаяся."), code="done"
        )
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    record_change(
        actor=by,
        obj=meeting,
        action="meeting.cancelled",
        message=_("Встреча не состоялась: %(m)s") % {"m": meeting},
        organization=meeting.pair.organization,
    )
    return meeting
