"""The methodologist's home panel: the schools that need attention."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.dates import academic_year_label

from .page import unbroken
from .selectors import Period, attention_rows

# More than this and the panel sends to the table, filtered.
SHOWN = 8


def attention_panel(request) -> dict | None:
    user = request.user
    if not user.district_id:
        return None
    district = user.district
    rows = attention_rows(district=district, period=Period.current())
    table_url = reverse("district:organizations", args=[district.pk])
    return {
        "title": _("Школы, которым нужно внимание"),
        "items": [_item(row) for row in rows[:SHOWN]],
        "empty": _(
            "Все организации района идут по дорожным картам, обратная связь собирается."
        ),
        # The whole list, as the table filters it.
        "more_url": f"{table_url}?attention=1&sort=-overdue" if rows else "",
    }


def _item(row) -> dict:
    notes = []
    url = ""
    if row.overdue:
        notes.append(_("просроченных мероприятий: %(n)s") % {"n": row.overdue})
        url = reverse("roadmap:detail", args=[row.roadmap_id])
    if "low_feedback" in row.attention:
        notes.append(
            _("анкет обратной связи заполнено %(rate)s %%")
            % {"rate": row.feedback_rate}
        )
        if not url:
            url = reverse("surveys:monitoring") + f"?organization={row.organization.pk}"
    if "no_report" in row.attention:
        notes.append(
            _("не отправлен отчёт за %(year)s")
            % {"year": academic_year_label(row.previous_report_year)}
        )
        if not url:
            url = reverse("reports:district") + f"?year={row.previous_report_year}"
    return {
        "text": unbroken(row.organization.short_name),
        "url": url,
        "note": "; ".join(notes),
    }
