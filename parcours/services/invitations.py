"""Team invitations: an e-mail inviting someone to join a team with a role (sent by the
coordinator from the team's page, or for each person of a selected application);
accepting it makes the team membership."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.services import create_verified_account
from organisations.quotas import check_invitation_quota
from organisations.services import record
from parcours import notices
from parcours.actions import Action
from parcours.models import Team, TeamInvitation, TeamMember, TeamRole
from parcours.services.teams import add_team_member, check_role_capacity

RESEND_INTERVAL = timedelta(minutes=10)


def _invitation_sent(invitation: TeamInvitation, acting_user) -> None:
    record(
        organisation=invitation.organisation,
        actor=acting_user,
        action=Action.TEAM_INVITATION_SENT,
        target=invitation.team.name,
        email=invitation.email,
        role=invitation.role.name if invitation.role else "",
    )
    notices.send_team_invitation(invitation, acting_user)


@transaction.atomic
def invite_people_to_team(*, team: Team, people, acting_user) -> list[TeamInvitation]:
    """Invite each person of ``people`` (objects with ``email``, ``first_name``,
    ``last_name`` and ``role``) to join a new ``team``: the people of a selected
    application, already checked when it was submitted."""
    invitations = [
        TeamInvitation.objects.create(
            organisation=team.organisation,
            team=team,
            role=person.role,
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            invited_by=acting_user,
        )
        for person in people
    ]
    for invitation in invitations:
        _invitation_sent(invitation, acting_user)
    return invitations


@transaction.atomic
def invite_to_team(
    *,
    team: Team,
    acting_user,
    email: str,
    first_name: str = "",
    last_name: str = "",
    role: TeamRole | None = None,
) -> TeamInvitation:
    """Invite ``email`` to join ``team`` with ``role``; accepting creates the membership."""
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Saisissez l'adresse e-mail de la personne.")})
    if role is not None and role.programme_id != team.cohort.programme_id:
        raise ValidationError({"role": _("Choisissez un rôle de ce programme.")})
    if TeamMember.objects.current().filter(team=team, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Cette personne fait déjà partie de l'équipe.")})
    if TeamInvitation.objects.pending().filter(team=team, email__iexact=email).exists():
        raise ValidationError(
            {"email": _("Une invitation attend déjà cette adresse : renvoyez-la plutôt.")}
        )
    check_role_capacity(team, role)
    check_invitation_quota(acting_user=acting_user, organisation=team.organisation)
    invitation = TeamInvitation.objects.create(
        organisation=team.organisation,
        team=team,
        role=role,
        email=email,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        invited_by=acting_user,
    )
    _invitation_sent(invitation, acting_user)
    return invitation


def _lock_invitation(invitation: TeamInvitation) -> TeamInvitation:
    return (
        TeamInvitation.objects.select_for_update(of=("self",))
        .select_related("team__cohort", "role", "organisation")
        .get(pk=invitation.pk)
    )


def _check_pending(invitation: TeamInvitation) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError(_("Cette invitation a déjà été acceptée."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("Cette invitation a été annulée."))


@transaction.atomic
def resend_team_invitation(*, invitation: TeamInvitation, acting_user) -> TeamInvitation:
    """Send the invitation again (at most once every ten minutes)."""
    invitation = _lock_invitation(invitation)
    _check_pending(invitation)
    now = timezone.now()
    if invitation.invited_at > now - RESEND_INTERVAL:
        raise ValidationError(
            _(
                "L'invitation à %(email)s vient d'être envoyée : attendez dix minutes avant "
                "de la renvoyer."
            )
            % {"email": invitation.email}
        )
    check_invitation_quota(acting_user=acting_user, organisation=invitation.organisation)
    invitation.invited_at = now
    invitation.save(update_fields=["invited_at"])
    _invitation_sent(invitation, acting_user)
    return invitation


@transaction.atomic
def revoke_team_invitation(*, invitation: TeamInvitation, acting_user) -> TeamInvitation:
    invitation = _lock_invitation(invitation)
    _check_pending(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        organisation=invitation.organisation,
        actor=acting_user,
        action=Action.TEAM_INVITATION_REVOKED,
        target=invitation.team.name,
        email=invitation.email,
    )
    return invitation


def find_team_invitation_by_token(token: str) -> TeamInvitation | None:
    """Invitations are reached from an e-mail by their secret token, before the person
    belongs to the organisation: the token, not a scope, grants access."""
    with scopes_disabled():
        return (
            TeamInvitation.objects.select_related("organisation", "team__cohort__programme", "role")
            .filter(token=token)
            .first()
        )


@transaction.atomic
def accept_team_invitation(*, invitation: TeamInvitation, acting_user) -> TeamMember:
    """``acting_user`` (signed in with the invited address) joins the team with the
    invitation's role, if the role still has room."""
    invitation = _lock_invitation(invitation)
    _check_pending(invitation)
    if (acting_user.email or "").lower() != invitation.email.lower():
        raise ValidationError(
            _(
                "Cette invitation a été envoyée à %(email)s : connectez-vous avec cette "
                "adresse pour l'accepter."
            )
            % {"email": invitation.email}
        )
    team = invitation.team
    member = add_team_member(
        team=team, acting_user=acting_user, user=acting_user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.member = member
    invitation.save(update_fields=["accepted_at", "member"])
    # An account created from the invitation's e-mail has no name yet: the one the
    # application gave is the person's (they type it to sign the engagement).
    if not (acting_user.first_name or acting_user.last_name) and (
        invitation.first_name or invitation.last_name
    ):
        acting_user.first_name = invitation.first_name
        acting_user.last_name = invitation.last_name
        acting_user.save(update_fields=["first_name", "last_name"])
    record(
        organisation=invitation.organisation,
        actor=acting_user,
        action=Action.TEAM_INVITATION_ACCEPTED,
        target=team.name,
        email=invitation.email,
        role=invitation.role.name if invitation.role else "",
    )
    return member


@transaction.atomic
def accept_team_invitation_as_newcomer(
    *, invitation: TeamInvitation, first_name: str, last_name: str
) -> TeamMember:
    """Someone with no account opened the invitation's link: their account is created
    (the address verified by the link, the names they confirmed) and joins the team."""
    invitation = _lock_invitation(invitation)
    _check_pending(invitation)
    user = create_verified_account(
        email=invitation.email, first_name=first_name, last_name=last_name
    )
    return accept_team_invitation(invitation=invitation, acting_user=user)


@transaction.atomic
def resend_team_invitations_waiting_for(*, email: str) -> bool:
    """Someone with no account asked for a login code with ``email``: re-send the pending
    team invitations to that address, in every organisation. One sent less than ten
    minutes ago is not sent again (the person has it); no error either way. True if the
    address has a pending team invitation."""
    now = timezone.now()
    with scopes_disabled():
        invitations = list(
            TeamInvitation.objects.pending()
            .select_for_update(of=("self",))
            .select_related("team__cohort", "role", "organisation")
            .filter(email__iexact=(email or "").strip())
        )
        for invitation in invitations:
            if invitation.invited_at > now - RESEND_INTERVAL:
                continue
            invitation.invited_at = now
            invitation.save(update_fields=["invited_at"])
            _invitation_sent(invitation, None)
    return bool(invitations)
