"""Pages of a CODEV séance: the client's case, the facilitator's six steps, the
follow-up (``codev.views.seances``), the commitments (``codev.views.commitments``).

URL kwargs used here (samples in tests/security/sweep.py): ``group_session_id``,
``case_document_id`` (a ``CaseDocument`` of the séance's case, not a
``documents.Document``) and ``commitment_id`` (a ``Commitment`` of the séance's case)."""

from django.urls import path

from codev.views import commitments, seances

PREFIX = "groupes/seances/<int:group_session_id>/"

urlpatterns = [
    path(PREFIX, seances.seance, name="seance"),
    path(f"{PREFIX}cas/", seances.case_edit, name="seance_case"),
    path(
        f"{PREFIX}cas/documents/<int:case_document_id>/",
        seances.case_document,
        name="seance_case_document",
    ),
    path(f"{PREFIX}deroule/", seances.runner, name="seance_runner"),
    path(f"{PREFIX}deroule/etape/", seances.runner_step, name="seance_step"),
    path(f"{PREFIX}deroule/notes/", seances.runner_notes, name="seance_notes"),
    path(f"{PREFIX}deroule/conseils/", seances.runner_advice, name="seance_advice"),
    path(f"{PREFIX}engagements/", commitments.commitments, name="seance_commitments"),
    path(
        f"{PREFIX}engagements/<int:commitment_id>/modifier/",
        commitments.commitment_edit,
        name="seance_commitment_edit",
    ),
    path(
        f"{PREFIX}engagements/<int:commitment_id>/supprimer/",
        commitments.commitment_delete,
        name="seance_commitment_delete",
    ),
    path(f"{PREFIX}suivi/", seances.follow_up, name="seance_follow_up"),
]
