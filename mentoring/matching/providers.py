"""Questionnaire answers for the matching engine, from the apps that hold them.

The core imports none of its satellites (the layers contract in
pyproject.toml), so an app that knows what bank profiles answered (surveys)
registers a provider in its AppConfig.ready. With none registered the engine
matches on the banks' own fields.

A provider is called as `provider(profiles=[...])` with mentor and mentee
profiles and returns {profile: {question code: value}}; a profile it knows
nothing about may be left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

AnswersProvider = Callable[..., Mapping]

_answers_providers: list[AnswersProvider] = []


def register_answers_provider(provider: AnswersProvider) -> AnswersProvider:
    """Add a provider once (ready() may run twice in tests); usable as a decorator."""
    if provider not in _answers_providers:
        _answers_providers.append(provider)
    return provider


def unregister_answers_provider(provider: AnswersProvider) -> None:
    if provider in _answers_providers:
        _answers_providers.remove(provider)


def answers_providers() -> tuple[AnswersProvider, ...]:
    return tuple(_answers_providers)


def profile_answers(*, profiles: Iterable) -> dict:
    """Each profile's answers from every provider; a later one wins on a code."""
    profiles = list(profiles)
    found: dict = {}
    for provider in _answers_providers:
        for profile, answers in provider(profiles=profiles).items():
            found.setdefault(profile, {}).update(answers)
    return found
