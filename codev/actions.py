"""The actions codev audits: groups, their members and séances, CODEV cases.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of codev: key ``codev.<object>.<verb>``, French label."""

    GROUP_CREATED = "codev.group.created", _("groupe créé")
    GROUP_UPDATED = "codev.group.updated", _("groupe modifié")
    GROUP_DELETED = "codev.group.deleted", _("groupe supprimé")
    MEMBERS_CHANGED = "codev.group.members_changed", _("membres d'un groupe modifiés")
    MEMBER_MOVED = "codev.group.member_moved", _("membre déplacé vers un autre groupe")
    SESSION_ATTACHED = "codev.session.attached", _("séance rattachée à un groupe")
    SERIES_CREATED = "codev.series.created", _("séance créée pour chaque groupe")
    ROLES_SET = "codev.session.roles_set", _("rôles d'une séance de CODEV")
    CASE_SAVED = "codev.case.saved", _("cas de CODEV enregistré")
    COMMITMENTS_SAVED = "codev.case.commitments_saved", _("engagements enregistrés")
    COMMITMENT_UPDATED = "codev.commitment.updated", _("engagement modifié")
    COMMITMENT_DELETED = "codev.commitment.deleted", _("engagement supprimé")


@receiver(action_labels, dispatch_uid="codev.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
