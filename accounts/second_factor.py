"""Two-factor authentication (allauth.mfa, TOTP) as the rest of Sillon asks about it.

``has_totp(user)``: an authenticator app is set up. ``passed_second_factor(request)``: this
session proved it, by a code at login or at a re-authentication (allauth records these),
or by setting the app up (``remember_totp_set_up``, on allauth's ``authenticator_added``).
``redirect_to_totp_set_up`` sends someone to the set-up page, keeping where they were going
so that the page after set-up offers to go on there.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

SET_UP_IN_SESSION = "sillon_totp_set_up_by"
NEXT_AFTER_SET_UP = "sillon_totp_next"
_CACHE_ATTR = "_sillon_has_totp"


def has_totp(user) -> bool:
    """Whether ``user`` has an authenticator app set up; cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()
        setattr(user, _CACHE_ATTR, cached)
    return cached


def passed_second_factor(request) -> bool:
    """Whether this session's user gave a second factor since logging in."""
    user = request.user
    if not user.is_authenticated:
        return False
    if request.session.get(SET_UP_IN_SESSION) == str(user.pk):
        return True
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


@receiver(authenticator_added)
def remember_totp_set_up(sender, request, user, authenticator, **kwargs):
    """Typing the app's first code to set it up proves the second factor for this session."""
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    request.session[SET_UP_IN_SESSION] = str(user.pk)


def redirect_to_totp_set_up(request, message: str):
    """Send the user to allauth's TOTP set-up page with ``message``; the page they asked
    for is offered once the app is set up (``next_after_set_up``)."""
    messages.warning(request, message)
    destination = request.get_full_path()
    if (
        request.method == "GET"
        and not getattr(request, "htmx", False)
        and url_has_allowed_host_and_scheme(destination, allowed_hosts=None)
    ):
        request.session[NEXT_AFTER_SET_UP] = destination
    url = reverse("mfa_activate_totp")
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def next_after_set_up(request) -> str:
    """The page someone was sent away from to set up their app, if it is one of ours."""
    url = request.session.get(NEXT_AFTER_SET_UP) or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return ""
