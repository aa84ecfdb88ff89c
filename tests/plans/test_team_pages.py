"""A team's plan: the way in from the team, the plan's page, an action's pages (create,
change with a stale copy, quick update, reopen, delete); who writes, who only reads,
who gets 404; refused input; how many queries the plan's page runs."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from parcours.models import TeamMember
from plans.models import Action, ActionPlan, ActionUpdate
from plans.services import actions as action_services
from tests.plans.team_world import first_member, team_world
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    yield from team_world()


def url(world, name, *args, plan=None):
    plan = plan or world.plan
    return reverse(
        f"plans:{name}", args=[world.organisation.slug, world.programme.pk, plan.pk, *args]
    )


def action_url(world, name, action=None):
    return url(world, name, (action or world.action).pk)


def body(response) -> str:
    return html.unescape(response.content.decode())


def action_form_data(**overrides):
    data = {
        "title": "Réunir les cantines",
        "description": "",
        "objective": "Un approvisionnement local",
        "targets": "",
        "owner": "",
        "owner_name": "Chambre d'agriculture",
        "partners": "",
        "means": "",
        "starts_on": "",
        "due_on": "",
        "indicators": "",
    }
    data.update(overrides)
    return data


def update_data(action, **overrides):
    data = {f"a{action.pk}-progress": "40", f"a{action.pk}-status": "in_progress"}
    data.update({f"a{action.pk}-{key}": value for key, value in overrides.items()})
    return data


# --- The way in ---------------------------------------------------------------------


def test_a_member_opens_the_team_plan_and_lands_on_the_plan(client, world):
    ActionPlan.objects.filter(pk=world.plan.pk).delete()
    client.force_login(world.member)
    address = reverse(
        "plans:team_plan", args=[world.organisation.slug, world.programme.pk, world.team.pk]
    )
    response = client.get(address)
    plan = ActionPlan.objects.get(team=world.team)
    assert response.status_code == 302
    assert response.url == url(world, "plan_detail", plan=plan)
    assert client.get(address).url == response.url  # created once


def test_the_team_page_shows_the_plan_panel_and_the_home_links_to_the_plan(client, world):
    client.force_login(world.member)
    team_page = body(
        client.get(
            reverse(
                "parcours:team_detail",
                args=[world.organisation.slug, world.programme.pk, world.team.pk],
            )
        )
    )
    way_in = reverse(
        "plans:team_plan", args=[world.organisation.slug, world.programme.pk, world.team.pk]
    )
    assert "Ouvrir le plan d’action" in team_page and way_in in team_page
    home = body(client.get(reverse("organisations:home", args=[world.organisation.slug])))
    assert "Notre plan d’action" in home and way_in in home


def test_another_team_member_gets_404_on_the_way_in(client, world):
    client.force_login(world.outsider)
    address = reverse(
        "plans:team_plan", args=[world.organisation.slug, world.programme.pk, world.team.pk]
    )
    assert client.get(address).status_code == 404


# --- The plan's page --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "coordinator", "trainer"])
def test_writers_see_the_plan_with_its_stages_and_the_quick_update(client, world, who):
    client.force_login(getattr(world, who))
    page = body(client.get(url(world, "plan_detail")))
    assert "Fiche d'intention" in page
    assert "Pas commencée" in page
    assert "Cartographier les producteurs" in page
    assert "Mettre à jour" in page and "Ajouter une action" in page
    assert world.member.get_full_name() in page


def test_the_plan_shows_late_actions_and_the_last_update(client, world):
    late = action_services.create_action(
        plan=world.plan,
        acting_user=world.coordinator,
        title="Action en retard",
        starts_on=date(2020, 1, 1),
        due_on=date(2020, 2, 1),
    )
    client.force_login(world.member)
    page = body(client.get(url(world, "plan_detail")))
    assert f'id="action-{late.pk}"' in page
    card = page.split(f'id="action-{late.pk}"')[1].split("</article>")[0]
    assert "En retard" in card
    assert world.coordinator.get_full_name() in card
    filtered = body(client.get(url(world, "plan_detail") + "?etat=done"))
    assert "Aucune action dans cet état." in filtered


def test_an_observer_reads_without_forms_and_every_post_is_404(client, world):
    client.force_login(world.observer)
    page = body(client.get(url(world, "plan_detail")))
    assert "Cartographier les producteurs" in page
    assert "Mettre à jour" not in page and "Ajouter une action" not in page
    main = page.split('id="contenu"')[1].split("</main>")[0]
    # The only form an observer gets is the printable plan's (a document request).
    assert main.count("<form") == 1 and "/documents/plans/" in main
    detail = body(client.get(action_url(world, "action_detail")))
    assert "Historique" in detail and "Modifier l’action" not in detail
    for address, data in [
        (url(world, "action_create"), action_form_data()),
        (action_url(world, "action_edit"), action_form_data(version=1)),
        (action_url(world, "action_update"), update_data(world.action)),
        (action_url(world, "action_reopen"), {}),
        (action_url(world, "action_delete"), {}),
    ]:
        assert client.post(address, data).status_code == 404, address
    assert client.get(url(world, "action_create")).status_code == 404
    world.action.refresh_from_db()
    assert world.action.version == 1 and Action.objects.count() == 1


def test_another_team_member_gets_404_on_every_url(client, world):
    client.force_login(world.outsider)
    for address in [
        url(world, "plan_detail"),
        url(world, "action_create"),
        action_url(world, "action_detail"),
        action_url(world, "action_edit"),
        action_url(world, "action_delete"),
        url(world, "stage", "intention"),
    ]:
        assert client.get(address).status_code == 404, address
    for address in [
        url(world, "action_create"),
        action_url(world, "action_update"),
        action_url(world, "action_reopen"),
        action_url(world, "action_delete"),
        url(world, "stage_submit", "intention"),
    ]:
        assert client.post(address, {}).status_code == 404, address
    assert Action.objects.count() == 1


def test_the_plan_page_runs_a_constant_number_of_queries(client, world):
    people = [first_member(world.team)]

    def add_actions(count):
        for index in range(count):
            action = action_services.create_action(
                plan=world.plan,
                acting_user=world.coordinator,
                title=f"Action {index}",
                owner=people[0] if index % 2 else None,
                owner_name="" if index % 2 else "Un partenaire",
                due_on=date(2020, 1, 1) if index % 3 == 0 else None,
            )
            action_services.post_update(
                action=action, acting_user=world.member, progress=20, status="in_progress"
            )

    client.force_login(world.member)
    assert_constant_queries(client, url(world, "plan_detail"), add_actions)


# --- Creating and changing an action ------------------------------------------------------


def test_a_member_adds_an_action_with_a_partner_as_owner(client, world):
    client.force_login(world.member)
    assert "Nouvelle action" in body(client.get(url(world, "action_create")))
    response = client.post(url(world, "action_create"), action_form_data())
    assert response.status_code == 302
    action = Action.objects.get(title="Réunir les cantines")
    assert action.owner_name == "Chambre d'agriculture" and action.created_by == world.member


def test_a_member_adds_an_action_owned_by_a_colleague(client, world):
    colleague = TeamMember.objects.filter(team=world.team).order_by("pk")[1].user
    client.force_login(world.member)
    response = client.post(
        url(world, "action_create"), action_form_data(owner=colleague.pk, owner_name="")
    )
    assert response.status_code == 302
    assert Action.objects.get(title="Réunir les cantines").owner == colleague


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Donnez un intitulé à l'action."),
        (
            {"starts_on": "2027-03-10", "due_on": "2027-03-01"},
            "due_on",
            "L'échéance ne peut pas précéder le début.",
        ),
    ],
)
def test_bad_action_input_is_refused_next_to_its_field(client, world, overrides, field, message):
    client.force_login(world.member)
    response = client.post(url(world, "action_create"), action_form_data(**overrides))
    assert response.status_code == 200
    page = body(response)
    assert f'id="id_{field}_error"' in page or f"id_{field}" in page
    assert message in page
    assert Action.objects.count() == 1


def test_an_owner_from_another_team_is_refused(client, world):
    client.force_login(world.member)
    response = client.post(
        url(world, "action_create"), action_form_data(owner=world.outsider.pk, owner_name="")
    )
    assert response.status_code == 200
    assert Action.objects.count() == 1


def test_a_member_changes_an_action_and_the_history_names_the_fields(client, world):
    client.force_login(world.member)
    form_page = body(client.get(action_url(world, "action_edit")))
    assert 'name="version" value="1"' in form_page
    response = client.post(
        action_url(world, "action_edit"),
        action_form_data(
            title="Cartographier les producteurs locaux",
            owner=world.member.pk,
            owner_name="",
            due_on="2030-01-31",
            version=1,
            note="Plus précis",
        ),
    )
    assert response.status_code == 302
    detail = body(client.get(action_url(world, "action_detail")))
    assert (
        "intitulé : Cartographier les producteurs → Cartographier les producteurs locaux" in detail
    )
    assert "Plus précis" in detail and "échéance" in detail


def test_a_stale_edit_shows_the_conflict_and_overwrites_nothing(client, world):
    # A colleague changes the title while the member has the form open (version 1).
    action_services.change_action(
        action=world.action,
        acting_user=world.coordinator,
        expected_version=1,
        title="Titre du collègue",
    )
    client.force_login(world.member)
    response = client.post(
        action_url(world, "action_edit"),
        action_form_data(title="Mon titre à moi", version=1, owner=world.member.pk, owner_name=""),
    )
    assert response.status_code == 409
    page = body(response)
    assert "modifiée par quelqu'un d'autre" in page
    assert "Mon titre à moi" in page  # the person's input, kept
    assert "Titre du collègue" in page  # the action now
    assert world.coordinator.get_full_name() in page  # who changed it
    assert 'name="version" value="2"' in page
    world.action.refresh_from_db()
    assert world.action.title == "Titre du collègue" and world.action.version == 2


# --- The quick update, reopening, removing ------------------------------------------------


def test_the_quick_update_in_plain_post_redirects_with_a_message(client, world):
    client.force_login(world.member)
    response = client.post(
        action_url(world, "action_update"), update_data(world.action), follow=True
    )
    assert "mise à jour" in body(response)
    world.action.refresh_from_db()
    assert (world.action.progress, world.action.status) == (40, "in_progress")
    update = ActionUpdate.objects.filter(action=world.action).first()
    assert update.author == world.member and update.changes["progress"] == [0, 40]


def test_the_quick_update_with_htmx_swaps_the_card(client, world):
    client.force_login(world.trainer)
    response = client.post(
        action_url(world, "action_update"),
        update_data(world.action, note="Trois producteurs vus"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = body(response)
    assert page.lstrip().startswith("<article") or '<article class="card' in page
    assert "40 %" in page and "<html" not in page


def test_a_progress_of_150_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world.member)
    response = client.post(
        action_url(world, "action_update"), update_data(world.action, progress="150")
    )
    assert response.status_code == 400
    assert "L'avancement est compris entre 0 et 100 %." in body(response)
    world.action.refresh_from_db()
    assert world.action.progress == 0 and world.action.updates.count() == 1


def test_a_refused_quick_update_under_htmx_shows_the_error_on_its_field(client, world):
    client.force_login(world.member)
    response = client.post(
        action_url(world, "action_update"),
        update_data(world.action, progress="150"),
        headers={"HX-Request": "true"},
    )
    page = body(response)
    assert "<html" not in page
    error = re.search(r'id="([^"]+-progress_error)"[^>]*>([^<]+)<', page)
    assert error and "entre 0 et 100 %" in error.group(2)
    widget = re.search(r'<select name="a\d+-progress"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in widget and f'aria-describedby="{error.group(1)}"' in widget
    world.action.refresh_from_db()
    assert world.action.progress == 0


def test_an_update_on_a_done_action_asks_to_reopen_it(client, world):
    action_services.post_update(
        action=world.action, acting_user=world.member, progress=100, status="done"
    )
    client.force_login(world.member)
    detail = body(client.get(action_url(world, "action_detail")))
    assert "Rouvrir" in detail and "Mettre à jour l’avancement" not in detail
    response = client.post(action_url(world, "action_update"), update_data(world.action))
    assert response.status_code == 400
    assert "rouvrez-la" in body(response)
    world.action.refresh_from_db()
    assert world.action.status == "done" and world.action.updates.count() == 2
    response = client.post(action_url(world, "action_reopen"), {"note": "Pas fini"})
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == "in_progress"


def test_deleting_asks_for_confirmation_then_removes(client, world):
    client.force_login(world.member)
    page = body(client.get(action_url(world, "action_delete")))
    assert "Supprimer définitivement" in page
    assert Action.objects.count() == 1
    response = client.post(action_url(world, "action_delete"))
    assert response.status_code == 302 and Action.objects.count() == 0
