from django.urls import path

from parcours.views import (
    agenda,
    calendar,
    catalogue,
    convocations,
    engagement,
    feeds,
    invitations,
    manage,
    manage_deletion,
    receipts,
    reminders,
    roles,
    session_days,
    team_history,
    team_import,
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
    path("programmes/<int:programme_id>/catalogue/", catalogue.catalogue_detail, name="catalogue"),
    path(
        "programmes/<int:programme_id>/catalogue/modifier/",
        catalogue.catalogue_edit,
        name="catalogue_edit",
    ),
    path(
        "programmes/<int:programme_id>/catalogue/publier/",
        catalogue.catalogue_publish,
        name="catalogue_publish",
    ),
    path(
        "programmes/<int:programme_id>/catalogue/versions/<int:version_number>/",
        catalogue.catalogue_version,
        name="catalogue_version",
    ),
    path("catalogue/<slug:catalogue_slug>/", catalogue.catalogue_public, name="catalogue_public"),
    path(
        "catalogue/<slug:catalogue_slug>/fiche.pdf", catalogue.catalogue_pdf, name="catalogue_pdf"
    ),
    path("seances/<int:session_id>/", calendar.session_detail, name="session_detail"),
    path(
        "seances/<int:session_id>/inscription/", calendar.session_register, name="session_register"
    ),
    path(
        "seances/<int:session_id>/ateliers/<int:workshop_id>/choisir/",
        calendar.workshop_choose,
        name="workshop_choose",
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
        manage_deletion.phase_delete,
        name="phase_delete",
    ),
    path("programmes/<int:programme_id>/types/", manage.kind_list, name="kind_list"),
    path(
        "programmes/<int:programme_id>/types/<int:kind_id>/modifier/",
        manage.kind_edit,
        name="kind_edit",
    ),
    path("programmes/<int:programme_id>/equipes/", manage.team_list, name="team_list"),
    # Importing teams and their members from a spreadsheet (preview, then confirmation).
    path(
        "programmes/<int:programme_id>/equipes/importer/",
        team_import.team_import,
        name="team_import",
    ),
    path(
        "programmes/<int:programme_id>/equipes/importer/confirmer/",
        team_import.team_import_confirm,
        name="team_import_confirm",
    ),
    path(
        "programmes/<int:programme_id>/equipes/importer/modele.csv",
        team_import.team_import_template_csv,
        name="team_import_template_csv",
    ),
    path(
        "programmes/<int:programme_id>/equipes/importer/modele.xlsx",
        team_import.team_import_template_xlsx,
        name="team_import_template_xlsx",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/membres/<int:team_member_id>/dates/",
        team_history.team_member_dates,
        name="team_member_dates",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/renommer/",
        roles.team_rename,
        name="team_rename",
    ),
    path("programmes/<int:programme_id>/roles/", roles.role_list, name="role_list"),
    path("programmes/<int:programme_id>/roles/modele/", roles.role_preset, name="role_preset"),
    path(
        "programmes/<int:programme_id>/roles/nom-des-equipes/",
        roles.team_label,
        name="team_label",
    ),
    path(
        "programmes/<int:programme_id>/roles/<int:role_id>/modifier/",
        roles.role_edit,
        name="role_edit",
    ),
    path(
        "programmes/<int:programme_id>/roles/<int:role_id>/deplacer/",
        roles.role_move,
        name="role_move",
    ),
    path(
        "programmes/<int:programme_id>/roles/<int:role_id>/supprimer/",
        roles.role_delete,
        name="role_delete",
    ),
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
    path(
        "seances/<int:session_id>/supprimer/",
        manage_deletion.session_delete,
        name="session_delete",
    ),
    path(
        "seances/<int:session_id>/convocations/",
        convocations.session_convocations,
        name="session_convocations",
    ),
    path("seances/<int:session_id>/programme/", agenda.agenda_edit, name="agenda_edit"),
    path("seances/<int:session_id>/horaires/", session_days.session_days_edit, name="session_days"),
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
    # Inviting people to join a team (from a selected application, or directly).
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/inviter/",
        invitations.team_invite,
        name="team_invite",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/invitations/"
        "<int:team_invitation_id>/relancer/",
        invitations.team_invitation_resend,
        name="team_invitation_resend",
    ),
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/invitations/"
        "<int:team_invitation_id>/annuler/",
        invitations.team_invitation_revoke,
        name="team_invitation_revoke",
    ),
    # Coordinators: reminders to come, and their settings per programme (the reminder
    # engine is notifications').
    path("rappels/", reminders.upcoming, name="upcoming"),
    path(
        "programmes/<int:programme_id>/rappels/",
        reminders.reminder_settings,
        name="reminder_settings",
    ),
]
