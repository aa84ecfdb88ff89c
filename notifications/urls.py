from django.urls import path

from notifications.views import inbox, messages

app_name = "notifications"

# Mounted under <slug:organisation_slug>/ by sillon/urls.py.
urlpatterns = [
    # The bell: a person's in-app notifications in this organisation.
    path("notifications/", inbox.notification_list, name="list"),
    path(
        "notifications/<int:notification_id>/ouvrir/",
        inbox.notification_open,
        name="open",
    ),
    path("notifications/tout-lu/", inbox.mark_all_read, name="mark_all_read"),
    # Coordinators: what was sent, to whom, and what bounced.
    path("messages/", messages.message_list, name="message_list"),
    path("messages/<int:message_id>/", messages.message_detail, name="message_detail"),
]
