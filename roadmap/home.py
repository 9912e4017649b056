"""The home page's panel of roadmap tasks: what the user answers for.

Registered in RoadmapConfig.ready through mentoring.home: the core's home
page does not know the roadmap exists (the layers contract).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import Role

from .selectors import tasks_for_user

ROLES = (Role.CURATOR, Role.DIRECTOR, Role.PSYCHOLOGIST, Role.METHODOLOGIST)
SHOWN = 5


def _note(activity) -> str:
    if activity.is_overdue:
        return _("просрочено: срок до %(day)s") % {"day": short_date(activity.ends_on)}
    if activity.ends_on:
        return _("до %(day)s") % {"day": short_date(activity.ends_on)}
    return activity.deadline_text


def _url(activity, person_id) -> str:
    url = reverse("roadmap:detail", args=[activity.stage.roadmap_id])
    if activity.is_mine and person_id:
        url += f"?person={person_id}"
    return f"{url}#activity-{activity.pk}"


def roadmap_tasks(request) -> dict:
    user = request.user
    found = tasks_for_user(user=user, today=timezone.localdate())
    tasks = list(found[:SHOWN])
    counts = found.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True))
    )
    person_id = getattr(getattr(user, "person", None), "pk", None)
    title = _("Мои мероприятия дорожной карты")
    if counts["overdue"]:
        title += " · " + _("просрочено: %(n)s") % {"n": counts["overdue"]}
    return {
        "title": title,
        "items": [
            {
                "text": " ".join(task.content.split()),
                "url": _url(task, person_id),
                "note": _note(task),
                "alert": task.is_overdue,
            }
            for task in tasks
        ],
        "empty": _("Открытых мероприятий, за которые вы отвечаете, нет."),
        "more_url": reverse("roadmap:list") if counts["total"] > SHOWN else "",
    }
