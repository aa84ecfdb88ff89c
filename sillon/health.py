"""``/health/``: database, cache and, when one is configured, the Celery broker.

The details (which check, how long, which error) are for the platform's staff and for
probes from inside: a request from ``settings.HEALTH_DETAIL_NETWORKS`` (loopback and
private ranges by default) that no proxy forwarded. Anyone else, a load balancer
probing from outside for instance, gets a plain ``ok`` (200) or ``unavailable`` (503).
"""

import asyncio
import ipaddress

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from health_check.views import HealthCheckView


def health_checks() -> list:
    checks: list = ["health_check.checks.Database", "health_check.checks.Cache"]
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        url = settings.CELERY_BROKER_URL
        checks.append((Redis, {"client_factory": lambda: RedisClient.from_url(url)}))
    return checks


def from_internal_network(request) -> bool:
    """Whether the request comes straight from a network of ``HEALTH_DETAIL_NETWORKS``.

    A request a proxy forwarded (``X-Forwarded-For``) comes from outside, whatever the
    proxy's own address."""
    if "x-forwarded-for" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.HEALTH_DETAIL_NETWORKS
    )


def _unavailable_is_503(response):
    """The detailed report of a failing check says 503 (Service Unavailable), as the
    plain one does, not the package's 500: a probe reads the same status either way."""
    if response.status_code == 500:
        response.status_code = 503
    return response


class SillonHealthCheckView(HealthCheckView):
    async def get(self, request, *args, **kwargs):
        if from_internal_network(request):
            return _unavailable_is_503(await super().get(request, *args, **kwargs))
        user = await request.auser()
        if user.is_active and user.is_staff:
            return _unavailable_is_503(await super().get(request, *args, **kwargs))
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        if any(result.error for result in results):
            response = HttpResponse("unavailable", status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok", content_type="text/plain")
        add_never_cache_headers(response)
        return response


health_view = SillonHealthCheckView.as_view(checks=health_checks())
