"""Sections of an organisation's home page contributed by higher apps (the parcours adds
"Prochaines séances"), so ``organisations`` never imports them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class HomeSection:
    template: str
    context: dict


# Callables ``(request, organisation) -> HomeSection | None``.
_providers: list[Callable] = []


def register_home_section(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def home_sections(request, organisation) -> list[HomeSection]:
    return [s for provider in _providers if (s := provider(request, organisation)) is not None]
