"""Why sending an e-mail failed, and whether trying again could help.

A permanent error (a header a stored value broke, an address the server or the provider
refuses, an SMTP 5xx answer, an API 4xx answer) fails the message at once with its
reason; a temporary one (the connection, an SMTP 4xx answer, the provider's API down or
throttling) is retried with back-off. An error we do not know is permanent too: trying
the same bytes again would fail the same way, and the message must not stay "sending".
"""

from __future__ import annotations

import email.errors
import smtplib
from dataclasses import dataclass

from anymail.exceptions import (
    AnymailAPIError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
)

from notifications.models import OutboxMessage

Reason = OutboxMessage.FailureReason

# API answers worth another try: timeout, conflict, too many requests.
RETRIED_HTTP_STATUSES = {408, 409, 425, 429}


@dataclass(frozen=True)
class Failure:
    permanent: bool
    reason: str = ""  # OutboxMessage.FailureReason, for a permanent failure


TEMPORARY = Failure(permanent=False)


def _smtp_code(code) -> int:
    try:
        return int(code)
    except (TypeError, ValueError):
        return 0


def classify(error: BaseException) -> Failure:
    """Whether ``error``, raised while building or sending one message, is permanent."""
    # Anymail first: its API errors are also requests' HTTPError, an OSError.
    if isinstance(error, AnymailRecipientsRefused):
        return Failure(True, Reason.RECIPIENT_REFUSED)
    if isinstance(error, AnymailInvalidAddress):
        return Failure(True, Reason.INVALID_ADDRESS)
    if isinstance(error, AnymailAPIError):
        status = getattr(error, "status_code", None) or 0
        if 400 <= status < 500 and status not in RETRIED_HTTP_STATUSES:
            return Failure(True, Reason.REJECTED)
        return TEMPORARY
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [_smtp_code(code) for code, _text in (error.recipients or {}).values()]
        if codes and all(code >= 500 for code in codes):
            return Failure(True, Reason.RECIPIENT_REFUSED)
        return TEMPORARY
    if isinstance(error, (smtplib.SMTPConnectError, smtplib.SMTPAuthenticationError)):
        # Our own server or credentials: every message would fail alike, so they wait
        # (and fail after the last attempt) rather than all fail at once.
        return TEMPORARY
    if isinstance(error, smtplib.SMTPResponseException):
        if _smtp_code(error.smtp_code) >= 500:
            return Failure(True, Reason.REJECTED)
        return TEMPORARY
    if isinstance(error, OSError):  # the connection, SMTP server disconnected…
        return TEMPORARY
    if isinstance(error, (ValueError, TypeError, UnicodeError, email.errors.MessageError)):
        # « Header values may not contain linefeed… », a corrupt attachment.
        return Failure(True, Reason.BAD_MESSAGE)
    return Failure(True, Reason.UNEXPECTED)
