"""The e-mail organisations writes: the invitation to join an organisation.

Like every message of Sillon it goes through the outbox (``notifications``, an app
above, lends it through the extension point ``organisations.outbox``): written in the
invitation's transaction, delivered by a Celery task after commit and retried; if the
broker is down the row waits for the outbox flush, and the page says so.
"""

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from sillon.mail import absolute_url, one_line

from .extensions import outbox
from .models import Invitation

INVITATION_KIND = "organisation.invitation"


def queue_invitation_email(invitation: Invitation) -> Invitation:
    """Queue the invitation's e-mail (inside the caller's transaction). The message is
    kept on ``invitation.email_message``; after commit its ``dispatch_delayed`` says
    whether it waits for the broker (see :func:`email_delayed`)."""
    organisation = invitation.organisation
    path = reverse("invitation_accept", args=[invitation.token])
    subject = one_line(
        _("Invitation à rejoindre %(organisation)s sur Sillon")
        % {"organisation": organisation.name}
    )
    context = {
        "subject": subject,
        "organisation": organisation,
        "invitation": invitation,
        "accept_url": absolute_url(path),
    }
    queued = outbox.collect(
        organisation=organisation,
        to_email=invitation.email,
        kind=INVITATION_KIND,
        subject=subject,
        text=render_to_string("organisations/email/invitation.txt", context),
        html=render_to_string("organisations/email/invitation.html", context),
        url=path,
    )
    if not queued:
        raise ImproperlyConfigured("no outbox: the notifications app is not installed")
    invitation.email_message = queued[0]
    return invitation


def email_delayed(invitation: Invitation) -> bool:
    """After commit: the invitation's e-mail is written but waits for the broker."""
    return bool(getattr(getattr(invitation, "email_message", None), "dispatch_delayed", False))
