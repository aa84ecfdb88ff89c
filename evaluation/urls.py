from django.urls import path

from evaluation.views import (
    answering,
    campaigns,
    external,
    intake,
    interview,
    library,
    progression,
    results,
)

app_name = "evaluation"

Q = "questionnaires/<int:questionnaire_id>/"
C = "evaluations/<int:campaign_id>/"
P = "programmes/<int:programme_id>/"

# Mounted under <slug:organisation_slug>/ by sillon/urls.py.
urlpatterns = [
    # The questionnaire library and builder (coordinators).
    path("questionnaires/", library.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/nouveau/", library.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/modeles/", library.template_list, name="template_list"),
    path(Q, library.questionnaire_detail, name="questionnaire_detail"),
    path(Q + "modifier/", library.questionnaire_edit, name="questionnaire_edit"),
    path(Q + "copier/", library.questionnaire_copy, name="questionnaire_copy"),
    path(Q + "archiver/", library.questionnaire_archive, name="questionnaire_archive"),
    path(Q + "brouillon/", library.draft_edit, name="draft_edit"),
    path(Q + "nouvelle-version/", library.version_new, name="version_new"),
    path(Q + "publier/", library.version_publish, name="version_publish"),
    path(Q + "abandonner/", library.version_discard, name="version_discard"),
    path(Q + "versions/<int:version_id>/", library.version_detail, name="version_detail"),
    path(Q + "sections/ajouter/", library.section_add, name="section_add"),
    path(Q + "sections/<int:section_id>/modifier/", library.section_edit, name="section_edit"),
    path(Q + "sections/<int:section_id>/supprimer/", library.section_delete, name="section_delete"),
    path(Q + "questions/ajouter/", library.question_add, name="question_add"),
    path(Q + "questions/<int:question_id>/modifier/", library.question_edit, name="question_edit"),
    path(
        Q + "questions/<int:question_id>/supprimer/",
        library.question_delete,
        name="question_delete",
    ),
    path(Q + "questions/<int:question_id>/deplacer/", library.question_move, name="question_move"),
    path(Q + "questions/<int:question_id>/grille/", library.grid_edit, name="grid_edit"),
    # Campaigns (coordinators).
    path(P + "evaluations/", campaigns.campaign_list, name="campaign_list"),
    path(P + "evaluations/nouvelle/", campaigns.campaign_create, name="campaign_create"),
    path(P + "evaluations/a-chaud/", campaigns.automatic_list, name="automatic_list"),
    path(
        P + "evaluations/a-chaud/<int:automatic_id>/modifier/",
        campaigns.automatic_edit,
        name="automatic_edit",
    ),
    path(
        P + "evaluations/a-chaud/<int:automatic_id>/supprimer/",
        campaigns.automatic_delete,
        name="automatic_delete",
    ),
    path(C, campaigns.campaign_detail, name="campaign_detail"),
    path(C + "modifier/", campaigns.campaign_edit, name="campaign_edit"),
    path(C + "lancer/", campaigns.campaign_launch, name="campaign_launch"),
    path(C + "cloturer/", campaigns.campaign_close, name="campaign_close"),
    path(C + "annuler/", campaigns.campaign_cancel, name="campaign_cancel"),
    # External evaluations (figures and report) and answers recorded at an interview.
    path(P + "evaluations/externe/", external.external_create, name="external_create"),
    path(C + "chiffres/", external.external_figures, name="external_figures"),
    path(C + "rapport/", external.external_report, name="external_report"),
    path(C + "entretien/", interview.interview_start, name="interview_start"),
    path(C + "entretien/<uuid:response_id>/", interview.interview_answer, name="interview_answer"),
    # Answering (team members, people, assessors).
    path("mes-questionnaires/", answering.my_campaigns, name="my_campaigns"),
    path(C + "repondre/", answering.answer, name="answer"),
    path(C + "evaluer/", answering.assess_list, name="assess_list"),
    path(C + "evaluer/<int:subject_id>/", answering.assess_subject, name="assess_subject"),
    # Results.
    path(C + "resultats/", results.campaign_results, name="campaign_results"),
    path(C + "reponses/", results.response_list, name="response_list"),
    path(C + "reponses/<uuid:response_id>/", results.response_detail, name="response_detail"),
    path(C + "non-repondants/", results.non_respondents, name="non_respondents"),
    path(C + "relancer/", results.remind, name="remind"),
    path(C + "export/", results.export, name="export"),
    path(P + "progression/", progression.programme_progression, name="programme_progression"),
    path(P + "progression/<int:team_id>/", progression.team_progression, name="team_progression"),
    path(P + "satisfaction/", results.programme_satisfaction, name="programme_satisfaction"),
    # A call's own questionnaires: chosen by the coordinator, answered by applications.
    path(
        P + "appels/<int:call_id>/questionnaires/",
        intake.call_questionnaires,
        name="call_questionnaires",
    ),
    path(
        "appels/<slug:call_slug>/candidatures/<int:application_id>/questionnaires/"
        "<int:campaign_id>/",
        intake.application_answer,
        name="application_answer",
    ),
]
