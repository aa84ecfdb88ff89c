"""The coordinator's overview of a programme's plans: who reaches it (404 for a team
member and another organisation), what it says per team (stages, actions by status,
late ones, last update, teams without an update for N weeks), the observers without
names, the timeline, the export (formulas escaped), the stage templates, the follow-up
séances, and a query count that does not grow with teams nor actions."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

import plans.tabs  # noqa: F401  (wired by plans.extensions; imported here in case it is not yet)
from organisations.models import AuditEntry
from parcours.models import Session
from plans.actions import Audited
from plans.models import ActionPlan, FollowUpSession, StageTemplate
from plans.overview import bounded_weeks
from plans.services import stages as stage_services
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    build_programme,
)
from tests.plans.overview_world import add_action, first_member, plan_world
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    yield from plan_world()


def url(world, name, *args):
    return reverse(f"plans:{name}", args=[world.organisation.slug, world.programme.pk, *args])


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Who reaches it --------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [("coordinator", 200), ("trainer", 200), ("observer", 200), ("member", 404), ("other", 404)],
)
def test_who_reaches_the_overview(client, world, who, status):
    if who == "member":
        user = first_member(world.teams[0])
    elif who == "other":
        user = build_programme(teams=1).organisation and MembershipFactory(role="coordinator").user
    else:
        user = getattr(world, who)
    client.force_login(user)
    assert client.get(url(world, "overview")).status_code == status


@pytest.mark.parametrize(
    "who, status",
    [("coordinator", 200), ("trainer", 200), ("observer", 404), ("member", 404)],
)
def test_who_exports(client, world, who, status):
    user = first_member(world.teams[0]) if who == "member" else getattr(world, who)
    client.force_login(user)
    assert client.get(url(world, "export") + "?format=csv").status_code == status


@pytest.mark.parametrize("name", ["templates", "follow_up_sessions", "plan_create"])
@pytest.mark.parametrize("who", ["trainer", "observer", "member"])
def test_only_coordinators_manage(client, world, name, who):
    user = first_member(world.teams[0]) if who == "member" else getattr(world, who)
    client.force_login(user)
    assert client.get(url(world, name)).status_code == 404
    assert client.post(url(world, name), {}).status_code == 404


def test_the_programme_has_a_plans_tab_for_the_staff(client, world):
    timeline = reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    client.force_login(world.observer)
    assert url(world, "overview") in text(client.get(timeline))
    client.force_login(first_member(world.teams[0]))
    assert url(world, "overview") not in text(client.get(timeline))


# --- What it says ------------------------------------------------------------------------


def test_the_overview_counts_actions_flags_late_ones_and_stale_plans(client, world):
    first, second, third = world.teams
    add_action(first, title="Recenser les cantines", days=-5)  # late
    add_action(first, title="Réunir les producteurs", days=20, status="in_progress")
    add_action(first, title="Charte signée", days=-40, status="done")  # done: not late
    add_action(second, title="Atelier élus", days=60)
    with scopes_disabled():
        ActionPlan.objects.filter(team=second).update(
            touched_at=timezone.now() - timedelta(weeks=8)
        )
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "overview")))
    assert page.count("<h1") == 1
    for name in (first.name, second.name, third.name):
        assert name in page
    # The third team never opened its plan: the overview creates nothing.
    with scopes_disabled():
        assert not ActionPlan.objects.filter(team=third).exists()
    assert (
        reverse("plans:team_plan", args=[world.organisation.slug, world.programme.pk, third.pk])
        in page
    )
    # Two stale plans at 6 weeks (the second, touched 8 weeks ago; the third, never).
    assert page.count("sans mise à jour depuis 6 semaines") == 2
    assert "2 équipes sans mise à jour récente" in page
    assert "Recenser les cantines" in page and "À lancer, en retard" in page
    assert "Charte signée" in page
    # At 10 weeks, the second team is fine again.
    page = text(client.get(url(world, "overview") + "?semaines=10"))
    assert page.count("sans mise à jour depuis 10 semaines") == 1


def test_the_weeks_are_bounded():
    assert bounded_weeks(None) == 6
    assert bounded_weeks("abc") == 6
    assert bounded_weeks("0") == 1
    assert bounded_weeks("-3") == 1
    assert bounded_weeks("999") == 52
    assert bounded_weeks("12") == 12


def test_a_bad_weeks_parameter_still_shows_the_page(client, world):
    client.force_login(world.coordinator)
    assert "sans mise à jour depuis 52 semaines" in text(
        client.get(url(world, "overview") + "?semaines=100000")
    )


def test_stage_states_are_shown(client, world):
    team = world.teams[0]
    member = first_member(team)
    plan = stage_services.team_plan(team=team)
    stage_services.save_draft(
        plan=plan,
        stage="intention",
        body="## Contexte\n\nDu texte.",
        acting_user=member,
        revision=None,
    )
    version = stage_services.submit_stage(plan=plan, stage="intention", acting_user=member)
    stage_services.review_version(
        version=version, acting_user=world.coordinator, decision="validated"
    )
    stage_services.save_draft(
        plan=plan, stage="roadmap", body="## Objectifs", acting_user=member, revision=None
    )
    client.force_login(world.trainer)
    page = text(client.get(url(world, "overview")))
    assert "v1 validée" in page
    assert "Brouillon" in page
    assert "Non commencée" in page


def test_observers_see_owners_only_when_the_programme_allows_names(client, world):
    team = world.teams[0]
    owner = first_member(team)
    owner.first_name, owner.last_name = "Camille", "Pilote"
    owner.save()
    add_action(team, title="Cartographier", owner=owner)
    client.force_login(world.observer)
    page = text(client.get(url(world, "overview")))
    assert "Cartographier" in page
    assert "Camille Pilote" not in page
    world.programme.observers_see_names = True
    world.programme.save()
    assert "Camille Pilote" in text(client.get(url(world, "overview")))
    client.force_login(world.coordinator)
    assert "Camille Pilote" in text(client.get(url(world, "overview")))


def test_the_timeline_is_an_accessible_svg_with_its_table(client, world):
    add_action(world.teams[0], title="Action en retard", days=-3)
    add_action(world.teams[1], title="Action à venir", days=90, start=10)
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "overview")))
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert "aujourd’hui" in page
    assert "dont 1 en retard" in page
    assert "Les actions sous forme de tableau" in page
    assert "Action à venir" in page


# --- Export ------------------------------------------------------------------------------


def test_the_export_lists_every_action_with_formulas_escaped(client, world):
    add_action(world.teams[0], title='=HYPERLINK("http://x")', days=-2)
    add_action(world.teams[1], title="Atelier élus", days=30, status="in_progress")
    client.force_login(world.coordinator)
    response = client.get(url(world, "export") + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Équipe ou plan", "Action", "Pilote", "État"]
    by_title = {row[1]: row for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in by_title
    late = by_title['\'=HYPERLINK("http://x")']
    assert late[0] == world.teams[0].name
    assert late[3] == "À lancer (en retard)"
    other = by_title["Atelier élus"]
    assert other[3] == "En cours" and other[4] == "40"
    assert other[7] == timezone.localdate().isoformat()
    assert other[8] == "Saisie directement"
    xlsx = client.get(url(world, "export") + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(url(world, "export") + "?format=pdf").status_code == 404


# --- Templates and follow-up séances ----------------------------------------------------


def test_the_coordinator_saves_the_stage_templates(client, world):
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "templates")))
    assert "Contexte et enjeux du territoire" in page  # the defaults
    data = {
        "intention-sections": "Le territoire\n\nNos envies\n",
        "intention-guidance": "Deux pages au plus.",
        "roadmap-sections": "Objectifs\nÉtapes et calendrier\nGouvernance et pilotage\nMoyens\n"
        "Points de vigilance",
        "roadmap-guidance": "",
        "action_plan-sections": "Vision et objectifs\nAxes de travail\nPilotage et suivi\n"
        "Indicateurs",
        "action_plan-guidance": "",
    }
    response = client.post(url(world, "templates"), data)
    assert response.status_code == 302
    template = StageTemplate.objects.get(programme=world.programme, stage="intention")
    assert template.section_titles == ["Le territoire", "Nos envies"]
    assert template.guidance == "Deux pages au plus."
    # Unchanged stages are not rewritten.
    assert not StageTemplate.objects.filter(stage="roadmap").exists()
    assert AuditEntry.objects.filter(action=Audited.TEMPLATE_SAVED).count() == 1


def test_a_template_without_sections_is_refused(client, world):
    client.force_login(world.coordinator)
    data = {
        "intention-sections": "   \n  ",
        "intention-guidance": "",
        "roadmap-sections": "Un\nDeux",
        "roadmap-guidance": "",
        "action_plan-sections": "Vision",
        "action_plan-guidance": "",
    }
    page = text(client.post(url(world, "templates"), data))
    assert "Ce champ est obligatoire." in page or "au moins une section" in page
    assert not StageTemplate.objects.exists()
    data["intention-sections"] = "\n".join(f"Section {n}" for n in range(25))
    page = text(client.post(url(world, "templates"), data))
    assert "Vingt sections au plus." in page
    assert not StageTemplate.objects.exists()


def test_the_coordinator_marks_follow_up_sessions(client, world):
    kept = SessionFactory(programme=world.programme, kind=world.kind, title="Suivi d'automne")
    other = SessionFactory(programme=world.programme, kind=world.kind, title="Formation")
    client.force_login(world.coordinator)
    page = text(client.get(url(world, "follow_up_sessions")))
    assert "Suivi d&#x27;automne" in page or "Suivi d'automne" in page
    response = client.post(url(world, "follow_up_sessions"), {"sessions": [kept.pk]})
    assert response.status_code == 302
    assert set(FollowUpSession.objects.values_list("session_id", flat=True)) == {kept.pk}
    client.post(url(world, "follow_up_sessions"), {"sessions": [other.pk]})
    assert set(FollowUpSession.objects.values_list("session_id", flat=True)) == {other.pk}
    # A session of another programme is refused, nothing changes.
    stranger = SessionFactory(title="Ailleurs")
    with scopes_disabled():
        assert Session.objects.filter(pk=stranger.pk).exists()
    page = text(client.post(url(world, "follow_up_sessions"), {"sessions": [stranger.pk]}))
    assert "choix valide" in page
    assert set(FollowUpSession.objects.values_list("session_id", flat=True)) == {other.pk}


# --- Query counts ------------------------------------------------------------------------


def test_the_overview_queries_do_not_grow_with_teams(client, world):
    def grow(count):
        for _ in range(count - len(world.teams)):
            team = TeamFactory(cohort=world.cohort)
            TeamMemberFactory(team=team)
            world.teams.append(team)
            add_action(team, title="Action d'équipe", days=-2)

    client.force_login(world.coordinator)
    assert_constant_queries(client, url(world, "overview"), grow, sizes=(2, 20))


def test_the_overview_queries_do_not_grow_with_actions(client, world):
    made = []

    def grow(count):
        for index in range(count - len(made)):
            team = world.teams[index % len(world.teams)]
            made.append(add_action(team, title=f"Action {len(made)}", days=index - 10))

    client.force_login(world.observer)
    assert_constant_queries(client, url(world, "overview"), grow, sizes=(5, 50))
