"""The audited actions of ressources: key ``ressources.<object>.<verb>``, French label.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``). The library's and the minutes' actions
share the enum ``Audited``."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Audited(TextChoices):
    # The library
    RESOURCE_ADDED = "ressources.resource.added", _("ressource ajoutée")
    RESOURCE_CHANGED = "ressources.resource.changed", _("ressource modifiée")
    RESOURCE_DELETED = "ressources.resource.deleted", _("ressource supprimée")
    RESOURCES_COPIED = "ressources.resource.copied", _("documents de séances copiés")
    TAG_CREATED = "ressources.tag.created", _("étiquette créée")
    TAG_CHANGED = "ressources.tag.changed", _("étiquette renommée")
    TAG_DELETED = "ressources.tag.deleted", _("étiquette supprimée")
    # The minutes
    MINUTES_STARTED = "ressources.minutes.started", _("compte rendu commencé")
    MINUTES_SAVED = "ressources.minutes.saved", _("compte rendu enregistré")
    MINUTES_SHARED = "ressources.minutes.shared", _("compte rendu partagé pour relecture")
    MINUTES_COMMENTED = "ressources.minutes.commented", _("compte rendu commenté")
    MINUTES_VALIDATED = "ressources.minutes.validated", _("compte rendu validé et envoyé")
    MINUTES_CORRECTED = "ressources.minutes.corrected", _("correction d'un compte rendu commencée")


@receiver(action_labels, dispatch_uid="ressources.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Audited.choices)
