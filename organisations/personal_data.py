"""What organisations hold about a person, for "download my data" and account deletion."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from .audit import action_label, known_labels
from .models import AuditEntry, Invitation, Membership, Role


def export_for_user(user) -> dict:
    # The filters are on the person themself: reading across organisations is the point.
    with scopes_disabled():
        memberships = Membership.objects.filter(user=user).select_related("organisation")
        # Received and sent in one query, told apart here.
        invitations = list(
            Invitation.objects.filter(
                Q(email__iexact=user.email) | Q(invited_by=user)
            ).select_related("organisation")
        )
        received = [i for i in invitations if i.email.lower() == user.email.lower()]
        sent = [i for i in invitations if i.invited_by_id == user.pk]
        actions = AuditEntry.objects.filter(actor=user).select_related("organisation")
        labels = known_labels()
        return {
            "adhésions": [
                {
                    "organisation": m.organisation.name,
                    "rôle": m.get_role_display(),
                    "depuis": m.created_at.isoformat(),
                }
                for m in memberships
            ],
            "invitations_reçues": [
                {
                    "organisation": i.organisation.name,
                    "rôle": i.get_role_display(),
                    "envoyée_le": i.created_at.isoformat(),
                    "statut": i.get_status_display(),
                }
                for i in received
            ],
            "invitations_envoyées": [
                {
                    "organisation": i.organisation.name,
                    "email": i.email,
                    "rôle": i.get_role_display(),
                    "envoyée_le": i.created_at.isoformat(),
                    "statut": i.get_status_display(),
                }
                for i in sent
            ],
            "actions": [
                {
                    "organisation": a.organisation.name,
                    "action": action_label(a.action, labels),
                    "objet": a.target,
                    "date": a.created_at.isoformat(),
                }
                for a in actions
            ],
        }


def last_coordinator_blocker(user) -> list[str]:
    with scopes_disabled():
        reasons = []
        for membership in Membership.objects.filter(
            user=user, role=Role.COORDINATOR
        ).select_related("organisation"):
            others = (
                Membership.objects.filter(
                    organisation=membership.organisation, role=Role.COORDINATOR
                )
                .exclude(user=user)
                .exists()
            )
            if not others:
                reasons.append(
                    _(
                        "Vous êtes le dernier coordinateur ou la dernière coordinatrice de "
                        "%(organisation)s : nommez quelqu'un d'autre avant de supprimer "
                        "votre compte."
                    )
                    % {"organisation": membership.organisation.name}
                )
        return reasons
