"""Checks every text and link a user types passes, whatever the form.

Control characters have no business in a name or a title: a line break in
an order's title would break its mail's subject, a lone carriage return in
a meeting's topic would start a new line of the .ics feed. So every text
field of our models refuses them (`attach_text_validators`, run once at
start-up for every model of this project), and so does every plain form
(`TextInputsMixin`) whose values never reach a model field as they are.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Characters that end a line to someone: str.splitlines() breaks on all of these.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# What a multi-line text may hold of the control characters: tabs and line
# ends as browsers send them (\r only as part of \r\n).
_MULTILINE_ALLOWED = re.compile(r"\r\n|\n|\t")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in LINE_BREAKS


def _log_refusal(found) -> None:
    # The code points, not the text: it may be someone's name.
    points = sorted({f"U+{ord(char):04X}" for char in found})
    logger.warning("Refused text with control characters %s", ", ".join(points))


def validate_one_line(value) -> None:
    """A name, a title, a topic: one line, no control characters."""
    found = (
        [char for char in value if _is_control(char)] if isinstance(value, str) else []
    )
    if found:
        _log_refusal(found)
        raise ValidationError(
            _(
                "Текст должен быть одной строкой, без переносов строк и "
                "управляющих символов."
            ),
            code="control_characters",
        )


def validate_multiline(value) -> None:
    """A comment or a description: line breaks and tabs, nothing else."""
    if not isinstance(value, str):
        return
    rest = _MULTILINE_ALLOWED.sub("", value)
    found = [char for char in rest if unicodedata.category(char) == "Cc"]
    if found:
        _log_refusal(found)
        raise ValidationError(
            _(
                "Текст содержит управляющие символы (например, от копирования "
                "из другой программы): удалите их и сохраните снова."
            ),
            code="control_characters",
        )


def text_validator_for(field) -> object | None:
    """The control-character check a model field takes, if any."""
    if getattr(field, "choices", None):
        return None  # a choice is checked against its list
    if isinstance(field, models.TextField):
        return validate_multiline
    if isinstance(field, models.CharField):
        return validate_one_line
    return None


def attach_text_validators() -> None:
    """Give every text field of this project's models its control-character check.

    Added to the field's validators list, not its `validators=` argument, so
    migrations do not see it; `full_clean()` (model forms, the admin, every
    service) runs it.
    """
    for config in apps.get_app_configs():
        if Path(config.path).parent != Path(settings.BASE_DIR):
            continue  # Django's and third-party apps keep their own rules
        for model in config.get_models():
            for field in model._meta.get_fields():
                check = text_validator_for(field)
                if check is not None and check not in field.validators:
                    field.validators.append(check)


class TextInputsMixin:
    """For forms not backed by a model field: every text typed is checked the
    same way (a textarea may hold line breaks, any other input one line)."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or name not in cleaned:
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            try:
                (validate_multiline if multiline else validate_one_line)(cleaned[name])
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned


def validate_link(value: str) -> None:
    """A link is a web page (http:// or https://) or a path on this site ("/…").

    `/\\evil.example/` and `//evil.example/` look like paths but browsers
    take them to another site; `javascript:` runs code: all refused.
    """
    message = _("Введите адрес страницы: https://… или путь на этом сайте /…")
    if value.startswith("/"):
        if any(_is_control(char) for char in value) or not (
            url_has_allowed_host_and_scheme(value, allowed_hosts=None)
            and not value.startswith(("//", "/\\"))
            and "\\" not in value
        ):
            raise ValidationError(message, code="invalid_link")
        return
    URLValidator(schemes=["http", "https"], message=message)(value)
