"""Personal iCal feed addresses."""

from django.db import transaction

from parcours.models import (
    CalendarFeed,
)
from parcours.models.feeds import new_feed_token

# --- Calendar feed -------------------------------------------------------------------


def calendar_feed_for(user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def renew_calendar_feed(*, user) -> CalendarFeed:
    """A new secret address: the old one stops working at once."""
    feed = calendar_feed_for(user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
