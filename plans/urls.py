"""Pages of the action plans: a team's plan, its stages and actions (``plans.views.team``,
``plans.views.stages``), and the coordinator's overview, common plans, templates and
exports (``plans.views.overview``, ``plans.views.common``)."""

from django.urls import path

from plans.views import common, overview, stages, team

app_name = "plans"

PLAN = "programmes/<int:programme_id>/plans/<int:plan_id>/"

urlpatterns = [
    # A team's way in: its plan, created the first time it is opened.
    path(
        "programmes/<int:programme_id>/equipes/<int:team_id>/plan/",
        team.team_plan,
        name="team_plan",
    ),
    path(PLAN, team.plan_detail, name="plan_detail"),
    path(f"{PLAN}actions/nouvelle/", team.action_create, name="action_create"),
    path(f"{PLAN}actions/<int:action_id>/", team.action_detail, name="action_detail"),
    path(f"{PLAN}actions/<int:action_id>/modifier/", team.action_edit, name="action_edit"),
    path(f"{PLAN}actions/<int:action_id>/avancement/", team.action_update, name="action_update"),
    path(f"{PLAN}actions/<int:action_id>/rouvrir/", team.action_reopen, name="action_reopen"),
    path(f"{PLAN}actions/<int:action_id>/supprimer/", team.action_delete, name="action_delete"),
    path(f"{PLAN}etapes/<slug:stage>/", stages.stage, name="stage"),
    path(f"{PLAN}etapes/<slug:stage>/soumettre/", stages.stage_submit, name="stage_submit"),
    path(
        f"{PLAN}etapes/<slug:stage>/versions/<int:number>/",
        stages.stage_version,
        name="stage_version",
    ),
    # The coordinator's side.
    path("programmes/<int:programme_id>/plans/", overview.overview, name="overview"),
    path("programmes/<int:programme_id>/plans/export/", overview.export, name="export"),
    path(
        "programmes/<int:programme_id>/plans/modeles/",
        overview.templates_edit,
        name="templates",
    ),
    path(
        "programmes/<int:programme_id>/plans/suivi/",
        overview.follow_up_sessions,
        name="follow_up_sessions",
    ),
    path("programmes/<int:programme_id>/plans/nouveau/", common.plan_create, name="plan_create"),
    path(f"{PLAN}commun/ajouter/", common.entry_add, name="entry_add"),
    path(f"{PLAN}commun/<int:entry_id>/", common.entry_edit, name="entry_edit"),
    path(f"{PLAN}commun/<int:entry_id>/retirer/", common.entry_remove, name="entry_remove"),
]
