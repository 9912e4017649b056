"""Sections of a mentor's portfolio that other apps hold.

The portfolio (`mentoring.documents.portfolio_pdf`) prints the mentor's pairs,
programs, training and rewards from the core's own records. Feedback lives in
`surveys`, which the core may not import (the layers contract in
pyproject.toml): surveys registers a provider in its AppConfig.ready, as it
does for a person's data export (mentoring/personal_data.py).

A provider is called as `provider(person=person)` with the mentor's card and
returns a list of `Section`s (possibly empty). What it returns leaves the
school in a document for аттестация: counts and averages, never another
person's answers.
"""

from __future__ import annotations

from collections.abc import Callable

from mentoring.personal_data import Section

Provider = Callable[..., list[Section]]

_providers: list[Provider] = []


def register_portfolio_provider(provider: Provider) -> Provider:
    """Add a provider once (ready() may run twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def portfolio_providers() -> tuple[Provider, ...]:
    return tuple(_providers)
