from django.urls import path

from presences.views import phone, rates, sheet, signatures, workshops

app_name = "presences"

# Mounted under <slug:organisation_slug>/ by sillon/urls.py.
urlpatterns = [
    # Attendance: the trainer's sheet per half-day, validated then locked.
    path("seances/<int:session_id>/presences/", sheet.attendance_sheet, name="attendance"),
    path(
        "seances/<int:session_id>/presences/enregistrer/",
        sheet.attendance_record,
        name="attendance_record",
    ),
    path(
        "seances/<int:session_id>/presences/tous-presents/",
        sheet.attendance_all_present,
        name="attendance_all_present",
    ),
    path(
        "seances/<int:session_id>/presences/annuler/<int:change_id>/",
        sheet.attendance_undo,
        name="attendance_undo",
    ),
    path(
        "seances/<int:session_id>/presences/ajouter/",
        sheet.attendance_add_participant,
        name="attendance_add_participant",
    ),
    path(
        "seances/<int:session_id>/presences/valider/",
        sheet.attendance_validate,
        name="attendance_validate",
    ),
    path(
        "seances/<int:session_id>/presences/rouvrir/",
        sheet.attendance_reopen,
        name="attendance_reopen",
    ),
    path(
        "seances/<int:session_id>/presences/historique/",
        sheet.attendance_history,
        name="attendance_history",
    ),
    # Attendance per workshop of the agenda's rounds (registrants and walk-ins).
    path(
        "seances/<int:session_id>/presences/ateliers/",
        workshops.workshop_list,
        name="workshop_list",
    ),
    path(
        "seances/<int:session_id>/presences/ateliers/<int:workshop_id>/",
        workshops.workshop_attendance,
        name="workshop_attendance",
    ),
    path(
        "seances/<int:session_id>/presences/ateliers/<int:workshop_id>/enregistrer/",
        workshops.workshop_record,
        name="workshop_record",
    ),
    # Electronic émargement: the tablet page, a person's pad, each day signed and
    # validated by the trainer (reopened by a coordinator), and signing on a phone.
    path(
        "seances/<int:session_id>/emargement/",
        signatures.signature_tablet,
        name="signatures",
    ),
    path(
        "seances/<int:session_id>/emargement/signer/<int:user_id>/",
        signatures.signature_sign,
        name="signature_sign",
    ),
    path(
        "seances/<int:session_id>/emargement/valider-journee/",
        signatures.day_validate,
        name="day_validate",
    ),
    path(
        "seances/<int:session_id>/emargement/rouvrir-journee/",
        signatures.day_reopen,
        name="day_reopen",
    ),
    path("emargement/", phone.phone_code, name="phone"),
    path("emargement/seances/<int:session_id>/", phone.phone_session, name="phone_session"),
    # Attendance rates of a programme, and their export.
    path(
        "programmes/<int:programme_id>/presences/",
        rates.attendance_dashboard,
        name="attendance_dashboard",
    ),
    path(
        "programmes/<int:programme_id>/presences/export/",
        rates.attendance_export,
        name="attendance_export",
    ),
]
