"""A co-applicant with no account joins from the invitation's link (their account is
created, its address verified by the link), and asking for a login code with an address
still invited re-sends the invitation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.services import create_verified_account
from candidatures.models import Application, ApplicationMember
from candidatures.services.applications import RESEND_INTERVAL, _invite, join_application


@transaction.atomic
def join_application_as_newcomer(
    *, member: ApplicationMember, first_name: str, last_name: str
) -> ApplicationMember:
    """Create the invited person's account (with the names they confirmed) and join."""
    member = (
        ApplicationMember.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=member.pk)
    )
    if member.user_id is not None:
        raise ValidationError(_("Cette invitation a déjà été acceptée."))
    if member.application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("Cette candidature a été retirée."))
    user = create_verified_account(email=member.email, first_name=first_name, last_name=last_name)
    return join_application(member=member, acting_user=user)


@transaction.atomic
def resend_application_invitations_waiting_for(*, email: str) -> bool:
    """Someone with no account asked for a login code with ``email``: re-send the
    invitations to complete a draft application still waiting for that address (in every
    organisation; one sent less than ten minutes ago is not sent again). True if any."""
    now = timezone.now()
    with scopes_disabled():
        members = list(
            ApplicationMember.objects.select_for_update(of=("self",))
            .filter(
                email__iexact=(email or "").strip(),
                user__isnull=True,
                is_lead=False,
                invited_at__isnull=False,
                application__status=Application.Status.DRAFT,
            )
            .select_related("organisation")
        )
        for member in members:
            if member.invited_at > now - RESEND_INTERVAL:
                continue
            _invite(member, None, again=True)
    return bool(members)
