"""Sending an e-mail rendered from a pair of templates (plain text and HTML), and the
one rule that keeps stored values from breaking an e-mail's headers."""

import re
import unicodedata

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """A link for an e-mail or a task, where there is no request to build it from."""
    return f"{settings.SITE_URL}{path}"


# Runs of whitespace, including line and paragraph separators.
_SPACES = re.compile(r"\s+")


def one_line(value) -> str:
    """``value`` as one header-safe line: control characters (line breaks, tabs, NUL…),
    line and paragraph separators and runs of whitespace become one space, and the ends
    are trimmed. Every e-mail subject goes through it (``notifications.services.send_batch``,
    ``send_templated_mail``, and delivery for rows written before), so no stored title
    or name can break a header (« Header values may not contain linefeed… »)."""
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in str(value or "")
    )
    return _SPACES.sub(" ", text).strip()


def send_templated_mail(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render ``<template>.txt`` and ``<template>.html`` and send them as one message."""
    context = {"subject": subject, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=one_line(subject), body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()
