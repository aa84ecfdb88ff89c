"""The cache backend of production: Django's Redis cache that never fails a request.

What Sillon keeps in the cache are counters (``sillon.ratelimit``, allauth's rate limits)
and allauth's short-lived markers (a used TOTP code): nothing a page cannot do without.
When Redis is unreachable, :class:`ResilientRedisCache` answers as an empty cache that
accepts every write (``get`` gives the default, ``add`` and ``incr`` succeed), so the
limits fail open instead of turning a login or an invitation into a 500; it logs one
warning when the outage starts (then at most once a minute) and one line when Redis
answers again. After a failure it leaves Redis alone for ``RETRY_AFTER`` seconds, so a
page making several cache calls waits for at most one connection attempt; short socket
timeouts (``SOCKET_TIMEOUT``) bound that attempt. ``/health/`` still reports the cache as
failing: it reads back what it wrote.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Connection problems only: a wrong command or a bad value still raises.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
# Seconds without trying Redis again after a failure.
RETRY_AFTER = 5.0
# Seconds between two warnings of the same outage.
WARN_EVERY = 60.0
# Seconds to connect to Redis, and to wait for an answer, before giving up.
SOCKET_TIMEOUT = 1.0


class _Outage:
    """This process's view of Redis: down since when, last warned when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.since = 0.0
        self.warned_at = 0.0

    def skipping(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + RETRY_AFTER
            if not self.since:
                self.since = now
            if now - self.warned_at < WARN_EVERY:
                return
            self.warned_at = now
        logger.warning(
            "cache unavailable (%s: %s): rate limits fail open until Redis answers",
            operation,
            error,
        )

    def answered(self) -> None:
        if not self.since:
            return
        with self.lock:
            since, self.since, self.warned_at = self.since, 0.0, 0.0
        if since:
            logger.warning("cache available again after %.0f s", time.monotonic() - since)


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that behaves as an empty, accepting cache while Redis is down."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._outage = _Outage()

    def _call(self, operation: str, fallback, method, *args, **kwargs):
        if self._outage.skipping():
            return fallback
        try:
            result = method(*args, **kwargs)
        except UNAVAILABLE as error:
            self._outage.failed(operation, error)
            return fallback
        self._outage.answered()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True: a rate limit's first use, or a lock taken (allauth), lets the request on.
        return self._call("add", True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, super().clear)
