"""A programme's common plan, from the coordinator's side: creating it (or a group's
plan), choosing actions of several teams into it with a priority and a lead, changing
and removing an entry; the section the plan's page shows (an update of the team's action
shows there too); who may do it (404 for everyone else); refused input, in French, with
nothing saved."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scopes_disabled

from organisations.models import AuditEntry
from plans.actions import Audited
from plans.models import ActionPlan, CommonPlanEntry
from plans.services import actions as action_services
from plans.services import stages as stage_services
from plans.views.common import common_plan_section
from tests.factories import MembershipFactory, build_programme
from tests.plans.overview_world import add_action, first_member, plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    yield from plan_world()


def url(world, name, *args):
    return reverse(f"plans:{name}", args=[world.organisation.slug, world.programme.pk, *args])


def common_plan(world, title="Plan commun de la promotion"):
    return stage_services.create_plan(
        programme=world.programme, kind="common", title=title, acting_user=world.coordinator
    )


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Creating a plan --------------------------------------------------------------------


def test_the_coordinator_creates_a_common_plan(client, world):
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "plan_create") + "?type=common"))
    assert "Plan d&#x27;action commun" in page or "Plan d'action commun" in page
    response = client.post(
        url(world, "plan_create"), {"kind": "common", "title": "Plan alimentaire commun"}
    )
    plan = ActionPlan.objects.get(kind="common")
    assert plan.title == "Plan alimentaire commun"
    assert response.status_code == 302
    assert response["Location"] == url(world, "plan_detail", plan.pk)
    assert AuditEntry.objects.filter(action=Audited.PLAN_CREATED).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "common", "title": "  "}, "Ce champ est obligatoire."),
        ({"kind": "team", "title": "Un plan"}, "Sélectionnez un choix valide."),
    ],
)
def test_a_bad_plan_is_refused(client, world, data, message):
    client.force_login(world.coordinator)
    assert message in text(client.post(url(world, "plan_create"), data))
    assert not ActionPlan.objects.exists()


# --- Entries ----------------------------------------------------------------------------


def test_the_coordinator_composes_a_common_plan_from_two_teams(client, world):
    plan = common_plan(world)
    first = add_action(world.teams[0], title="Légumerie partagée", days=40)
    second = add_action(world.teams[1], title="Marché de producteurs", days=-3)
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "entry_add", plan.pk)))
    assert f'<optgroup label="Équipe : {world.teams[0].name}">' in page
    assert f'<optgroup label="Équipe : {world.teams[1].name}">' in page
    for action, priority, lead in ((first, 1, "CC du Val"), (second, 3, "")):
        response = client.post(
            url(world, "entry_add", plan.pk),
            {"action": action.pk, "priority": priority, "lead": lead},
        )
        assert response.status_code == 302
        assert response["Location"] == url(world, "plan_detail", plan.pk)
    entries = list(CommonPlanEntry.objects.filter(common_plan=plan).order_by("priority"))
    assert [(e.action, e.priority, e.lead) for e in entries] == [
        (first, 1, "CC du Val"),
        (second, 3, ""),
    ]
    assert AuditEntry.objects.filter(action=Audited.COMMON_ADDED).count() == 2


@pytest.mark.parametrize(
    "case, message",
    [
        ("priority", "Choisissez une priorité : haute, moyenne ou basse."),
        ("twice", "Cette action est déjà dans le plan commun."),
        ("elsewhere", "Choisissez une action d&#x27;une équipe ou d&#x27;un groupe."),
        ("missing", "Ce champ est obligatoire."),
    ],
)
def test_bad_entries_are_refused_in_french_and_nothing_is_saved(client, world, case, message):
    plan = common_plan(world)
    action = add_action(world.teams[0], title="Légumerie partagée")
    if case == "twice":
        client.force_login(world.coordinator)
        client.post(url(world, "entry_add", plan.pk), {"action": action.pk, "priority": 2})
    before = CommonPlanEntry.objects.count()
    data = {"action": action.pk, "priority": 2, "lead": ""}
    if case == "priority":
        data["priority"] = 9
    elif case == "elsewhere":
        stranger = build_programme(teams=1, organisation=world.organisation)
        data["action"] = add_action(stranger.teams[0], title="D'un autre programme").pk
    elif case == "missing":
        data["action"] = ""
    client.force_login(world.coordinator)
    page = text(client.post(url(world, "entry_add", plan.pk), data))
    assert message in page
    assert "aria-describedby" in page or "invalid-feedback" in page
    assert CommonPlanEntry.objects.count() == before


def test_the_coordinator_changes_and_removes_an_entry(client, world):
    plan = common_plan(world)
    action = add_action(world.teams[0], title="Légumerie partagée")
    client.force_login(world.coordinator)
    client.post(url(world, "entry_add", plan.pk), {"action": action.pk, "priority": 2})
    entry = CommonPlanEntry.objects.get()
    page = text(client.get(url(world, "entry_edit", plan.pk, entry.pk)))
    assert "Légumerie partagée" in page
    assert "Ce champ" in text(
        client.post(url(world, "entry_edit", plan.pk, entry.pk), {"priority": "", "lead": "x"})
    )
    entry.refresh_from_db()
    assert entry.lead == ""
    response = client.post(
        url(world, "entry_edit", plan.pk, entry.pk), {"priority": 1, "lead": "Syndicat mixte"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.priority, entry.lead) == (1, "Syndicat mixte")
    assert client.get(url(world, "entry_remove", plan.pk, entry.pk)).status_code == 405
    assert client.post(url(world, "entry_remove", plan.pk, entry.pk)).status_code == 302
    assert not CommonPlanEntry.objects.exists()
    assert action.__class__.objects.filter(pk=action.pk).exists()  # the action stays


@pytest.mark.parametrize("who", ["trainer", "observer", "member", "other"])
def test_only_coordinators_manage_entries(client, world, who):
    plan = common_plan(world)
    action = add_action(world.teams[0], title="Légumerie partagée")
    entry = CommonPlanEntry.objects.create(
        organisation=world.organisation, common_plan=plan, action=action, priority=2
    )
    if who == "member":
        user = first_member(world.teams[0])
    elif who == "other":
        user = MembershipFactory(role="coordinator").user
    else:
        user = getattr(world, who)
    client.force_login(user)
    assert client.get(url(world, "entry_add", plan.pk)).status_code == 404
    assert (
        client.post(url(world, "entry_add", plan.pk), {"action": action.pk, "priority": 1})
    ).status_code == 404
    assert (
        client.post(url(world, "entry_edit", plan.pk, entry.pk), {"priority": 1}).status_code == 404
    )
    assert client.post(url(world, "entry_remove", plan.pk, entry.pk)).status_code == 404
    assert CommonPlanEntry.objects.get().priority == 2


def test_entries_are_only_for_a_common_plan(client, world):
    group_plan = stage_services.create_plan(
        programme=world.programme,
        kind="group",
        title="Groupe restauration",
        acting_user=world.coordinator,
    )
    team_plan = stage_services.team_plan(team=world.teams[0])
    client.force_login(world.coordinator)
    assert client.get(url(world, "entry_add", group_plan.pk)).status_code == 404
    assert client.get(url(world, "entry_add", team_plan.pk)).status_code == 404


def test_a_group_plans_actions_can_be_chosen(client, world):
    plan = common_plan(world)
    group_plan = stage_services.create_plan(
        programme=world.programme,
        kind="group",
        title="Groupe restauration",
        acting_user=world.coordinator,
    )
    action = action_services.create_action(
        plan=group_plan, acting_user=world.coordinator, title="Cahier des charges commun"
    )
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "entry_add", plan.pk)))
    assert '<optgroup label="Groupe : Groupe restauration">' in page
    client.post(url(world, "entry_add", plan.pk), {"action": action.pk, "priority": 1})
    assert CommonPlanEntry.objects.get().action == action


# --- The section on the plan's page ----------------------------------------------------


def _section(world, user, plan) -> str:
    request = RequestFactory().get("/")
    request.user = user
    request.organisation = world.organisation
    return str(common_plan_section(request, world.organisation, plan))


def test_the_section_shows_origin_priority_lead_and_the_teams_progress(world):
    plan = common_plan(world)
    action = add_action(world.teams[0], title="Légumerie partagée", days=-2)
    CommonPlanEntry.objects.create(
        organisation=world.organisation,
        common_plan=plan,
        action=action,
        priority=1,
        lead="CC du Val",
    )
    html = _section(world, world.coordinator, plan)
    assert "Légumerie partagée" in html
    assert f"Équipe : {world.teams[0].name}" in html
    assert "Haute" in html and "CC du Val" in html
    assert "en retard" in html
    assert "Retirer" in html
    # The team updates its action: the common plan shows the same row.
    action_services.post_update(
        action=action,
        acting_user=first_member(world.teams[0]),
        progress=70,
        status="in_progress",
        note="Bien avancé",
    )
    html = _section(world, world.observer, plan)
    assert "70 %" in html and "En cours" in html
    assert "Retirer" not in html  # observers read only
    with scopes_disabled():
        assert CommonPlanEntry.objects.count() == 1
