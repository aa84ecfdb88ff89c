"""Deployment check: bounces and complaints only reach Sillon through the provider's
webhooks, which are served only with a shared secret (``notifications/global_urls.py``).
A production that sends through an anymail backend without one never learns that an
address bounces."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def webhook_secret(app_configs, **kwargs):
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if backend.startswith("anymail.") and not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        return [
            checks.Warning(
                "ANYMAIL_WEBHOOK_SECRET is not set: the provider's bounce webhooks are not "
                "served, so bounced addresses are never suppressed.",
                hint="Set ANYMAIL_WEBHOOK_SECRET to 'user:password' and give the same "
                "credentials to the provider's webhook URL.",
                id="notifications.W001",
            )
        ]
    return []
