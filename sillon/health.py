"""``/health/``: database, cache and, when one is configured, the Celery broker."""

from django.conf import settings
from health_check.views import HealthCheckView


def health_checks() -> list:
    checks: list = ["health_check.checks.Database", "health_check.checks.Cache"]
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        url = settings.CELERY_BROKER_URL
        checks.append((Redis, {"client_factory": lambda: RedisClient.from_url(url)}))
    return checks


health_view = HealthCheckView.as_view(checks=health_checks())
