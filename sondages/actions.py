"""The actions sondages audits: date polls.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of sondages: key ``sondages.<object>.<verb>``, French label."""

    DATE_POLL_CREATED = "sondages.date_poll.created", _("sondage de date lancé")
    DATE_POLLS_LAUNCHED = (
        "sondages.date_polls.launched",
        _("sondages de date lancés pour les équipes"),
    )
    DATE_POLL_SLOTS_ADDED = (
        "sondages.date_poll.slots_added",
        _("créneaux ajoutés à un sondage de date"),
    )
    DATE_POLL_CLOSED = "sondages.date_poll.closed", _("date retenue par sondage")
    DATE_POLL_CANCELLED = "sondages.date_poll.cancelled", _("sondage de date abandonné")


@receiver(action_labels, dispatch_uid="sondages.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
