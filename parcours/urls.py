from django.urls import path

from .views import (
    agenda,
    applications,
    attendance,
    attendance_rates,
    calendar,
    calls,
    engagement,
    feeds,
    manage,
    polls,
    receipts,
    selection,
    teams,
)

app_name = "parcours"

# Mounted under <slug:organisation_slug>/ by sillon/urls.py.
urlpatterns = [
    # Reading the parcours (every member and team member, by visibility).
    path("programmes/", calendar.programme_list, name="programme_list"),
    path("programmes/<int:programme_id>/", calendar.programme_timeline, name="timeline"),
    path("programmes/<int:programme_id>/mois/", calendar.programme_month, name="month"),
    path("programmes/<int:programme_id>/seances/", calendar.session_list, name="session_list"),
    path("seances/<int:session_id>/", calendar.session_detail, name="session_detail"),
    path(
        "seances/<int:session_id>/inscription/", calendar.session_register, name="session_register"
    ),
    path(
        "seances/<int:session_id>/ateliers/<int:workshop_id>/choisir/",
        calendar.workshop_choose,
        name="workshop_choose",
    ),
    path(
        "seances/<int:session_id>/documents/<int:document_id>/",
        calendar.document_download,
        name="document_download",
    ),
    path("seances/<int:session_id>/ics/", feeds.session_ics, name="session_ics"),
    # A team's page (staff and the team's own members); the coordinator replaces members.
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/",
        teams.team_detail,
        name="team_detail",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/remplacer/",
        teams.team_member_replace,
        name="team_member_replace",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/retirer/",
        teams.team_member_remove,
        name="team_member_remove",
    ),
    # The engagement: a team member signs it; the coordinator writes it and follows it.
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/engagement/",
        engagement.engagement_sign,
        name="engagement_sign",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/engagement/signe.pdf",
        receipts.engagement_pdf,
        name="engagement_pdf",
    ),
    path(
        "programmes/<int:programme_id>/engagement/",
        engagement.engagement_dashboard,
        name="engagement_dashboard",
    ),
    path(
        "programmes/<int:programme_id>/engagement/texte/",
        engagement.engagement_edit,
        name="engagement_edit",
    ),
    path(
        "programmes/<int:programme_id>/engagement/relancer/",
        engagement.engagement_remind,
        name="engagement_remind",
    ),
    # Coordinator tools.
    path("programmes/nouveau/", manage.programme_create, name="programme_create"),
    path("programmes/<int:programme_id>/modifier/", manage.programme_edit, name="programme_edit"),
    path(
        "programmes/<int:programme_id>/publier/", manage.programme_publish, name="programme_publish"
    ),
    path(
        "programmes/<int:programme_id>/archiver/",
        manage.programme_archive,
        name="programme_archive",
    ),
    path("programmes/<int:programme_id>/copier/", manage.programme_copy, name="programme_copy"),
    path("programmes/<int:programme_id>/phases/", manage.phase_list, name="phase_list"),
    path(
        "programmes/<int:programme_id>/phases/<int:phase_id>/modifier/",
        manage.phase_edit,
        name="phase_edit",
    ),
    path(
        "programmes/<int:programme_id>/phases/<int:phase_id>/supprimer/",
        manage.phase_delete,
        name="phase_delete",
    ),
    path("programmes/<int:programme_id>/types/", manage.kind_list, name="kind_list"),
    path(
        "programmes/<int:programme_id>/types/<int:kind_id>/modifier/",
        manage.kind_edit,
        name="kind_edit",
    ),
    path("programmes/<int:programme_id>/equipes/", manage.team_list, name="team_list"),
    path(
        "programmes/<int:programme_id>/seances/nouvelle/",
        manage.session_create,
        name="session_create",
    ),
    path(
        "programmes/<int:programme_id>/seances/individuelles/",
        manage.individual_sessions,
        name="individual_sessions",
    ),
    path("seances/<int:session_id>/modifier/", manage.session_edit, name="session_edit"),
    path("seances/<int:session_id>/dupliquer/", manage.session_duplicate, name="session_duplicate"),
    path("seances/<int:session_id>/annuler/", manage.session_cancel, name="session_cancel"),
    path("seances/<int:session_id>/programme/", agenda.agenda_edit, name="agenda_edit"),
    path(
        "seances/<int:session_id>/programme/<int:item_id>/modifier/",
        agenda.agenda_item_edit,
        name="agenda_item_edit",
    ),
    path(
        "seances/<int:session_id>/programme/<int:item_id>/supprimer/",
        agenda.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "seances/<int:session_id>/programme/<int:item_id>/ateliers/",
        agenda.workshop_add,
        name="workshop_add",
    ),
    path(
        "seances/<int:session_id>/ateliers/<int:workshop_id>/modifier/",
        agenda.workshop_edit,
        name="workshop_edit",
    ),
    path(
        "seances/<int:session_id>/ateliers/<int:workshop_id>/supprimer/",
        agenda.workshop_delete,
        name="workshop_delete",
    ),
    path("seances/<int:session_id>/documents/ajouter/", agenda.document_add, name="document_add"),
    path(
        "seances/<int:session_id>/documents/<int:document_id>/supprimer/",
        agenda.document_delete,
        name="document_delete",
    ),
]

