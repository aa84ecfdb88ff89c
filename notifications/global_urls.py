"""Pages of a person across organisations, and the e-mail provider's webhooks."""

from django.conf import settings
from django.urls import include, path

from notifications.views import preferences

urlpatterns = [
    path(
        "notifications/preferences/",
        preferences.preference_page,
        name="notification_preferences",
    ),
    path(
        "notifications/desabonnement/<str:token>/<str:category>/",
        preferences.unsubscribe,
        name="notifications_unsubscribe",
    ),
]

# Bounces and complaints reported by the provider (django-anymail's tracking webhooks),
# only with a shared secret (``ANYMAIL_WEBHOOK_SECRET``): without one, anyone could post
# fake bounces and silence real addresses, so the webhooks are not served at all
# (``notifications.checks`` warns in ``manage.py check --deploy``).
if settings.ANYMAIL.get("WEBHOOK_SECRET"):
    urlpatterns.append(path("anymail/", include("anymail.urls")))
