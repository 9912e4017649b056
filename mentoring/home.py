"""Panels of the home page that satellite apps contribute.

The home page starts each role's day (the curator's counters, the
psychologist's mentees to support, the methodologist's schools that need
attention). What a panel shows often lives in a satellite (roadmap tasks,
district figures), and the core never imports a satellite (the layers
contract in pyproject.toml): an app registers a panel in its
AppConfig.ready, as the personal-data providers do.

A panel's `context(request)` returns the template's context, or None when
the panel has nothing to say to this user (it is then left out). Panels are
shown by `order`, after the core's own blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    roles: frozenset[str]
    template: str
    context: Callable[[HttpRequest], dict | None]
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    data: dict


_panels: dict[str, Panel] = {}


def register_panel(
    *,
    name: str,
    roles: Iterable[str],
    template: str,
    context: Callable[[HttpRequest], dict | None],
    order: int = 100,
) -> None:
    """Add or replace the panel called `name` (ready() may run twice in tests).

    `roles` are `Role` values; the superuser sees a panel of any role.
    """
    _panels[name] = Panel(name, frozenset(roles), template, context, order)


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    user = request.user
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        if not (user.is_superuser or user.role in panel.roles):
            continue
        data = panel.context(request)
        if data is not None:
            shown.append(ShownPanel(panel.name, panel.template, data))
    return shown
