"""The home page's panels from the surveys app: what a participant owes this
week (meetings, feedback forms) and, for the school's staff, the mentors
whose feedback is missing.

Registered in SurveysConfig.ready through mentoring.home: the core's home
page does not know the surveys exist (the layers contract).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.models import Meeting, Pair, Role

from .models import Questionnaire, Response
from .selectors import meetings_due, owed_feedback_by_mentor

WEEK = datetime.timedelta(days=7)
SHOWN = 8
# The school's office chases the feedback; the district sees it per school
# (the methodologist's attention panel), not per mentor.
STAFF_ROLES = (Role.CURATOR, Role.DIRECTOR)


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def participant_week(request) -> dict:
    """Feedback forms the user owes (the oldest first), then the meetings of
    the coming seven days: two queries."""
    user = request.user
    meetings = Meeting.objects.visible_to(user).select_related("pair__form")
    given = Exists(
        Response.objects.filter(
            meeting_id=OuterRef("pk"),
            respondent__user=user,
            questionnaire__kind=Questionnaire.Kind.MEETING_FEEDBACK,
        )
    )
    owed = list(
        meetings_due(meetings).filter(~given).order_by("starts_at", "pk")[:SHOWN]
    )
    now = timezone.now()
    coming = list(
        meetings.filter(
            status=Meeting.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + WEEK
        )
        .exclude(pair__status=Pair.Status.SUSPENDED)
        .order_by("starts_at", "pk")[:SHOWN]
    )
    items = [
        {
            "text": _("Заполнить обратную связь: %(topic)s") % {"topic": m.topic},
            "url": reverse("surveys:feedback", args=[m.pk]),
            "note": _("встреча %(when)s") % {"when": _when(m.starts_at)},
            "alert": True,
        }
        for m in owed
    ]
    items += [
        {
            "text": _("Встреча: %(topic)s") % {"topic": m.topic},
            "url": reverse("surveys:pair", args=[m.pair_id]),
            "note": _when(m.starts_at),
        }
        for m in coming
    ]
    return {
        "title": _("На этой неделе"),
        "items": items,
        "empty": _("Встреч на ближайшие семь дней нет, обратная связь заполнена."),
        "more_url": reverse("surveys:dashboard") if items else "",
    }


def feedback_missing(request) -> dict:
    """Mentors who have not filled the feedback form after a meeting: one query."""
    mentors = owed_feedback_by_mentor(user=request.user)
    url = reverse("surveys:feedback-owed")
    title = _("Обратная связь после встреч не заполнена")
    if mentors:
        title += " · " + _("наставников: %(n)s") % {"n": len(mentors)}
    return {
        "title": title,
        "items": [
            {
                "text": mentor["name"],
                "url": url,
                "note": _("встреч: %(n)s") % {"n": len(mentor["meetings"])},
            }
            for mentor in mentors[:SHOWN]
        ],
        "empty": _("Все наставники заполнили обратную связь по прошедшим встречам."),
        "more_url": url if len(mentors) > SHOWN else "",
    }
