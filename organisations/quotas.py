"""Caps on what an account can make the platform send in the organisation's name.

An invitation is an e-mail branded with the organisation's identity, sent to any
address the account types: each account may have at most ``MEMBER_INVITATIONS`` sent
per hour (a self-registered applicant, a team member), a coordinator
``COORDINATOR_INVITATIONS`` (enough to invite a whole cohort in one sitting). Resending
counts like sending. The counters live in the cache (``sillon.ratelimit``), shared by
every process. Settings of the same names override the numbers.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organisations.rules import is_coordinator
from sillon import ratelimit

WINDOW = 3600
MEMBER_INVITATIONS = 20
COORDINATOR_INVITATIONS = 300


def invitation_limit(acting_user, organisation) -> int:
    if is_coordinator(acting_user, organisation):
        return getattr(settings, "COORDINATOR_INVITATIONS", COORDINATOR_INVITATIONS)
    return getattr(settings, "MEMBER_INVITATIONS", MEMBER_INVITATIONS)


def check_invitation_quota(*, acting_user, organisation) -> None:
    """Count one invitation e-mail sent by ``acting_user``; refused in French past
    their hourly limit (the caller's transaction then saves nothing). The platform's
    own invitations (no ``acting_user``: a management command) are not counted."""
    if acting_user is None:
        return
    limit = invitation_limit(acting_user, organisation)
    if not ratelimit.hit("invitations", acting_user.pk, limit=limit, window=WINDOW):
        raise ValidationError(
            _(
                "Vous avez envoyé %(limit)d invitations en moins d'une heure, le maximum "
                "pour un compte : réessayez dans %(wait)s."
            )
            % {"limit": limit, "wait": ratelimit.wait_text(WINDOW)}
        )
