"""Two-factor authentication in tests: an authenticator app (allauth TOTP) for a user, its
current code, and a client logged in past the second factor as through the real pages."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse


def set_up_totp(user) -> str:
    """Give ``user`` an authenticator app; return its secret (see ``totp_code``)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code the app shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def login_past_second_factor(client, user):
    """Log ``user`` in with an authenticator app, then give its code on allauth's
    re-authentication page, as someone whose session predates the code would."""
    secret = set_up_totp(user)
    client.force_login(user)
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client
