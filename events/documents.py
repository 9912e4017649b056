"""The attendance sheet (лист регистрации участников) of an event: one list
of rows printed as a PDF in the orders' style and as a spreadsheet."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.documents import person_post, transliterate
from mentoring.exports import table_xlsx
from mentoring.pdf import render_pdf

from .models import Event
from .selectors import sheet_rows

HEADERS = [
    "№ п/п",
    "Фамилия, имя, отчество",
    "Образовательная организация",
    "Должность",
    "Присутствовал(а)",
    "Подпись",
]


def sheet_context(event: Event) -> dict:
    rows = [
        {
            "name": r.mentor.person.full_name,
            "organization": r.mentor.person.organization.short_name,
            "post": person_post(r.mentor.person),
            "attended": r.attended,
        }
        for r in sheet_rows(event=event)
    ]
    return {
        "event": event,
        "kind": event.get_kind_display(),
        "rows": rows,
        "marked": any(r["attended"] for r in rows),
        "attended": sum(r["attended"] for r in rows),
    }


def sheet_pdf(event: Event) -> bytes:
    return render_pdf("documents/event_sheet.html", sheet_context(event))


def sheet_xlsx(event: Event) -> bytes:
    context = sheet_context(event)
    return table_xlsx(
        title=_("Лист регистрации"),
        headers=HEADERS,
        rows=(
            [
                number,
                row["name"],
                row["organization"],
                row["post"],
                (_("да") if row["attended"] else _("нет")) if context["marked"] else "",
                "",
            ]
            for number, row in enumerate(context["rows"], start=1)
        ),
    )


def sheet_filename(event: Event, extension: str) -> str:
    day = date_format(event.starts_on, "SHORT_DATE_FORMAT")
    return transliterate(f"лист регистрации {event.pk} от {day}") + "." + extension
