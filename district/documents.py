"""The district's table printed (PDF, landscape) and downloaded (XLSX)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.exports import table_xlsx
from mentoring.pdf import render_pdf

from .selectors import Table


def leading_headers() -> list[str]:
    return [
        _("Организация"),
        _("Пилотная площадка с"),
        _("Дорожная карта: выполнено, %"),
        _("Мероприятий просрочено"),
        _("Наставников"),
        _("Наставляемых"),
    ]


def trailing_headers(table: Table) -> list[str]:
    columns = [
        _("Пар и групп всего"),
        _("Молодых педагогов (стаж 0–3 года)"),
        _("Из них наставляемые"),
        _("Охват молодых педагогов, %"),
        _("Встреч прошло"),
        _("Полнота обратной связи, %"),
        _("Удовлетворённость, %"),
    ]
    if table.shows_report_status:
        columns.append(_("Отчёт за период"))
    return columns


def headers(table: Table) -> list[str]:
    forms = [_("Пар и групп: %(form)s") % {"form": f.name} for f in table.forms]
    return leading_headers() + forms + trailing_headers(table)


def values(table: Table, row) -> list:
    cells = [
        row.organization.short_name,
        row.pilot_since,
        row.progress,
        row.overdue,
        row.mentors,
        row.mentees,
    ]
    cells += [row.pairs_by_form.get(f.pk, 0) for f in table.forms]
    cells += [
        row.pairs,
        row.young,
        row.young_covered,
        row.young_share,
        row.meetings,
        row.feedback_rate,
        row.satisfaction,
    ]
    if table.shows_report_status:
        cells.append(row.report_status or "")
    return cells


def title(table: Table) -> str:
    return _("Организации района «%(district)s», %(period)s учебный год") % {
        "district": table.district.name,
        "period": table.period.label,
    }


def file_name(table: Table, extension: str) -> str:
    year = table.period.start_year
    return f"Организации района {year}-{year + 1} {table.district.name}.{extension}"


def table_xlsx_bytes(table: Table, rows: list) -> bytes:
    return table_xlsx(
        title=_("Организации района"),
        headers=headers(table),
        rows=(values(table, row) for row in rows),
    )


def table_pdf(table: Table, rows: list, *, filters: str = "") -> bytes:
    return render_pdf(
        "documents/district_organizations.html",
        {
            "table": table,
            "title": title(table),
            "headers": headers(table),
            # Printed under one «Пары и группы по формам» header.
            "leading": leading_headers(),
            "form_names": [f.name for f in table.forms],
            "trailing": trailing_headers(table),
            "lines": [_printed(values(table, row)) for row in rows],
            "filters": filters,
            "made_on": timezone.localdate(),
        },
    )


def _printed(cells: list) -> list[str]:
    out = []
    for cell in cells:
        if cell is None:
            out.append("—")
        elif hasattr(cell, "strftime"):
            out.append(short_date(cell))
        else:
            out.append(str(cell))
    return out
