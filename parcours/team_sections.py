"""Panels of a team's page contributed by higher apps (evaluation adds the team's
self-diagnostic and progression), so ``parcours`` never imports them."""

from collections.abc import Callable

from organisations.home_sections import HomeSection

# Callables ``(request, organisation, team) -> HomeSection | None``. They are called only
# for people allowed to see the team's page; each decides what its panel shows them.
_providers: list[Callable] = []


def register_team_section(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def team_sections(request, organisation, team) -> list[HomeSection]:
    return [
        s for provider in _providers if (s := provider(request, organisation, team)) is not None
    ]
