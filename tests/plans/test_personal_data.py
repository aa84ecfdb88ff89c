"""A person's part of the plans in « Télécharger mes données » (actions they own,
updates they wrote, stage versions and comments), and what account deletion does to it:
nothing blocks it, the plan stays with its team without the person's name."""

import json

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

import plans.personal_data  # noqa: F401  (connects the receiver, as plans.extensions does)
from accounts.extensions import deletion_blockers
from accounts.services import delete_account
from parcours.models import TeamMember
from plans.models import Action, ActionPlan, ActionUpdate, StageComment, StageVersion
from plans.services import actions as action_services
from plans.services import stages as stage_services
from tests.factories import MembershipFactory, build_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with scopes_disabled():
        built = build_programme(teams=2)
        built.trainer = MembershipFactory(organisation=built.organisation, trainer=True).user
        team = built.teams[0]
        built.person = TeamMember.objects.filter(team=team).order_by("pk")[0].user
        built.colleague = TeamMember.objects.filter(team=team).order_by("pk")[1].user
    with scope(organisation=built.organisation.pk):
        plan = stage_services.team_plan(team=team)
        built.plan = plan
        built.action = action_services.create_action(
            plan=plan, acting_user=built.colleague, title="Réunir le COPIL", owner=built.person
        )
        action_services.post_update(
            action=built.action,
            acting_user=built.person,
            progress=40,
            status="in_progress",
            note="Invitations envoyées aux vice-présidents.",
        )
        stage_services.save_draft(
            plan=plan,
            stage="intention",
            body="## Contexte\n\nUn PAT rural.",
            acting_user=built.person,
            revision=None,
        )
        version = stage_services.submit_stage(
            plan=plan, stage="intention", acting_user=built.person
        )
        stage_services.comment_version(
            version=version, acting_user=built.person, text="Nous précisons les acteurs."
        )
        # Someone else's action, which is not the person's data.
        action_services.create_action(plan=plan, acting_user=built.colleague, title="Autre")
    return built


def test_my_plans_data_are_in_the_download(client, world):
    client.force_login(world.person)
    data = json.loads(client.get(reverse("accounts:export_data")).content)["plans"]
    (owned,) = data["actions_pilotées"]
    assert owned["action"] == "Réunir le COPIL" and owned["avancement"] == 40
    assert owned["plan"] == world.teams[0].name
    (update,) = data["mises_à_jour_d_actions"]
    assert update["note"] == "Invitations envoyées aux vice-présidents."
    assert {(v["étape"], v["version"]) for v in data["étapes_rédigées"]} == {
        ("Fiche d'intention", "brouillon"),
        ("Fiche d'intention", 1),
    }
    assert data["étapes_rédigées"][0]["contenu"].startswith("## Contexte")
    assert data["commentaires_d_étapes"][0]["commentaire"] == "Nous précisons les acteurs."


def test_a_colleague_download_holds_only_their_own_part(client, world):
    client.force_login(world.colleague)
    data = json.loads(client.get(reverse("accounts:export_data")).content)["plans"]
    assert data["actions_pilotées"] == []
    assert {u["action"] for u in data["mises_à_jour_d_actions"]} == {"Réunir le COPIL", "Autre"}
    assert data["étapes_rédigées"] == []


def test_deleting_my_account_leaves_the_plan_with_the_team_without_my_name(world):
    assert deletion_blockers.collect(user=world.person) == []
    delete_account(user=world.person, acting_user=world.person)
    with scopes_disabled():
        assert ActionPlan.objects.filter(pk=world.plan.pk).exists()
        action = Action.objects.get(pk=world.action.pk)
        assert action.owner is None and action.owner_name == ""
        assert ActionUpdate.objects.filter(action=action).count() == 2
        assert ActionUpdate.objects.filter(author__isnull=True).count() == 1
        assert StageVersion.objects.filter(plan=world.plan, written_by__isnull=True).count() == 2
        assert StageComment.objects.get().author is None
