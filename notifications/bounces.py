"""Bounces and complaints reported by the e-mail provider.

django-anymail's tracking webhooks (mounted at /anymail/) verify the provider's call and
send the ``anymail.signals.tracking`` signal with a normalised event. A bounce, a
rejection or a complaint suppresses the address — ``notifications.services.send`` then
writes "suppressed" rows for it and nothing more leaves — and marks the message it
concerns "bounced", so the coordinator sees it on the messages page.
"""

import logging

from anymail.signals import EventType, tracking
from django.db import transaction
from django.dispatch import receiver
from django_scopes import scopes_disabled

from notifications.models import OutboxMessage, SuppressedAddress

logger = logging.getLogger(__name__)

SUPPRESSING_EVENTS = {EventType.BOUNCED, EventType.REJECTED, EventType.COMPLAINED}
# Rows a bounce can concern: those that left, or may have left.
DELIVERED_STATUSES = (
    OutboxMessage.Status.SENT,
    OutboxMessage.Status.UNCERTAIN,
    OutboxMessage.Status.SENDING,
    OutboxMessage.Status.DIGESTED,
)


def _description(event) -> str:
    parts = [
        str(part) for part in (event.reject_reason, event.description, event.mta_response) if part
    ]
    return " · ".join(parts)[:2000]


@transaction.atomic
def record_tracking_event(*, event, esp_name: str = "") -> OutboxMessage | None:
    """Suppress the address of a bounced / rejected / complained event and mark its
    message bounced. Returns the message marked, if one was found."""
    if event.event_type not in SUPPRESSING_EVENTS:
        return None
    email = (event.recipient or "").strip().lower()
    description = _description(event)
    reason = event.event_type
    if email:
        SuppressedAddress.objects.update_or_create(
            email=email, defaults={"reason": reason, "description": description}
        )
    # The webhook belongs to no organisation: find the row by the provider's id (unique
    # to one message), else the latest message that left for this address.
    with scopes_disabled():
        message = None
        if event.message_id:
            message = (
                OutboxMessage.objects.filter(provider_message_id=str(event.message_id))
                .order_by("-pk")
                .first()
            )
        if message is None and email:
            message = (
                OutboxMessage.objects.filter(to_email__iexact=email, status__in=DELIVERED_STATUSES)
                .order_by("-sent_at", "-pk")
                .first()
            )
        if message is None:
            logger.info("%s event from %s for %s matches no message", reason, esp_name, email)
            return None
        message.status = OutboxMessage.Status.BOUNCED
        message.last_error = (f"{reason} : {description}" if description else reason)[:2000]
        message.save(update_fields=["status", "last_error"])
    return message


@receiver(tracking, dispatch_uid="notifications.bounces.on_tracking")
def on_tracking(sender, event, esp_name="", **kwargs) -> None:
    """Receiver of ``anymail.signals.tracking`` (connected by ``NotificationsConfig.ready``)."""
    record_tracking_event(event=event, esp_name=esp_name)
