"""What the app holds about a person, as sections of a subject's export.

152-ФЗ ст. 14 gives a person the right to know what the operator processes
about them. The core lists its own records; an app that holds more (surveys:
questionnaire answers; roadmap: activities a person answers for) registers a
provider in its AppConfig.ready, as the matching answers do: the core never
imports a satellite (the layers contract in pyproject.toml).

A provider is called as `provider(person=person)` and returns a list of
`Section`s (possibly empty).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


Provider = Callable[..., list[Section]]

_providers: list[Provider] = []


def register_personal_data_provider(provider: Provider) -> Provider:
    """Add a provider once (ready() may run twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def personal_data_providers() -> tuple[Provider, ...]:
    return tuple(_providers)
