"""The table's columns and cells as the page shows them: the template only
prints what is here (STYLE.md, «Templates»)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mentoring.dates import short_date

from .selectors import OrganizationRow, Table


@dataclass
class Column:
    label: str
    url: str
    # "ascending" / "descending" for the column sorted by, else "".
    sorted: str = ""
    numeric: bool = True


@dataclass
class Cell:
    text: str
    url: str = ""
    note: str = ""
    warn: bool = False


def _keys(table: Table) -> list[tuple[str, str]]:
    keys = [
        ("name", _("Организация")),
        ("pilot", _("Пилотная площадка с")),
        ("progress", _("Дорожная карта, %")),
        ("overdue", _("Просрочено")),
        ("mentors", _("Наставников")),
        ("mentees", _("Наставляемых")),
    ]
    keys += [(f"form-{f.pk}", f.name) for f in table.forms]
    keys += [
        ("pairs", _("Пар и групп")),
        ("young", _("Молодые педагоги в наставничестве")),
        ("feedback", _("Обратная связь, %")),
        ("satisfaction", _("Удовлетворённость, %")),
    ]
    if table.shows_report_status:
        keys.append(("report", _("Отчёт")))
    return keys


def columns(table: Table, *, sort: str, query: str) -> list[Column]:
    """Each header links to the table sorted by it; the sorted one, reversed."""
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    base = reverse("district:organizations", args=[table.district.pk])
    out = []
    for name, label in _keys(table):
        current = name == key
        wanted = name if not (current and not descending) else f"-{name}"
        params = f"{query}&" if query else ""
        out.append(
            Column(
                label=label,
                url=f"{base}?{params}{urlencode({'sort': wanted})}",
                sorted=("descending" if descending else "ascending") if current else "",
                numeric=name not in ("name", "pilot", "report"),
            )
        )
    return out


def unbroken(name: str) -> str:
    """«Гимназия № 1», never «№» at a line's end and «1» on the next."""
    return name.replace("№ ", "№\u00a0")


def _number(value) -> str:
    return "—" if value is None else str(value)


def cells(table: Table, row: OrganizationRow) -> list[Cell]:
    org = row.organization
    roadmap_url = (
        reverse("roadmap:detail", args=[row.roadmap_id]) if row.roadmap_id else ""
    )
    monitoring_url = reverse("surveys:monitoring") + f"?organization={org.pk}"
    out = [
        Cell(unbroken(org.short_name), url=roadmap_url),
        Cell(short_date(row.pilot_since) if row.pilot_since else "—"),
        Cell(
            _number(row.progress),
            note=_("%(done)s из %(total)s")
            % {"done": row.done, "total": row.activities}
            if row.activities
            else _("нет карты"),
        ),
        Cell(
            str(row.overdue),
            url=roadmap_url if row.overdue else "",
            warn=bool(row.overdue),
        ),
        Cell(str(row.mentors)),
        Cell(str(row.mentees)),
    ]
    out += [Cell(str(row.pairs_by_form.get(f.pk, 0))) for f in table.forms]
    out += [
        Cell(str(row.pairs)),
        Cell(
            f"{row.young_covered} / {row.young}",
            note=f"{row.young_share} %" if row.young_share is not None else "",
        ),
        Cell(
            _number(row.feedback_rate),
            url=monitoring_url,
            note=_("встреч: %(n)s") % {"n": row.meetings},
            warn="low_feedback" in row.attention,
        ),
        Cell(_number(row.satisfaction)),
    ]
    if table.shows_report_status:
        out.append(Cell(row.report_status or ""))
    return out


def row_html(cells: list[Cell]) -> SafeString:
    """A table row's cells as markup: the organization as the row's header,
    figures right-aligned, a warning in red, a link where the cell has one.

    Built here, escaped, rather than by a template loop: at 40 organizations
    and twenty columns the loop's tags cost the page more than all its SQL
    (bench_region.py).
    """
    out = []
    for index, cell in enumerate(cells):
        text = escape(cell.text)
        if cell.url:
            danger = ' class="link-danger"' if cell.warn else ""
            text = f'<a{danger} href="{escape(cell.url)}">{text}</a>'
        if cell.note:
            text += f'<div class="small text-muted">{escape(cell.note)}</div>'
        if index == 0:
            out.append(f'<th scope="row">{text}</th>')
        else:
            warn = " text-danger fw-semibold" if cell.warn else ""
            out.append(f'<td class="text-end{warn}">{text}</td>')
    # Every value is escaped above.
    return mark_safe("".join(out))
