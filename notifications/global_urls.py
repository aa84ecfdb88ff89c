"""Pages of a person across organisations, and the e-mail provider's webhooks."""

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
    # Bounces and complaints reported by the provider (django-anymail's tracking webhooks).
    path("anymail/", include("anymail.urls")),
]
