"""The actions organisations audits: organisations, memberships and invitations.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of organisations: key ``organisations.<object>.<verb>``, French label."""

    ORGANISATION_CREATED = "organisations.organisation.created", _("organisation créée")
    ORGANISATION_UPDATED = (
        "organisations.organisation.updated",
        _("paramètres de l'organisation modifiés"),
    )
    MEMBER_INVITED = "organisations.member.invited", _("membre invité")
    INVITATION_RESENT = "organisations.invitation.resent", _("invitation renvoyée")
    INVITATION_REVOKED = "organisations.invitation.revoked", _("invitation annulée")
    INVITATION_ACCEPTED = "organisations.invitation.accepted", _("invitation acceptée")
    MEMBER_ROLE_CHANGED = "organisations.member.role_changed", _("rôle modifié")
    MEMBER_REMOVED = "organisations.member.removed", _("membre retiré")


@receiver(action_labels, dispatch_uid="organisations.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
