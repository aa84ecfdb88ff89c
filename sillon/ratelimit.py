"""Counters that cap what costs when abused (e-mails sent on the platform's name, PDF
builds, public forms), kept in the cache so that every process shares them (Redis in
production, the local memory of the one process with the embedded defaults).

``hit(scope, key, limit=…, window=…)`` counts one use of ``key`` and says whether it
stays within ``limit`` uses in ``window`` seconds. The window is fixed: it starts at the
first use and the counter starts again once it has passed.
"""

from django.core.cache import cache
from django.utils.translation import ngettext


def client_address(request) -> str:
    """The address a request came from, as the server saw it."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# Every counter's key starts with this (the tests give each test its own).
PREFIX = "sillon:limit"


def _cache_key(scope: str, key: object) -> str:
    return f"{PREFIX}:{scope}:{key}"


def hit(scope: str, key: object, *, limit: int, window: int, cost: int = 1) -> bool:
    """Count ``cost`` uses of ``key`` in ``scope``; False once past ``limit`` uses in
    ``window`` seconds (the refused use counts too)."""
    name = _cache_key(scope, key)
    if cache.add(name, cost, window):
        return cost <= limit
    try:
        count = cache.incr(name, cost)
    except ValueError:  # expired between the two calls
        cache.add(name, cost, window)
        return cost <= limit
    return count <= limit


def used(scope: str, key: object) -> int:
    """How many uses of ``key`` are counted in its current window."""
    return cache.get(_cache_key(scope, key), 0)


def reset(scope: str, key: object) -> None:
    cache.delete(_cache_key(scope, key))


def wait_text(window: int) -> str:
    """« une heure », « 10 minutes »: how long a refused person waits at most."""
    if window % 3600 == 0:
        hours = window // 3600
        return ngettext("une heure", "%(count)d heures", hours) % {"count": hours}
    minutes = max(1, window // 60)
    return ngettext("une minute", "%(count)d minutes", minutes) % {"count": minutes}
