"""The regional centre's table of districts: a page and its XLSX."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.access import role_required
from mentoring.exports import table_xlsx
from mentoring.models import Role
from mentoring.params import int_param
from surveys.monitoring import Period

from .selectors import DistrictRow, RegionTable, districts_for, region_table


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[DistrictRow], object]
    percent: bool = False


def columns(table: RegionTable) -> list[Column]:
    """The table's columns in order; a key is what `?sort=` names."""
    fixed = [
        Column("name", _("Муниципальный район"), lambda r: r.name),
        Column("organizations", _("Организаций"), lambda r: r.organizations),
        Column("mentors", _("Наставников"), lambda r: r.mentors),
        Column("mentees", _("Наставляемых"), lambda r: r.mentees),
        Column("pairs", _("Пар и групп"), lambda r: r.pairs),
    ]
    by_form = [
        Column(
            f"form-{form.code}",
            form.name,
            lambda r, pk=form.pk: r.by_form.get(pk, 0),
        )
        for form in table.forms
        if table.total.by_form.get(form.pk)
    ]
    shares = [
        Column(
            "young",
            _("Молодые педагоги в наставничестве, %"),
            lambda r: r.young_share,
            percent=True,
        ),
        Column(
            "feedback",
            _("Встречи с обратной связью, %"),
            lambda r: r.feedback_rate,
            percent=True,
        ),
        Column(
            "satisfaction",
            _("Удовлетворённость, %"),
            lambda r: r.satisfaction,
            percent=True,
        ),
    ]
    return fixed + by_form + shares


def _table(request) -> tuple[RegionTable, list[Column], str]:
    current = Period.current()
    year = int_param(request.GET.get("year"))
    period = Period(year) if year is not None and 2000 <= year <= 2100 else current
    user = request.user
    title = str(user.region) if user.region_id else _("Все районы")
    table = region_table(user=user, period=period, title=title)
    shown = columns(table)
    keys = {c.key: c for c in shown}
    sort = request.GET.get("sort", "name")
    column = keys.get(sort.removeprefix("-"))
    if column is None:
        sort, column = "name", keys["name"]
    # Empty figures (no meetings, no answers yet) go last either way.
    filled = [row for row in table.rows if column.value(row) is not None]
    empty = [row for row in table.rows if column.value(row) is None]
    filled.sort(
        key=lambda row: (
            row.name.casefold() if column.key == "name" else column.value(row)
        ),
        reverse=sort.startswith("-"),
    )
    table.rows = filled + empty
    return table, shown, sort


@role_required(Role.REGIONAL)
def districts(request):
    table, shown, sort = _table(request)
    year = table.period.start_year
    header = [
        {
            "label": c.label,
            "percent": c.percent,
            "sorted": sort.removeprefix("-") == c.key,
            "descending": sort == f"-{c.key}",
            # A second click on the sorted column turns the order round.
            "url": f"?year={year}&sort={'' if sort != c.key else '-'}{c.key}",
        }
        for c in shown
    ]
    rows = [[c.value(row) for c in shown] for row in table.rows]
    current = Period.current().start_year
    return render(
        request,
        "regions/districts.html",
        {
            "table": table,
            "header": header,
            "rows": rows,
            "total": [c.value(table.total) for c in shown[1:]],
            "query": f"year={year}&sort={sort}",
            "years": range(current, current - 5, -1),
        },
    )


@role_required(Role.REGIONAL)
def districts_xlsx(request):
    table, shown, _sort = _table(request)
    rows = [[c.value(row) for c in shown] for row in table.rows]
    rows.append([_("Итого"), *(c.value(table.total) for c in shown[1:])])
    content = table_xlsx(
        title=_("Районы"),
        headers=[
            _("%(title)s, %(year)s учебный год")
            % {"title": table.title, "year": table.period.label},
            *(c.label for c in shown[1:]),
        ],
        rows=rows,
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"region-{table.period.start_year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def home_panel(request) -> dict | None:
    """The regional centre's home: its districts, each a line of the table."""
    districts = districts_for(request.user).order_by("name")
    count = districts.count()
    return {
        "title": _("Районы региона"),
        "items": [
            {
                "text": _("Сводная таблица по районам"),
                "url": reverse("regions:districts"),
                "note": _("районов: %(n)s") % {"n": count},
            }
        ],
        "empty": _("В регионе пока нет районов."),
    }
