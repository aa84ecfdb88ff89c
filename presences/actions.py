"""The actions presences audits: attendance and attendance sheets.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of presences: key ``presences.<object>.<verb>``, French label."""

    ATTENDANCE_RECORDED = "presences.attendance.recorded", _("présence enregistrée")
    ATTENDANCE_ALL_PRESENT = "presences.attendance.all_present", _("tous présents enregistrés")
    ATTENDANCE_UNDONE = "presences.attendance.undone", _("présence rétablie")
    ATTENDANCE_PARTICIPANT_ADDED = (
        "presences.sheet.participant_added",
        _("participant·e ajouté·e à la feuille d'émargement"),
    )
    ATTENDANCE_VALIDATED = "presences.sheet.validated", _("feuille d'émargement validée")
    ATTENDANCE_REOPENED = "presences.sheet.reopened", _("feuille d'émargement rouverte")
    ATTENDANCE_SIGNED = "presences.signature.signed", _("demi-journée signée")
    DAY_VALIDATED = "presences.day.validated", _("journée d'émargement signée et validée")
    DAY_REOPENED = "presences.day.reopened", _("journée d'émargement rouverte")
    WORKSHOP_ATTENDANCE_RECORDED = (
        "presences.workshop.recorded",
        _("présence en atelier enregistrée"),
    )


@receiver(action_labels, dispatch_uid="presences.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
