"""Delivering the outbox.

Three tasks, none of which can send a row twice without saying so:

* ``deliver_message`` sends one queued row. It first moves the row queued → sending in a
  committed update (so a redelivered task or a second worker finds it taken), sends,
  then records sent (with the provider's message id) or the error. A permanent error (a
  broken header, an invalid or refused address, an SMTP 5xx: ``notifications.failures``)
  fails the row at once with its reason (``failure_reason``, shown to coordinators); a
  temporary one (the connection, an SMTP 4xx) puts the row back in the queue and retries
  with back-off; after ``MAX_ATTEMPTS`` the row is failed, and stays visible with its
  last error. Whatever happens, the task does not raise (but for Celery's retry): one
  poison message never stops the others of its batch.
* ``flush_outbox`` (beat, every minute) re-dispatches the queued rows nobody is working
  on: written while the broker was down, or whose retry was lost. The claim in
  ``deliver_message`` makes a duplicate dispatch harmless.
* ``sweep_uncertain`` (beat, every five minutes) finds rows stuck in "sending" for longer
  than ``OUTBOX_SENDING_TIMEOUT_MINUTES`` (a setting, 15 by default) — a worker killed
  mid-send, the SMTP server may or may not have taken the message. The first time the
  row is queued again once, and its last error says so; the second time it stays
  "uncertain" and is never sent again. Both are counted in the log and on the
  coordinators' « Messages » page.

Tasks take ids and enter the organisation's scope; the two periodic tasks read across
organisations (they are the platform's own housekeeping) and hand each row to
``deliver_message`` with its organisation id.
"""

import base64
import logging
from datetime import timedelta
from email.message import MIMEPart

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import scopes_disabled

from notifications.failures import classify
from notifications.models import OutboxMessage
from organisations.models import Organisation
from organisations.tasks import tenant_task
from sillon.mail import one_line

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# How long the flush leaves a queued row to its own task (or retry) before re-dispatching.
FLUSH_GRACE = timedelta(minutes=2)
FLUSH_BATCH = 200
# A row "sending" for longer than this was abandoned by its worker (the default of the
# setting OUTBOX_SENDING_TIMEOUT_MINUTES).
SENDING_TIMEOUT = timedelta(minutes=15)
SWEEP_BATCH = 200

INTERRUPTED_ONCE = "Envoi interrompu, renvoyé une fois"
INTERRUPTED_TWICE = "Envoi interrompu une deuxième fois : non renvoyé, à vérifier"


def sending_timeout() -> timedelta:
    """How long a row may stay "sending" before the sweep takes it back."""
    minutes = getattr(settings, "OUTBOX_SENDING_TIMEOUT_MINUTES", None)
    return SENDING_TIMEOUT if minutes is None else timedelta(minutes=float(minutes))


def retry_delay(attempts: int) -> timedelta:
    """The back-off before attempt ``attempts + 1``: 2, 4, 8, 16 minutes."""
    if attempts <= 0:
        return timedelta(0)
    return timedelta(seconds=60 * 2**attempts)


# --- Building the e-mail -------------------------------------------------------------


