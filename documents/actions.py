"""The actions documents audits: generated documents and the attestations' registry.

Each key is stored in the journal (``AuditEntry.action``); its label is looked up when
the journal is shown (``organisations.audit``), so rewording a label rewrites no row."""

from django.db.models import TextChoices
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from organisations.audit import action_labels


class Action(TextChoices):
    """The audited actions of documents: key ``documents.<object>.<verb>``, French label."""

    DOCUMENT_REQUESTED = "documents.document.requested", _("document demandé")
    DOCUMENT_RETRIED = "documents.document.retried", _("document relancé")
    ATTESTATION_ISSUED = "documents.attestation.issued", _("attestation délivrée")
    ATTESTATION_REVOKED = "documents.attestation.revoked", _("attestation révoquée")


@receiver(action_labels, dispatch_uid="documents.action_labels")
def labels(sender, **kwargs) -> dict[str, str]:
    return dict(Action.choices)
