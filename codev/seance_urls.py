"""Pages of a CODEV séance: the client's case, the facilitator's six steps, the
commitments and their follow-up (``codev.views.seances``).

URL kwargs used here (samples in tests/security/sweep.py): ``group_session_id`` and
``document_id`` (a ``CaseDocument`` of the séance's case). No other new kwarg."""

from django.urls import path

from codev.views import seances

PREFIX = "groupes/seances/<int:group_session_id>/"

urlpatterns = [
    path(PREFIX, seances.seance, name="seance"),
    path(f"{PREFIX}cas/", seances.case_edit, name="seance_case"),
    path(
        f"{PREFIX}cas/documents/<int:document_id>/",
        seances.case_document,
        name="seance_case_document",
    ),
    path(f"{PREFIX}deroule/", seances.runner, name="seance_runner"),
    path(f"{PREFIX}deroule/etape/", seances.runner_step, name="seance_step"),
    path(f"{PREFIX}deroule/notes/", seances.runner_notes, name="seance_notes"),
    path(f"{PREFIX}deroule/conseils/", seances.runner_advice, name="seance_advice"),
    path(f"{PREFIX}engagements/", seances.commitments, name="seance_commitments"),
    path(f"{PREFIX}suivi/", seances.follow_up, name="seance_follow_up"),
]
