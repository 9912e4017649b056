"""The monitoring page's long tables as markup: the template prints them.

The before/after tables by participant and by pair show up to a hundred
rows each; through the template's loop, its filters and the localization
of every figure they cost the district's page more than any of its
queries (issue 15). Built here, escaped, as district/page.py builds the
district's table.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def figure(value: Decimal | None) -> str:
    """A figure as the template printed it: «—» for none, a decimal comma
    (the Russian locale groups no thousands: USE_THOUSAND_SEPARATOR is off)."""
    return "—" if value is None else f"{value:f}".replace(".", ",")


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
