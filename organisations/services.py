"""Every write on organisations, memberships and invitations.

Each service is keyword-only, runs in a transaction, checks the current state, writes an
audit entry naming the action and writes its e-mails in the outbox (sent after commit).
"""

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from accounts import services as accounts_services
from accounts.services import create_verified_account

from .actions import Action
from .models import INVITATION_VALIDITY, AuditEntry, Invitation, Membership, Organisation, Role
from .quotas import check_invitation_quota
from .roles import forget_roles

User = get_user_model()


def record(
    *, organisation: Organisation, actor, action: str, target: str = "", **data: Any
) -> AuditEntry:
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target=target[:255],
        data=data,
    )


@transaction.atomic
def create_organisation(
    *,
    name: str,
    slug: str,
    acting_user=None,
    contact_email: str = "",
    brand_colour: str | None = None,
) -> Organisation:
    organisation = Organisation(name=name, slug=slug, contact_email=contact_email)
    if brand_colour:
        organisation.brand_colour = brand_colour
    organisation.full_clean()
    organisation.save()
    with scope(organisation=organisation.pk):
        record(
            organisation=organisation,
            actor=acting_user,
            action=Action.ORGANISATION_CREATED,
            target=name,
        )
    return organisation


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, acting_user, changed_fields: list[str]
) -> Organisation:
    """Save fields a form already validated and set on ``organisation``."""
    if changed_fields:
        organisation.save(update_fields=changed_fields)
        record(
            organisation=organisation,
            actor=acting_user,
            action=Action.ORGANISATION_UPDATED,
            target=organisation.name,
            fields=sorted(changed_fields),
        )
    return organisation


def _normalise(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def invite_member(*, organisation: Organisation, email: str, role: str, acting_user) -> Invitation:
    """Invite someone by e-mail. A new invitation to the same address replaces the
    previous open one. Someone already a member cannot be invited again."""
    email = _normalise(email)
    if role not in Role.values:
        raise ValidationError({"role": _("Choisissez un rôle valide.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("Cette personne est déjà membre de %(organisation)s.")
                % {"organisation": organisation.name}
            }
        )
    check_invitation_quota(acting_user=acting_user, organisation=organisation)
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=acting_user,
        expires_at=now + INVITATION_VALIDITY,
    )
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.MEMBER_INVITED,
        target=email,
        role=role,
    )
    _queue_invitation_email(invitation)
    return invitation


def _queue_invitation_email(invitation: Invitation) -> None:
    """Write the invitation's e-mail in the outbox; it leaves after commit, or with the
    outbox flush when the broker is down (``organisations.notices``)."""
    from .notices import queue_invitation_email

    queue_invitation_email(invitation)


def _check_open(invitation: Invitation) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(
            _("Cette invitation n'est plus valable (%(status)s).")
            % {"status": invitation.get_status_display().lower()}
        )


@transaction.atomic
def resend_invitation(*, invitation: Invitation, acting_user) -> Invitation:
    """Send the invitation again, valid for a new period (an expired one too)."""
    if invitation.accepted_at or invitation.revoked_at:
        _check_open(invitation)
    check_invitation_quota(acting_user=acting_user, organisation=invitation.organisation)
    invitation.expires_at = timezone.now() + INVITATION_VALIDITY
    invitation.save(update_fields=["expires_at"])
    record(
        organisation=invitation.organisation,
        actor=acting_user,
        action=Action.INVITATION_RESENT,
        target=invitation.email,
    )
    _queue_invitation_email(invitation)
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, acting_user) -> Invitation:
    _check_open(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        organisation=invitation.organisation,
        actor=acting_user,
        action=Action.INVITATION_REVOKED,
        target=invitation.email,
    )
    return invitation


def find_invitation_by_token(token: str) -> Invitation | None:
    """Invitations are reached by their secret token from an e-mail, before the person
    belongs to the organisation: the token, not a scope, is what grants access."""
    with scopes_disabled():
        return Invitation.objects.select_related("organisation").filter(token=token).first()


