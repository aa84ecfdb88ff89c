"""The header bell: how many unread notifications the person has in this organisation."""

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


@dataclass(frozen=True)
class Bell:
    unread: int


def _bell(request) -> Bell:
    organisation = getattr(request, "organisation", None)
    user = getattr(request, "user", None)
    if organisation is None or not getattr(user, "is_authenticated", False):
        return Bell(unread=0)
    return Bell(
        unread=Notification.objects.filter(
            organisation=organisation, user=user, read_at__isnull=True
        ).count()
    )


def notification_bell(request):
    """``notification_bell.unread``: one COUNT query, run only if a template reads it (the
    bell shows only inside an organisation, to someone who belongs to it)."""
    return {"notification_bell": SimpleLazyObject(lambda: _bell(request))}
