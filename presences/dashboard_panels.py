"""Panels of a programme's attendance dashboard contributed by higher apps (documents
adds the attestations: one person's, or the whole cohort's as a ZIP), so ``parcours``
never imports them."""

from collections.abc import Callable

from organisations.home_sections import HomeSection

# Callables ``(request, organisation, programme) -> HomeSection | None``, called only
# for people allowed to see the dashboard.
_providers: list[Callable] = []


def register_attendance_panel(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def attendance_panels(request, organisation, programme) -> list[HomeSection]:
    return [
        s
        for provider in _providers
        if (s := provider(request, organisation, programme)) is not None
    ]
