"""The actions candidatures audits: calls for applications, their attachments and
scoring grid, applications, their members, reviews and decisions.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of candidatures: key ``candidatures.<object>.<verb>``, French label."""

    CALL_SAVED = "candidatures.call.saved", _("appel à candidatures enregistré")
    CALL_PUBLISHED = "candidatures.call.published", _("appel à candidatures publié")
    CALL_ATTACHMENT_ADDED = (
        "candidatures.call_attachment.added",
        _("pièce jointe de l'appel ajoutée"),
    )
    CALL_ATTACHMENT_REMOVED = (
        "candidatures.call_attachment.removed",
        _("pièce jointe de l'appel retirée"),
    )
    SCORING_GRID_CHANGED = "candidatures.scoring_grid.changed", _("grille de notation modifiée")
    APPLICATION_STATUS_CHANGED = (
        "candidatures.application.status_changed",
        _("statut de candidature modifié"),
    )
    APPLICATION_MEMBER_INVITED = (
        "candidatures.application_member.invited",
        _("membre invité à compléter une candidature"),
    )
    APPLICATION_CREATED = "candidatures.application.created", _("candidature créée")
    APPLICATION_UPDATED = "candidatures.application.updated", _("candidature modifiée")
    APPLICATION_MEMBER_UPDATED = (
        "candidatures.application_member.updated",
        _("membre d'une candidature modifié"),
    )
    APPLICATION_MEMBER_REMOVED = (
        "candidatures.application_member.removed",
        _("membre retiré d'une candidature"),
    )
    APPLICATION_JOINED = "candidatures.application.joined", _("candidature rejointe")
    APPLICATION_MEMBER_CONFIRMED = (
        "candidatures.application_member.confirmed",
        _("partie d'une candidature confirmée"),
    )
    APPLICATION_REVIEWED = "candidatures.application.reviewed", _("candidature notée")
    APPLICATION_DECIDED = "candidatures.application.decided", _("décision sur une candidature")
    APPLICATION_REOPENED = "candidatures.application.reopened", _("candidature rouverte")
    DECISIONS_ANNOUNCED = "candidatures.decisions.announced", _("décisions annoncées")


@receiver(action_labels, dispatch_uid="candidatures.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
