"""The audited actions of open registration: events opened, people registered,
confirmed, changed and cancelled, messages sent.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``)."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """Key ``inscriptions.<object>.<verb>``, French label."""

    EVENT_SAVED = "inscriptions.event.saved", _("page d'inscription enregistrée")
    REGISTERED = "inscriptions.registrant.registered", _("inscription à un événement demandée")
    CONFIRMED = "inscriptions.registrant.confirmed", _("inscription à un événement confirmée")
    CHANGED = "inscriptions.registrant.changed", _("inscription à un événement modifiée")
    CANCELLED = "inscriptions.registrant.cancelled", _("inscription à un événement annulée")
    PROMOTED = "inscriptions.choice.promoted", _("place d'atelier libérée pour la liste d'attente")
    MESSAGE_SENT = "inscriptions.message.sent", _("message envoyé aux inscrit·es")


@receiver(action_labels, dispatch_uid="inscriptions.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
