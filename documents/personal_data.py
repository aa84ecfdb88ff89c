"""What the documents app holds about a person, for "download my data": the documents
about them (their attestations) and the ones they asked for, and the attestations
registered in their name."""

from django.db.models import Q
from django_scopes import scopes_disabled

from documents.models import Attestation, Document


def export_for_user(user) -> dict:
    # The filters are on the person themself: reading across organisations is the point.
    with scopes_disabled():
        documents = (
            Document.objects.filter(Q(person=user) | Q(requested_by=user))
            .select_related("organisation")
            .order_by("created_at", "pk")
        )
        attestations = (
            Attestation.objects.filter(person=user)
            .select_related("organisation")
            .order_by("issued_at", "pk")
        )
        return {
            "attestations": [
                {
                    "organisation": attestation.organisation.name,
                    "numéro": attestation.number,
                    "programme": attestation.programme_name,
                    "du": attestation.period_start.isoformat(),
                    "au": attestation.period_end.isoformat(),
                    "minutes": attestation.total_minutes,
                    "délivrée_le": attestation.issued_at.isoformat(),
                    "révoquée_le": (
                        attestation.revoked_at.isoformat() if attestation.revoked_at else None
                    ),
                }
                for attestation in attestations
            ],
            "documents": [
                {
                    "organisation": document.organisation.name,
                    "titre": document.title,
                    "type": document.get_kind_display(),
                    "à_mon_sujet": document.person_id == user.pk,
                    "demandé_par_moi": document.requested_by_id == user.pk,
                    "statut": document.get_status_display(),
                    "le": document.created_at.isoformat(),
                }
                for document in documents
            ],
        }
