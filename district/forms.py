"""The table's query string: sort and filters, each refused in Russian."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mentoring.models import Organization

# Sort keys and the row attribute each sorts by; «-» before a key reverses it.
SORTS = {
    "name": "organization.short_name",
    "pilot": "pilot_since",
    "progress": "progress",
    "overdue": "overdue",
    "mentors": "mentors",
    "mentees": "mentees",
    "pairs": "pairs",
    "young": "young_share",
    "feedback": "feedback_rate",
    "satisfaction": "satisfaction",
    "report": "report_status",
}
FORM_SORT = re.compile(r"form-(\d{1,9})")


class TableParams(forms.Form):
    sort = forms.CharField(required=False, max_length=30)
    pilot = forms.ChoiceField(
        required=False,
        choices=[("", _("все")), ("yes", _("пилотные")), ("no", _("не пилотные"))],
        error_messages={
            "invalid_choice": _(
                "Фильтр «пилотные»: допустимы значения yes или no, а не «%(value)s»."
            )
        },
    )
    kind = forms.ChoiceField(
        required=False,
        choices=[("", _("все типы")), *Organization.Kind.choices],
        error_messages={
            "invalid_choice": _("Нет такого типа организации: «%(value)s».")
        },
    )
    attention = forms.BooleanField(required=False)
    q = forms.CharField(
        required=False,
        max_length=100,
        error_messages={
            "max_length": _("Строка поиска длиннее %(limit_value)d символов.")
        },
    )

    def clean_sort(self) -> tuple[str, bool]:
        """(key, descending); «name» ascending by default."""
        value = self.cleaned_data["sort"] or "name"
        key = value.removeprefix("-")
        if key not in SORTS and not FORM_SORT.fullmatch(key):
            raise ValidationError(
                _(
                    "Нет такого столбца для сортировки: «%(value)s». Допустимы "
                    "%(keys)s и form-<номер формы>, с «-» — по убыванию."
                ),
                code="bad_sort",
                params={"value": value, "keys": ", ".join(SORTS)},
            )
        return key, value.startswith("-")


def sort_value(row, key: str):
    match = FORM_SORT.fullmatch(key)
    if match:
        return row.pairs_by_form.get(int(match[1]), 0)
    value = row
    for part in SORTS[key].split("."):
        value = getattr(value, part)
    return value


def sorted_rows(rows: list, key: str, descending: bool) -> list:
    """Sorted by `key`; rows without a value (no meetings yet) go last
    whichever way, then by name."""
    known = [r for r in rows if sort_value(r, key) is not None]
    unknown = [r for r in rows if sort_value(r, key) is None]
    by_name = sorted(known, key=lambda r: r.organization.short_name)
    known = sorted(
        by_name,
        key=lambda r: _comparable(sort_value(r, key)),
        reverse=descending,
    )
    return known + sorted(unknown, key=lambda r: r.organization.short_name)


def _comparable(value):
    return value.casefold() if isinstance(value, str) else value
