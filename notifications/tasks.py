"""Delivering the outbox. Tasks take ids and enter the organisation's scope."""

import base64

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from organisations.models import Organisation
from organisations.tasks import tenant_task

from .models import OutboxMessage


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to_email],
        headers=message.headers or None,
        reply_to=[message.organisation.contact_email]
        if message.organisation.contact_email
        else None,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return email


@tenant_task(bind=True, max_retries=5)
def deliver_message(self, organisation: Organisation, message_id: int) -> str:
    """Send one queued message. The row moves queued → sending in its own committed
    transaction before the SMTP conversation, so a second delivery of the same task (a
    redelivered message, a second worker) finds it taken and does nothing."""
    with transaction.atomic():
        taken = OutboxMessage.objects.filter(
            pk=message_id, status=OutboxMessage.Status.QUEUED
        ).update(status=OutboxMessage.Status.SENDING, sending_since=timezone.now())
    if not taken:
        return "skipped"
    message = OutboxMessage.objects.select_related("organisation").get(pk=message_id)
    message.attempts += 1
    try:
        _email(message).send()
    except OSError as error:
        message.status = OutboxMessage.Status.QUEUED
        message.last_error = str(error)[:2000]
        message.save(update_fields=["status", "attempts", "last_error"])
        if message.attempts >= 5:
            message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["status"])
            return "failed"
        raise self.retry(exc=error, countdown=60 * 2**message.attempts) from error
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "attempts", "sent_at"])
    return "sent"
