"""The daily digest: the messages a person chose to receive "en un résumé quotidien"
(held in the outbox) go out as one e-mail per person and organisation.

Each person's held rows are claimed (held → digested, a conditional update) before the
digest is written, in the same transaction: a second run the same day, a retry or a
second worker finds nothing left to claim and sends nothing more.
"""

import logging
from datetime import date
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import services
from notifications.models import Category, OutboxMessage
from organisations.models import Organisation
from sillon.formatting import format_day
from sillon.mail import absolute_url

logger = logging.getLogger(__name__)

DIGEST_KIND = "digest"


class _ClaimLost(Exception):
    """Another run claimed some of these rows first: leave the digest to it."""


def _link(url: str) -> str:
    return absolute_url(url) if url.startswith("/") else url


def _today(organisation: Organisation) -> date:
    zone = ZoneInfo(organisation.time_zone or "Europe/Paris")
    return timezone.localtime(timezone=zone).date()


def recipients_with_held_messages(organisation: Organisation) -> list[int]:
    return list(
        OutboxMessage.objects.filter(
            organisation=organisation,
            status=OutboxMessage.Status.HELD,
            recipient__isnull=False,
        )
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )


def send_digest(*, organisation: Organisation, user) -> OutboxMessage | None:
    """Claim ``user``'s held messages in ``organisation`` and queue one digest e-mail
    listing them. Returns the digest's outbox row (None when nothing was left)."""
    try:
        with transaction.atomic():
            held = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(
                    organisation=organisation,
                    recipient=user,
                    status=OutboxMessage.Status.HELD,
                )
                .only("pk", "subject", "url", "category", "created_at")
                .order_by("created_at", "pk")
            )
            if not held:
                return None
            claimed = OutboxMessage.objects.filter(
                pk__in=[message.pk for message in held], status=OutboxMessage.Status.HELD
            ).update(status=OutboxMessage.Status.DIGESTED)
            if claimed != len(held):
                raise _ClaimLost
            day = format_day(_today(organisation))
            subject = _("Votre résumé Sillon du %(day)s") % {"day": day}
            items = [{"subject": message.subject, "url": _link(message.url)} for message in held]
            list_url = reverse("notifications:list", args=[organisation.slug])
            email = services.render_email(
                template="notifications/email/digest",
                subject=subject,
                organisation=organisation,
                context={
                    "recipient": user,
                    "day": day,
                    "items": items,
                    "url": absolute_url(list_url),
                },
            )
            # Mandatory: the person chose this digest; their "résumé" choice must not
            # hold it back again. Its category is that of its first message.
            messages = services.send(
                organisation=organisation,
                recipients=[user],
                kind=DIGEST_KIND,
                category=held[0].category or Category.REMINDERS,
                build=lambda _user: email,
                url=list_url,
                mandatory=True,
                notify_in_app=False,
            )
    except _ClaimLost:
        logger.info("digest of user %s taken by another run", user.pk)
        return None
    return messages[0] if messages else None


def send_digests(*, organisation: Organisation) -> int:
    """One digest per person with held messages in ``organisation``; the count sent."""
    user_ids = recipients_with_held_messages(organisation)
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
        if send_digest(organisation=organisation, user=user) is not None:
            sent += 1
    return sent
