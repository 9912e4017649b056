"""The roadmap activities a person answers for, for their data export (152-ФЗ ст. 14)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mentoring.personal_data import Section


def activities_of(*, person) -> list[Section]:
    section = Section(
        title=_("Дорожная карта (ответственный)"),
        columns=[_("Мероприятие"), _("Срок"), _("Статус")],
    )
    for activity in person.roadmap_activities.order_by("pk"):
        section.rows.append(
            [activity.content, activity.deadline_text, activity.get_status_display()]
        )
    return [section]
