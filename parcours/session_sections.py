"""Panels of a session's page contributed by higher apps (evaluation adds the session's
questionnaires and the trainer's assessments), so ``parcours`` never imports them."""

from collections.abc import Callable

from organisations.home_sections import HomeSection

# Callables ``(request, organisation, session) -> HomeSection | None``.
_providers: list[Callable] = []


def register_session_section(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def session_sections(request, organisation, session) -> list[HomeSection]:
    return [
        s for provider in _providers if (s := provider(request, organisation, session)) is not None
    ]
