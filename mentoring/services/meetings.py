"""Meetings of a pair or group: planned ahead or logged afterwards by the mentor."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.models import Meeting, Pair, Participation, User
from mentoring.services import ensure_acts_for, ensure_may_record_about, record_change

WORKING_PAIR_STATUSES = (Pair.Status.APPROVED, Pair.Status.ACTIVE)


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
    ensure_may_record_about(pair=pair)
    if pair.status not in WORKING_PAIR_STATUSES:
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
    if has_feedback(meeting):
        # The answers are about a meeting that took place; monitoring counts them.
        raise ValidationError(
            _(
                "По встрече «%(meeting)s» уже есть обратная связь: она состоялась, "
                "несостоявшейся её не отмечают."
            )
            % {"meeting": meeting},
            code="has_feedback",
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


def has_feedback(meeting: Meeting) -> bool:
    """Whether anyone has answered about this meeting: it then stays as it was."""
    return meeting.survey_responses.exists()


def _local(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def meeting_version(meeting: Meeting) -> str:
    """A fingerprint of what an edit form shows: it changes with any save."""
    values = [
        meeting.kind,
        meeting.starts_at.isoformat(),
        str(meeting.duration_minutes),
        meeting.format,
        meeting.topic,
        meeting.outcome,
        meeting.status,
    ]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:16]


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    by: User,
    kind: str,
    starts_at: datetime.datetime,
    topic: str,
    outcome: str,
    duration_minutes: int,
    format: str,
    version: str | None = None,
) -> Meeting:
    """Correct a meeting, postpone a planned one or write a held one's outcome.

    A planned meeting moved into the past counts as held, as when logging one.
    `version` is `meeting_version` as the editor's form showed it, if known.
    """
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("pair__organization")
        .get(pk=meeting.pk)
    )
    ensure_mentor_of(user=by, pair=meeting.pair)
    # Two people editing one meeting: the later save would silently undo the
    # earlier one. Compared under the row lock, so one of them always loses.
    if version is not None and version != meeting_version(meeting):
        raise ValidationError(
            _(
                "Встречу уже изменил другой пользователь, пока вы её редактировали. "
                "Откройте её заново и внесите изменения ещё раз."
            ),
            code="stale",
        )
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(
            _("Несостоявшуюся встречу не изменяют."), code="cancelled"
        )
    ensure_may_record_about(pair=meeting.pair)
    moved = starts_at != meeting.starts_at
    if (moved or kind != meeting.kind) and has_feedback(meeting):
        raise ValidationError(
            _(
                "По встрече уже есть обратная связь: её дату и вид не меняют, "
                "чтобы ответы относились к тому, что было."
            ),
            code="feedback_given",
        )
    held_now = starts_at <= timezone.now()
    if meeting.status == Meeting.Status.HELD and not held_now:
        raise ValidationError(
            _("Проведённую встречу нельзя перенести в будущее."),
            code="held_in_future",
        )
    postponed = moved and not held_now
    if postponed and meeting.pair.status not in WORKING_PAIR_STATUSES:
        raise ValidationError(
            _("Встречи планируют только утверждённые и действующие пары."),
            code="pair_not_working",
        )
    if outcome and not held_now:
        raise ValidationError(
            _("Итог записывают, когда встреча прошла."), code="outcome_too_early"
        )
    old_starts_at = meeting.starts_at
    fields = {
        "kind": kind,
        "starts_at": starts_at,
        "topic": topic,
        "outcome": outcome,
        "duration_minutes": duration_minutes,
        "format": format,
        "status": Meeting.Status.HELD if held_now else meeting.status,
    }
    changed = [
        name for name, value in fields.items() if getattr(meeting, name) != value
    ]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, fields[name])
    meeting.full_clean()
    meeting.save(update_fields=changed)
    if postponed:
        message = _("Встреча перенесена с %(old)s на %(new)s: %(m)s") % {
            "old": _local(old_starts_at),
            "new": _local(starts_at),
            "m": meeting,
        }
    else:
        message = _("Встреча изменена: %(m)s") % {"m": meeting}
    record_change(
        actor=by,
        obj=meeting,
        action="meeting.postponed" if postponed else "meeting.updated",
        message=message,
        organization=meeting.pair.organization,
        data={"fields": changed},
    )
    return meeting
