"""The one way Sillon sends a message: ``send`` writes, inside the caller's transaction,
an outbox row per e-mail and an in-app notification per person, following each
person's preferences; Celery delivers the e-mails after commit. ``send_batch`` also
writes to people who have no account yet (``Delivery(None, build, url, email=…)``): an
e-mail only, to that address.

Also: reading and changing preferences, marking notifications read, recording bounces.
"""

import base64
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications.models import (
    Category,
    Channel,
    Notification,
    OutboxMessage,
    Preference,
    SuppressedAddress,
    UnsubscribeKey,
)
from organisations.models import Organisation
from sillon.mail import absolute_url, one_line

logger = logging.getLogger(__name__)


@dataclass
class Attachment:
    filename: str
    mimetype: str  # e.g. 'text/calendar; method=REQUEST; charset=utf-8'
    content: bytes


@dataclass
class Email:
    """What one recipient reads: built by the caller for each person."""

    subject: str
    text: str
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def render_email(
    *, template: str, subject: str, context: dict, organisation: Organisation, **extra
) -> Email:
    """Render ``<template>.txt`` and ``<template>.html`` with the organisation's branding
    (the HTML templates extend ``notifications/email/base.html``)."""
    subject = one_line(subject)
    context = {
        "subject": subject,
        "organisation": organisation,
        "site_url": settings.SITE_URL,
        **context,
    }
    return Email(
        subject=subject,
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
        **extra,
    )


def channels_for(users: Iterable, category: str) -> dict[int, str]:
    """{user id: channel} for ``category`` (one query; no row means immediate)."""
    ids = [user.pk for user in users]
    chosen = dict(
        Preference.objects.filter(user_id__in=ids, category=category).values_list(
            "user_id", "channel"
        )
    )
    return {user_id: chosen.get(user_id, Channel.IMMEDIATE) for user_id in ids}


def unsubscribe_url(user, category: str, *, token: str | None = None) -> str:
    if token is None:
        token = UnsubscribeKey.objects.get_or_create(user=user)[0].token
    return absolute_url(reverse("notifications_unsubscribe", args=[token, category]))


def unsubscribe_tokens(users) -> dict[int, str]:
    """{user id: token}, creating the missing keys: two queries for any number of people."""
    ids = {user.pk for user in users}
    UnsubscribeKey.objects.bulk_create(
        [UnsubscribeKey(user_id=pk) for pk in ids], ignore_conflicts=True
    )
    return dict(UnsubscribeKey.objects.filter(user_id__in=ids).values_list("user_id", "token"))


@dataclass
class Delivery:
    """One message to one person, with the page it is about.

    ``user`` may be ``None`` for someone who has no account yet (a person invited to
    complete an application or to join a team): ``email`` then says where to write, no
    in-app notification is made, no preference applies and ``build`` receives ``None``.
    With a user, ``email`` (when given) replaces their account's address.
    """

    user: object | None
    build: Callable[[object | None], Email]
    url: str = ""
    email: str = ""
    # Set by send_batch: the outbox row written for this delivery, if any.
    message: OutboxMessage | None = None

    @property
    def address(self) -> str:
        if self.email:
            return self.email
        return (self.user.email or "") if self.user is not None else ""


def suppressed_among(emails: Iterable[str]) -> set[str]:
    """The addresses among ``emails`` that bounced or complained, lower-cased (one
    query; none without addresses): the invitations a coordinator follows ask it."""
    wanted = {email.lower() for email in emails if email}
    if not wanted:
        return set()
    return set(SuppressedAddress.objects.filter(email__in=wanted).values_list("email", flat=True))


def send(
    *,
    organisation: Organisation,
    recipients: Iterable,
    kind: str,
    category: str,
    build: Callable[[object], Email],
    url: str = "",
    mandatory: bool = False,
    unsubscribe: bool = False,
    notify_in_app: bool = True,
) -> list[OutboxMessage]:
    """Queue one message of ``kind`` to each of ``recipients`` (users).

    Must run inside the caller's transaction (it writes rows; deliveries start after
    commit, and if the broker is down the rows wait for the next outbox flush).
    ``mandatory`` messages (a cancelled session) ignore the "rien" and "résumé"
    preferences; ``unsubscribe`` adds the one-click unsubscribe headers (reminders).
    """
    return send_batch(
        organisation=organisation,
        deliveries=[Delivery(user, build, url) for user in recipients if user is not None],
        kind=kind,
        category=category,
        mandatory=mandatory,
        unsubscribe=unsubscribe,
        notify_in_app=notify_in_app,
    )


