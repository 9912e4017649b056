"""Posting an admin form as the browser would: what the page shows, then changes."""

import re

from django import forms


def _widget_values(widget, value):
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
        return [
            (f"_{i}", _single(sub, part))
            for i, (sub, part) in enumerate(zip(widget.widgets, parts, strict=False))
        ]
    return [("", _single(widget, value))]


def _single(widget, value):
    # The admin wraps related fields' widgets (the «+» and «✎» links).
    widget = getattr(widget, "widget", widget)
    if isinstance(widget, forms.SelectMultiple):
        return [str(v) for v in value or []] or None
    if value is None:
        return ""
    if isinstance(widget, forms.CheckboxInput):
        return "on" if value else None
    formatted = widget.format_value(value)
    if isinstance(formatted, list):  # a select: its one chosen value
        return formatted[0] if formatted else ""
    return "" if formatted is None else formatted


def _add_form(data, form):
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        for suffix, shown in _widget_values(field.widget, value):
            if shown is not None:
                data[form.add_prefix(name) + suffix] = shown


def admin_form_data(response, **changes):
    """The POST the admin page in `response` would send, with `changes` applied."""
    context = response.context
    data = {}
    _add_form(data, context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def page_errors(response) -> str:
    """The text of the messages and form errors on a page, for failing asserts."""
    return " | ".join(
        re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    )
