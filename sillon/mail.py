"""Sending an e-mail rendered from a pair of templates (plain text and HTML)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """A link for an e-mail or a task, where there is no request to build it from."""
    return f"{settings.SITE_URL}{path}"


def send_templated_mail(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Render ``<template>.txt`` and ``<template>.html`` and send them as one message."""
    context = {"subject": subject, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()
