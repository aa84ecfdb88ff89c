from allauth.account.adapter import DefaultAccountAdapter

from .extensions import pending_invitations


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
    """allauth's adapter, with one change: someone with no account yet who asks for a
    login code (or a password reset) while an invitation waits for their address gets
    that invitation again instead of « Compte inconnu »."""

    UNKNOWN_ACCOUNT = "account/email/unknown_account"

    def send_mail(self, template_prefix, email, context):
        if template_prefix == self.UNKNOWN_ACCOUNT and any(
            pending_invitations.collect(email=email)
        ):
            return None
        return super().send_mail(template_prefix, email, context)
