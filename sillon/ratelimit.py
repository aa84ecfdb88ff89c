"""Counters that cap what costs when abused (e-mails sent on the platform's name, PDF
builds, public forms), kept in the cache so that every process shares them (Redis in
production, the local memory of the one process with the embedded defaults).

``hit(scope, key, limit=…, window=…)`` counts one use of ``key`` and says whether it
stays within ``limit`` uses in ``window`` seconds. The window is fixed: it starts at the
first use and the counter starts again once it has passed.

When the cache is unreachable (Redis down), ``sillon.cache.ResilientRedisCache`` answers
as an empty cache and every counter lets the use through: a limit fails open, with a
warning in the log, rather than failing the page.

``client_ip(request)`` is the one rule for "where a request came from", used by these
counters (``client_address``), allauth's rate limits (``accounts.adapters``) and
django-axes (``AXES_CLIENT_IP_CALLABLE``).
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext


def client_ip(request) -> str | None:
    """The address of the client, or None when the request carries none (a request
    built by hand). With ``TRUSTED_PROXY_COUNT`` = n proxies of ours in front of Django,
    each appending the address it received from to X-Forwarded-For, it is the n-th entry
    from the right (the one our outermost proxy added; what is left of it the client may
    have forged). With no proxy, or a header shorter than n or not an address (a request
    that did not come through them), the address the server saw. django-axes uses it
    (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def client_address(request) -> str:
    """``client_ip``, « unknown » when there is none: the key of per-address counters."""
    return client_ip(request) or "unknown"


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
