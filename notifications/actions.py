"""The actions notifications audits: the reminder settings.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of notifications: key ``notifications.<object>.<verb>``, French label."""

    REMINDER_SETTINGS_CHANGED = (
        "notifications.reminder_settings.changed",
        _("réglage des rappels modifié"),
    )


@receiver(action_labels, dispatch_uid="notifications.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
