"""The actions plans audits: stages written, submitted and reviewed, actions created,
changed and updated, the common plan.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row.
(The enum is ``Audited``: in this app, ``Action`` is the model of a plan's action.)"""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Audited(TextChoices):
    """The audited actions of plans: key ``plans.<object>.<verb>``, French label."""

    PLAN_CREATED = "plans.plan.created", _("plan d'action créé")
    TEMPLATE_SAVED = "plans.template.saved", _("modèle d'étape d'un plan modifié")
    STAGE_SAVED = "plans.stage.saved", _("étape d'un plan enregistrée")
    STAGE_SUBMITTED = "plans.stage.submitted", _("étape d'un plan soumise")
    STAGE_REVIEWED = "plans.stage.reviewed", _("étape d'un plan relue")
    STAGE_COMMENTED = "plans.stage.commented", _("étape d'un plan commentée")
    ACTION_CREATED = "plans.action.created", _("action créée")
    ACTION_CHANGED = "plans.action.changed", _("action modifiée")
    ACTION_UPDATED = "plans.action.updated", _("avancement d'une action mis à jour")
    ACTION_REOPENED = "plans.action.reopened", _("action rouverte")
    ACTION_DELETED = "plans.action.deleted", _("action supprimée")
    COMMON_ADDED = "plans.common.added", _("action ajoutée au plan commun")
    COMMON_CHANGED = "plans.common.changed", _("action du plan commun modifiée")
    COMMON_REMOVED = "plans.common.removed", _("action retirée du plan commun")
    FOLLOW_UP_MARKED = "plans.follow_up.marked", _("séance de suivi des plans désignée")


@receiver(action_labels, dispatch_uid="plans.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Audited.choices)
