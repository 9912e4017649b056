"""The district events a person was put down for, for their data export
(152-ФЗ ст. 14)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mentoring.personal_data import Section

from .models import Registration


def registrations_of(*, person) -> list[Section]:
    section = Section(
        title=_("Мероприятия района"),
        columns=[_("Мероприятие"), _("Дата"), _("Место"), _("Присутствие")],
    )
    registrations = (
        Registration.objects.filter(mentor__person=person)
        .select_related("event")
        .order_by("event__starts_on", "pk")
    )
    for r in registrations:
        section.rows.append(
            [
                r.event.title,
                r.event.dates,
                r.event.place,
                _("присутствовал(а)") if r.attended else _("не отмечено"),
            ]
        )
    return [section]
