"""Pages of a person across all their organisations (not under an organisation slug)."""

from django.urls import path

from parcours.views import calendar, feeds, invitations

urlpatterns = [
    path("calendrier/", calendar.my_calendar, name="my_calendar"),
    path("calendrier/abonnement/", feeds.feed_settings, name="calendar_feed_settings"),
    path("ical/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path(
        "equipes/invitation/<str:token>/",
        invitations.team_invitation_accept,
        name="team_invitation_accept",
    ),
]