def account_exists_for(email: str) -> bool:
    return accounts_services.account_exists_for(email)


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, user=None, first_name: str = "", last_name: str = ""
) -> Membership:
    """Accept an invitation.

    ``user`` is the logged-in person, whose address must be the invited one. Without a
    user, the invited address must have no account yet: one is created, its address
    verified by the very fact that the link was opened from the e-mail.
    """
    with scope(organisation=invitation.organisation_id):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _check_open(invitation)
        if user is None:
            user = create_verified_account(
                email=invitation.email, first_name=first_name, last_name=last_name
            )
        elif _normalise(user.email) != _normalise(invitation.email):
            raise ValidationError(
                _(
                    "Cette invitation est adressée à %(invited)s ; vous êtes connecté·e "
                    "avec %(current)s."
                )
                % {"invited": invitation.email, "current": user.email}
            )
        else:
            EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(
                verified=True
            )
        membership, created = Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
        if not created and membership.role != invitation.role:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(
            organisation=invitation.organisation,
            actor=user,
            action=Action.INVITATION_ACCEPTED,
            target=invitation.email,
            role=invitation.role,
        )
    forget_roles(user)
    return membership


# An invitation re-sent because its person asked for a login code goes at most this often.
SELF_RESEND_INTERVAL = timedelta(minutes=10)


@transaction.atomic
def resend_invitations_waiting_for(*, email: str) -> bool:
    """Someone with no account asked for a login code with ``email``: re-send the open
    invitations to that address, in every organisation, valid for a new period. One
    re-sent less than ten minutes ago is not sent again (still counted: the person has
    it). True if the address has an open invitation."""
    email = _normalise(email)
    now = timezone.now()
    with scopes_disabled():
        invitations = list(
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(
                email__iexact=email,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=now,
            )
        )
        for invitation in invitations:
            if invitation.expires_at - INVITATION_VALIDITY > now - SELF_RESEND_INTERVAL:
                continue
            invitation.expires_at = now + INVITATION_VALIDITY
            invitation.save(update_fields=["expires_at"])
            record(
                organisation=invitation.organisation,
                actor=None,
                action=Action.INVITATION_RESENT,
                target=invitation.email,
                reason="login_code",
            )
            _queue_invitation_email(invitation)
    return bool(invitations)


def _coordinator_count(organisation: Organisation) -> int:
    # Lock the coordinators' rows so two coordinators removing each other at the same
    # moment cannot leave the organisation with none.
    return len(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.COORDINATOR)
        .values_list("pk", flat=True)
    )


def _refuse_if_last_coordinator(membership: Membership) -> None:
    if membership.role == Role.COORDINATOR and _coordinator_count(membership.organisation) <= 1:
        raise ValidationError(
            _(
                "%(person)s est le dernier coordinateur ou la dernière coordinatrice de "
                "%(organisation)s : nommez d'abord quelqu'un d'autre à ce rôle."
            )
            % {"person": membership.user, "organisation": membership.organisation}
        )


@transaction.atomic
def change_member_role(*, membership: Membership, role: str, acting_user) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Choisissez un rôle valide."))
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if membership.role == role:
        return membership
    if role != Role.COORDINATOR:
        _refuse_if_last_coordinator(membership)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        organisation=membership.organisation,
        actor=acting_user,
        action=Action.MEMBER_ROLE_CHANGED,
        target=membership.user.email,
        before=previous,
        after=role,
    )
    forget_roles(acting_user)
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, acting_user) -> None:
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    _refuse_if_last_coordinator(membership)
    email = membership.user.email
    role = membership.role
    membership.delete()
    record(
        organisation=membership.organisation,
        actor=acting_user,
        action=Action.MEMBER_REMOVED,
        target=email,
        role=role,
    )
    forget_roles(acting_user)
