"""Every write of open registration: event pages, registering and confirming, changes
and cancellations, waiting lists, messages. Callers import this package:
``from inscriptions import services``."""

from inscriptions.services.changes import cancel, change_workshops, promote, update_details
from inscriptions.services.common import (
    Person,
    check_choices,
    closed_reason,
    confirmed_count,
    direct_registrations,
    normalise,
    places_taken,
    taken_places,
    workshop_rounds,
)
from inscriptions.services.events import message_recipients, save_event, send_event_message
from inscriptions.services.registration import (
    confirm,
    existing_registrant,
    register,
    resend_link,
    take_place,
)

__all__ = [
    "Person",
    "cancel",
    "change_workshops",
    "check_choices",
    "closed_reason",
    "confirm",
    "confirmed_count",
    "direct_registrations",
    "existing_registrant",
    "message_recipients",
    "normalise",
    "places_taken",
    "promote",
    "register",
    "resend_link",
    "save_event",
    "send_event_message",
    "take_place",
    "taken_places",
    "update_details",
    "workshop_rounds",
]