def send_batch(
    *,
    organisation: Organisation,
    deliveries: list[Delivery],
    kind: str,
    category: str,
    mandatory: bool = False,
    unsubscribe: bool = False,
    notify_in_app: bool = True,
) -> list[OutboxMessage]:
    """``send`` for many messages of one kind about different pages (the reminders of a
    scan): the same fixed number of queries for any number of deliveries."""
    if category not in Category.values:
        raise ValueError(f"unknown category {category!r}")
    recipients = [delivery.user for delivery in deliveries if delivery.user is not None]
    channels = channels_for(recipients, category)
    suppressed = suppressed_among(delivery.address for delivery in deliveries)
    tokens = unsubscribe_tokens(recipients) if unsubscribe else {}
    messages: list[OutboxMessage] = []
    notifications: list[Notification] = []
    for delivery in deliveries:
        user, url, address = delivery.user, delivery.url[:500], delivery.address
        if user is None:
            channel = Channel.IMMEDIATE  # no account, no preferences: only this address
        else:
            channel = Channel.IMMEDIATE if mandatory else channels[user.pk]
        if channel == Channel.OFF:
            continue
        email = delivery.build(user)
        # The one place every outbox subject is made: one line, whatever a title holds.
        subject = one_line(email.subject)[:300]
        if notify_in_app and user is not None:
            notifications.append(
                Notification(
                    organisation=organisation,
                    user=user,
                    kind=kind,
                    category=category,
                    title=subject,
                    url=url,
                )
            )
        if not address:
            continue
        if address.lower() in suppressed:
            status = OutboxMessage.Status.SUPPRESSED
        elif channel == Channel.DIGEST:
            status = OutboxMessage.Status.HELD
        else:
            status = OutboxMessage.Status.QUEUED
        headers = {}
        if unsubscribe and user is not None:
            link = unsubscribe_url(user, category, token=tokens[user.pk])
            headers = {
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        delivery.message = OutboxMessage(
            organisation=organisation,
            recipient=user,
            to_email=address.strip(),
            kind=kind,
            category=category,
            subject=subject,
            body_text=email.text,
            body_html=email.html,
            attachments=[
                {
                    "filename": attachment.filename,
                    "mimetype": attachment.mimetype,
                    "content": base64.b64encode(attachment.content).decode(),
                }
                for attachment in email.attachments
            ],
            headers=headers,
            url=url,
            status=status,
        )
        messages.append(delivery.message)
    Notification.objects.bulk_create(notifications)
    created = OutboxMessage.objects.bulk_create(messages)
    for message in created:
        message.dispatch_delayed = False
    queue_delivery_on_commit(
        organisation, [m for m in created if m.status == OutboxMessage.Status.QUEUED]
    )
    return created


def queue_delivery_on_commit(organisation: Organisation, messages: list[OutboxMessage]) -> None:
    """Hand the messages to Celery after commit. A broker that is down must not break
    the page that caused them: the rows stay queued, the periodic flush sends them, and
    each message not handed over says so (``dispatch_delayed``), for the page to tell."""
    if not messages:
        return
    organisation_id = organisation.pk

    def dispatch():
        from notifications.tasks import deliver_message

        for position, message in enumerate(messages):
            try:
                deliver_message.delay(organisation_id, message.pk)
            except Exception:  # the broker is down: the outbox flush will pick them up
                logger.warning(
                    "broker unavailable: %s messages left queued for the outbox flush",
                    len(messages) - position,
                )
                for waiting in messages[position:]:
                    waiting.dispatch_delayed = True
                return

    transaction.on_commit(dispatch)


@transaction.atomic
def set_preference(*, user, category: str, channel: str) -> Preference:
    if category not in Category.values or channel not in Channel.values:
        raise ValueError("unknown category or channel")
    preference, _created = Preference.objects.update_or_create(
        user=user, category=category, defaults={"channel": channel}
    )
    return preference


@transaction.atomic
def mark_read(*, user, organisation: Organisation, notification_ids=None) -> int:
    """Mark the user's notifications of ``organisation`` read (all, or the given ids)."""
    unread = Notification.objects.filter(organisation=organisation, user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
