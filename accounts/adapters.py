import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.utils.translation import gettext as _

from sillon.ratelimit import client_address

from .extensions import pending_invitations

logger = logging.getLogger(__name__)


def axes_username(request, credentials) -> str | None:
    """The identifier axes counts failures against: the e-mail typed in the login form."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or credentials.get("login")
        or (request.POST.get("login") if request is not None else None)
    )
    return value.strip().lower() if isinstance(value, str) else value


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, with three changes:

    * someone with no account yet who asks for a login code (or a password reset) while
      an invitation waits for their address gets that invitation again instead of
      « Compte inconnu »;
    * the client's address is ``sillon.ratelimit.client_address`` (TRUSTED_PROXY_COUNT),
      the same for allauth's rate limits, axes and Sillon's own counters;
    * a login code, a reset link or a confirmation that the mail server refuses or does
      not answer gives a French message, not a 500. These e-mails are sent during the
      request, not through the outbox: they belong to no organisation, and the person is
      waiting for them (a code is valid 15 minutes); no broker or cache is involved.
    """

    UNKNOWN_ACCOUNT = "account/email/unknown_account"

    def get_client_ip(self, request) -> str:
        return client_address(request)

    def send_mail(self, template_prefix, email, context):
        if template_prefix == self.UNKNOWN_ACCOUNT and any(
            pending_invitations.collect(email=email)
        ):
            return None
        try:
            return super().send_mail(template_prefix, email, context)
        except OSError as error:  # SMTP down or refusing (smtplib errors are OSErrors)
            logger.warning("account e-mail %s not sent: %s", template_prefix, error)
            request = getattr(self, "request", None)
            if request is not None:
                messages.error(
                    request,
                    _(
                        "L'e-mail n'a pas pu être envoyé : le service d'envoi ne répond "
                        "pas. Réessayez dans quelques minutes."
                    ),
                    fail_silently=True,
                )
            return None
