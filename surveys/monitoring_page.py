"""The monitoring page's tables and choices as markup: the template prints them.

The before/after tables by participant and by pair show up to a hundred
rows each; through the template's loop, its filters and the localization
of every figure they cost the district's page more than any of its
queries (issue 15). So did, at a tenth of the rows, the tables of averages
by question and form and the choices of year and school: rendered, the
page around its SQL took 7.5 ms of CPU, a third of it in those loops.
Built here, escaped, as district/page.py builds the district's table;
tests/surveys/test_monitoring_markup.py holds them to the template's markup.
"""

from __future__ import annotations

import html
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.utils.safestring import SafeString, mark_safe


def escape(text) -> str:
    """django.utils.html.escape's text, without its checks for lazy strings
    and its SafeString: a third of the rows' time."""
    return html.escape(str(text))


def figure(value: Decimal | None) -> str:
    """A figure as the template printed it: «—» for none, a decimal comma
    (the Russian locale groups no thousands: USE_THOUSAND_SEPARATOR is off)."""
    if value is None:
        return "—"
    # The template prints f"{value:f}"; str() is the same text, twice as fast
    # over the page's six hundred figures, unless it is in exponent form.
    text = str(value)
    if "E" in text:
        text = f"{value:f}"
    return text.replace(".", ",")


def shown(value: Decimal | int | None) -> str:
    """A number as `{{ value }}` printed it, without a default: «None»."""
    return figure(value) if isinstance(value, Decimal) else str(value)


def _row(label: str, row: dict) -> str:
    return (
        f"<tr><td>{escape(label)}</td>"
        f'<td class="text-end">{figure(row["before"])}</td>'
        f'<td class="text-end">{figure(row["after"])}</td>'
        f'<td class="text-end fw-semibold">{figure(row["delta"])}</td></tr>'
    )


def participant_rows(rows: list[dict]) -> SafeString:
    # Every value is escaped or a number.
    return mark_safe("".join(_row(row["name"], row) for row in rows))


def pair_rows(rows: list[dict]) -> SafeString:
    return mark_safe(
        "".join(_row(f"№ {row['pair']}, {row['form']}", row) for row in rows)
    )


def question_groups(rows: list[dict]) -> list[tuple[str, SafeString]]:
    """Each questionnaire's title and the rows of its averages by question.

    Neighbours grouped, as `{% regroup %}` did: monitoring() sorts them by
    questionnaire."""
    return [
        (
            title,
            mark_safe(
                "".join(
                    f"<tr><td>{escape(r['text'])}</td>"
                    f'<td class="text-end">{shown(r["average"])} из '
                    f"{shown(r['scale_max'])}</td>"
                    f'<td class="text-end">{shown(r["answers"])}</td></tr>'
                    for r in group
                )
            ),
        )
        for title, group in groupby(rows, key=itemgetter("questionnaire"))
    ]


def question_delta_rows(rows: list[dict]) -> SafeString:
    return mark_safe(
        "".join(
            f"<tr><td>{escape(r['text'])} "
            f'<span class="text-muted">({escape(r["questionnaire"])})</span></td>'
            f'<td class="text-end">{figure(r["before"])}</td>'
            f'<td class="text-end">{figure(r["after"])}</td>'
            f'<td class="text-end fw-semibold">{figure(r["delta"])}</td>'
            f'<td class="text-end">{shown(r["people"])}</td></tr>'
            for r in rows
        )
    )


def form_rows(rows: list[dict]) -> SafeString:
    return mark_safe(
        "".join(
            f"<tr><td>{escape(r['form'])}</td>"
            f'<td class="text-end">{shown(r["average"])}</td>'
            f'<td class="text-end">{shown(r["percent"])}</td>'
            f'<td class="text-end">{shown(r["respondents"])}</td></tr>'
            for r in rows
        )
    )


def year_options(years, *, chosen: int) -> SafeString:
    return mark_safe(
        "".join(
            f'<option value="{y}"{" selected" if y == chosen else ""}>'
            f"{y}/{y + 1}</option>"
            for y in years
        )
    )


def organization_options(choices: list[tuple[int, str]], *, chosen) -> SafeString:
    """The school choice's options from (pk, short name) pairs; `chosen` the
    organization shown, or None."""
    chosen_pk = None if chosen is None else chosen.pk
    return mark_safe(
        "".join(
            f'<option value="{pk}"{" selected" if pk == chosen_pk else ""}>'
            f"{escape(name)}</option>"
            for pk, name in choices
        )
    )