# --- The call for applications (AMI) -------------------------------------------------
_call = "programmes/<int:programme_id>/appels/<int:call_id>/"
_application = "appels/<slug:call_slug>/candidatures/<int:application_id>/"
urlpatterns += [
    # Public pages: anyone reads a published call.
    path("appels/", calls.call_public_list, name="call_public_list"),
    path("appels/<slug:call_slug>/", calls.call_public, name="call_public"),
    path(
        "appels/<slug:call_slug>/pieces/<int:attachment_id>/",
        calls.call_attachment,
        name="call_attachment",
    ),
    # The coordinator writes and publishes the call, its attachments and scoring grid.
    path("programmes/<int:programme_id>/appels/", calls.call_list, name="call_list"),
    path("programmes/<int:programme_id>/appels/nouveau/", calls.call_create, name="call_create"),
    path(_call, calls.call_manage, name="call_manage"),
    path(_call + "modifier/", calls.call_edit, name="call_edit"),
    path(_call + "publier/", calls.call_publish, name="call_publish"),
    path(_call + "pieces/", calls.call_attachments, name="call_attachments"),
    path(
        _call + "pieces/<int:attachment_id>/supprimer/",
        calls.call_attachment_delete,
        name="call_attachment_delete",
    ),
    path(_call + "grille/", calls.scoring_grid, name="scoring_grid"),
    path(
        _call + "grille/<int:criterion_id>/modifier/", calls.criterion_edit, name="criterion_edit"
    ),
    path(
        _call + "grille/<int:criterion_id>/supprimer/",
        calls.criterion_delete,
        name="criterion_delete",
    ),
    # The applicants: any signed-in person applies; each page checks the application
    # is theirs (404 otherwise).
    path(
        "appels/<slug:call_slug>/candidater/",
        applications.application_start,
        name="application_start",
    ),
    path(
        "appels/<slug:call_slug>/rejoindre/<str:token>/",
        applications.application_join,
        name="application_join",
    ),
    path(_application, applications.application_detail, name="application_detail"),
    path(_application + "modifier/", applications.application_edit, name="application_edit"),
    path(_application + "equipe/", applications.application_members, name="application_members"),
    path(
        _application + "equipe/<int:member_id>/modifier/",
        applications.member_edit,
        name="application_member_edit",
    ),
    path(
        _application + "equipe/<int:member_id>/retirer/",
        applications.member_remove,
        name="application_member_remove",
    ),
    path(
        _application + "equipe/<int:member_id>/inviter/",
        applications.member_invite,
        name="application_member_invite",
    ),
    path(_application + "ma-partie/", applications.member_part, name="application_member_part"),
    path(_application + "deposer/", applications.application_submit, name="application_submit"),
    path(_application + "retirer/", applications.application_withdraw, name="application_withdraw"),
    path(
        _application + "recepisse.pdf",
        receipts.application_receipt,
        name="application_receipt",
    ),
    # Selection: reviewers score, coordinators decide and announce.
    path(_call + "candidatures/", selection.application_list, name="application_list"),
    path(
        _call + "candidatures/export/",
        selection.applications_export,
        name="applications_export",
    ),
    path(
        _call + "candidatures/<int:application_id>/",
        selection.application_review,
        name="application_review",
    ),
    path(
        _call + "candidatures/<int:application_id>/decision/",
        selection.application_decide,
        name="application_decide",
    ),
    path(
        _call + "candidatures/<int:application_id>/rouvrir/",
        selection.application_reopen,
        name="application_reopen",
    ),
    path(_call + "annoncer/", selection.announce_decisions, name="announce_decisions"),
    # Inviting people to join a team (from a selected application, or directly).
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/inviter/",
        selection.team_invite,
        name="team_invite",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/invitations/"
        "<int:team_invitation_id>/relancer/",
        selection.team_invitation_resend,
        name="team_invitation_resend",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/invitations/"
        "<int:team_invitation_id>/annuler/",
        selection.team_invitation_revoke,
        name="team_invitation_revoke",
    ),
    # Date polls: slots proposed for a session still to date, answered by its people.
    path("sondages/", polls.my_polls, name="my_polls"),
    path("programmes/<int:programme_id>/sondages/", polls.poll_list, name="poll_list"),
    path(
        "programmes/<int:programme_id>/sondages/lancer/",
        polls.poll_launch_batch,
        name="poll_launch_batch",
    ),
    path("seances/<int:session_id>/sondage/", polls.poll_create, name="poll_create"),
    path("sondages/<int:poll_id>/", polls.poll_detail, name="poll_detail"),
    path("sondages/<int:poll_id>/repondre/", polls.poll_vote, name="poll_vote"),
    path(
        "sondages/<int:poll_id>/creneaux/<int:slot_id>/reponse/",
        polls.slot_vote,
        name="slot_vote",
    ),
    path("sondages/<int:poll_id>/creneaux/", polls.poll_add_slots, name="poll_add_slots"),
    path(
        "sondages/<int:poll_id>/creneaux/<int:slot_id>/retenir/",
        polls.poll_choose,
        name="poll_choose",
    ),
    path("sondages/<int:poll_id>/abandonner/", polls.poll_cancel, name="poll_cancel"),
    # Attendance: the trainer's sheet per half-day, validated then locked.
    path("seances/<int:session_id>/presences/", attendance.attendance_sheet, name="attendance"),
    path(
        "seances/<int:session_id>/presences/enregistrer/",
        attendance.attendance_record,
        name="attendance_record",
    ),
    path(
        "seances/<int:session_id>/presences/tous-presents/",
        attendance.attendance_all_present,
        name="attendance_all_present",
    ),
    path(
        "seances/<int:session_id>/presences/annuler/<int:change_id>/",
        attendance.attendance_undo,
        name="attendance_undo",
    ),
    path(
        "seances/<int:session_id>/presences/ajouter/",
        attendance.attendance_add_participant,
        name="attendance_add_participant",
    ),
    path(
        "seances/<int:session_id>/presences/valider/",
        attendance.attendance_validate,
        name="attendance_validate",
    ),
    path(
        "seances/<int:session_id>/presences/rouvrir/",
        attendance.attendance_reopen,
        name="attendance_reopen",
    ),
    path(
        "seances/<int:session_id>/presences/historique/",
        attendance.attendance_history,
        name="attendance_history",
    ),
    # Attendance rates of a programme, and their export.
    path(
        "programmes/<int:programme_id>/presences/",
        attendance_rates.attendance_dashboard,
        name="attendance_dashboard",
    ),
    path(
        "programmes/<int:programme_id>/presences/export/",
        attendance_rates.attendance_export,
        name="attendance_export",
    ),
]
