"""Panels of a call's management page contributed by higher apps (evaluation adds the
call's motivation questions and T0 self-diagnostic), so ``parcours`` never imports them."""

from collections.abc import Callable

from organisations.home_sections import HomeSection

# Callables ``(request, organisation, call) -> HomeSection | None``, called for the
# organisation's coordinators only.
_providers: list[Callable] = []


def register_call_section(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def call_sections(request, organisation, call) -> list[HomeSection]:
    return [
        s for provider in _providers if (s := provider(request, organisation, call)) is not None
    ]
