"""Tabs of a programme's pages contributed by higher apps (evaluation adds
"Évaluations" and "Progression"), so ``parcours`` never imports them."""

from collections.abc import Callable

# Callables ``(request, organisation, programme) -> [(label, url, key)]``.
_providers: list[Callable] = []


def register_programme_tab(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def programme_tabs(request, organisation, programme) -> list[tuple[str, str, str]]:
    return [tab for provider in _providers for tab in provider(request, organisation, programme)]
