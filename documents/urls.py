from django.urls import path

from documents import verification, views
from documents.syntheses import request_views as synthesis_requests
from documents.syntheses import views as synthesis_views

app_name = "documents"

# Mounted under <slug:organisation_slug>/ by sillon/urls.py.
urlpatterns = [
    path("documents/", views.document_list, name="list"),
    path("documents/<int:generated_id>/", views.document_detail, name="detail"),
    path("documents/<int:generated_id>/telecharger/", views.document_download, name="download"),
    path("documents/<int:generated_id>/relancer/", views.document_retry, name="retry"),
    path(
        "documents/seances/<int:session_id>/emargement/",
        views.attendance_sheet_request,
        name="attendance_sheet_request",
    ),
    path(
        "documents/codev/<int:group_session_id>/compte-rendu/",
        views.codev_record_request,
        name="codev_record_request",
    ),
    path(
        "documents/plans/<int:plan_id>/pdf/",
        views.action_plan_request,
        name="action_plan_request",
    ),
    path(
        "documents/programmes/<int:programme_id>/attestations/",
        views.attestations_request,
        name="attestations_request",
    ),
    path(
        "documents/programmes/<int:programme_id>/attestations/<int:user_id>/",
        views.attestation_request,
        name="attestation_request",
    ),
    path("documents/attestations/", views.attestation_register, name="attestation_register"),
    # The live synthesis of a programme and the export of its tables.
    path(
        "programmes/<int:programme_id>/synthese/",
        synthesis_views.dashboard,
        name="synthesis",
    ),
    path(
        "programmes/<int:programme_id>/synthese/export/",
        synthesis_views.export,
        name="synthesis_export",
    ),
    # The PDF syntheses: the programme's, a team's journey report, the cohort's, the bilan.
    path(
        "programmes/<int:programme_id>/synthese/pdf/",
        synthesis_requests.synthesis_request,
        name="synthesis_request",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/rapport/",
        synthesis_requests.team_report_request,
        name="team_report_request",
    ),
    path(
        "documents/attestations/<int:attestation_id>/revoquer/",
        views.attestation_revoke,
        name="attestation_revoke",
    ),
    # Public: anyone holding an attestation checks it.
    path("verifier/", verification.verify, name="verify"),
    path("verifier/<str:token>/", verification.verify_token, name="verify_token"),
]