def _attachment_part(filename: str, mimetype: str, content: bytes) -> MIMEPart:
    """One attachment, with the parameters of its type kept (``text/calendar;
    method=REQUEST``, so mail clients offer to add the event) and its bytes kept as they
    are (base64), so the CRLF line endings an .ics needs survive."""
    kind, *params = [piece.strip() for piece in mimetype.split(";")]
    maintype, _slash, subtype = kind.partition("/")
    parameters = {}
    for param in params:
        key, _equals, value = param.partition("=")
        if key and value:
            parameters[key.strip().lower()] = value.strip().strip('"')
    part = MIMEPart()
    part.set_content(
        content,
        maintype=maintype or "application",
        subtype=subtype or "octet-stream",
        params=parameters,
        disposition="attachment",
        filename=filename,
    )
    return part


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    """The e-mail of an outbox row: text, HTML alternative, attachments, headers (the
    one-click unsubscribe ones among them); replies go to the organisation's contact."""
    organisation = message.organisation
    contact = one_line(organisation.contact_email)
    email = EmailMultiAlternatives(
        # Rows written before subjects were made one line, or changed since: no stored
        # value may break a header.
        subject=one_line(message.subject),
        body=message.body_text,
        to=[message.to_email.strip()],
        headers={name: one_line(value) for name, value in (message.headers or {}).items()},
        reply_to=[contact] if contact else None,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments or []:
        email.attach(
            _attachment_part(
                attachment["filename"],
                attachment.get("mimetype") or "application/octet-stream",
                base64.b64decode(attachment["content"], validate=True),
            )
        )
    return email


def _provider_message_id(email) -> str:
    """The provider's id of the sent message, when the backend is django-anymail's."""
    status = getattr(email, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    if message_id is None:
        return ""
    if isinstance(message_id, set):  # one id per recipient; we send to one address
        message_id = next(iter(message_id), "")
    return str(message_id)[:200]


def _error_text(previous: str, error: BaseException) -> str:
    """The row's last error, keeping the mention of an interrupted send: it is what
    stops the sweep from sending the row a third time."""
    text = f"{type(error).__name__}: {error}"[:1500]
    if previous.startswith(INTERRUPTED_ONCE):
        return f"{INTERRUPTED_ONCE} · {text}"
    return text


# --- Delivering one row ---------------------------------------------------------------


@tenant_task(bind=True, max_retries=MAX_ATTEMPTS)
def deliver_message(self, organisation: Organisation, message_id: int) -> str:
    """Send one queued message (a no-op for any other status)."""
    return _deliver(self, organisation, message_id)


def _deliver(task, organisation: Organisation, message_id: int) -> str:
    now = timezone.now()
    with transaction.atomic():
        taken = OutboxMessage.objects.filter(
            pk=message_id, organisation=organisation, status=OutboxMessage.Status.QUEUED
        ).update(
            status=OutboxMessage.Status.SENDING,
            sending_since=now,
            attempts=F("attempts") + 1,
        )
    if not taken:
        return "skipped"
    message = OutboxMessage.objects.select_related("organisation").get(pk=message_id)
    try:
        validate_email(message.to_email.strip())
    except ValidationError as error:
        return _fail(message, OutboxMessage.FailureReason.INVALID_ADDRESS, error)
    try:
        email = build_email(message)
        email.send()
    except Exception as error:
        failure = classify(error)
        if failure.permanent:
            return _fail(message, failure.reason, error)
        return _retry_later(task, message, error)
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.provider_message_id = _provider_message_id(email)
    message.save(update_fields=["status", "sent_at", "provider_message_id"])
    return "sent"


def _fail(message: OutboxMessage, reason: str, error: BaseException) -> str:
    """The row failed for good: trying again would fail the same way."""
    if reason == OutboxMessage.FailureReason.UNEXPECTED:
        logger.exception("outbox message %s failed", message.pk, exc_info=error)
    else:
        logger.warning("outbox message %s failed (%s): %s", message.pk, reason, error)
    message.status = OutboxMessage.Status.FAILED
    message.failure_reason = reason
    message.last_error = _error_text(message.last_error, error)
    message.save(update_fields=["status", "failure_reason", "last_error"])
    return "failed"


def _retry_later(task, message: OutboxMessage, error: BaseException) -> str:
    """A temporary error: back in the queue with back-off, failed after MAX_ATTEMPTS."""
    if message.attempts >= MAX_ATTEMPTS:
        logger.warning("outbox message %s failed after %s attempts", message.pk, MAX_ATTEMPTS)
        return _fail(message, OutboxMessage.FailureReason.UNREACHABLE, error)
    message.last_error = _error_text(message.last_error, error)
    # Back in the queue; ``sending_since`` keeps the time of this attempt, from which
    # the flush computes when a lost retry is overdue.
    message.status = OutboxMessage.Status.QUEUED
    message.save(update_fields=["status", "last_error"])
    if task.request.is_eager:
        # Eager (tests, development without a broker): nothing can wait for a
        # countdown, and a Retry would propagate to the caller. The row is queued;
        # the flush sends it once its back-off has passed, as for a lost retry.
        return "retry"
    countdown = int(retry_delay(message.attempts).total_seconds())
    raise task.retry(exc=error, countdown=countdown) from error


# --- Periodic housekeeping ------------------------------------------------------------


def _overdue_queued(now) -> Q:
    """Queued rows whose task should have run by now: never tried and written more than
    ``FLUSH_GRACE`` ago, or tried ``n`` times and past their back-off plus the grace."""
    overdue = Q(attempts=0, created_at__lt=now - FLUSH_GRACE)
    for attempts in range(1, MAX_ATTEMPTS):
        overdue |= Q(
            attempts=attempts,
            sending_since__lt=now - FLUSH_GRACE - retry_delay(attempts),
        )
    # A row re-queued by the sweep keeps its old ``sending_since``: it is due at once.
    overdue |= Q(attempts__gte=1, sending_since__isnull=True)
    return overdue


@shared_task(name="notifications.tasks.flush_outbox")
def flush_outbox(batch: int = FLUSH_BATCH) -> int:
    """Hand the overdue queued rows to ``deliver_message`` again, oldest first. Returns
    how many were dispatched; stops quietly if the broker is still down."""
    now = timezone.now()
    # Housekeeping across organisations: each row goes on with its own organisation id.
    with scopes_disabled():
        rows = list(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED)
            .filter(_overdue_queued(now))
            .order_by("created_at", "pk")
            .values_list("organisation_id", "pk")[:batch]
        )
    dispatched = 0
    for organisation_id, message_id in rows:
        try:
            deliver_message.delay(organisation_id, message_id)
        except Exception:  # the broker is still down: the next flush will try again
            logger.warning("broker unavailable: outbox flush stopped after %s", dispatched)
            break
        dispatched += 1
    return dispatched


@shared_task(name="notifications.tasks.sweep_uncertain")
def sweep_uncertain(batch: int = SWEEP_BATCH) -> dict:
    """Rows left "sending" longer than ``sending_timeout()``: a worker died during the
    SMTP conversation, so the message may or may not have left. Queue it again once,
    saying so in its last error; a row that was already re-sent once stays "uncertain"
    and is never sent again (a person may receive one duplicate, never a silent loop)."""
    now = timezone.now()
    requeued, abandoned = [], 0
    # Housekeeping across organisations (see module docstring).
    with scopes_disabled():
        stuck = list(
            OutboxMessage.objects.filter(
                status=OutboxMessage.Status.SENDING,
                sending_since__lt=now - sending_timeout(),
            )
            .order_by("sending_since", "pk")
            .only("pk", "organisation_id", "last_error", "sending_since")[:batch]
        )
        for message in stuck:
            # Conditional on the row being exactly as read: a worker finishing right now
            # wins, and the sweep leaves the row alone.
            still_stuck = OutboxMessage.objects.filter(
                pk=message.pk,
                status=OutboxMessage.Status.SENDING,
                sending_since=message.sending_since,
            )
            if message.last_error.startswith(INTERRUPTED_ONCE):
                abandoned += still_stuck.update(
                    status=OutboxMessage.Status.UNCERTAIN,
                    last_error=f"{INTERRUPTED_TWICE} · {message.last_error}"[:2000],
                )
                continue
            note = INTERRUPTED_ONCE
            if message.last_error:
                note = f"{INTERRUPTED_ONCE} · {message.last_error}"
            if still_stuck.update(
                status=OutboxMessage.Status.QUEUED,
                last_error=note[:2000],
                sending_since=None,
            ):
                requeued.append((message.organisation_id, message.pk))
    if requeued or abandoned:
        logger.warning(
            "outbox sweep: %s messages stuck in sending re-queued, %s left uncertain",
            len(requeued),
            abandoned,
        )
    for organisation_id, message_id in requeued:
        try:
            deliver_message.delay(organisation_id, message_id)
        except Exception:  # broker down: the rows are queued, the flush sends them
            logger.warning("broker unavailable: re-queued messages left to the flush")
            break
    return {"requeued": len(requeued), "uncertain": abandoned}
