"""The roles page of a programme (list, add, edit, move, delete, presets, team label)
and renaming a team: who may use them, what they save, how bad input is refused."""

import pytest
from django_scopes import scopes_disabled

from parcours.models import Programme, Team, TeamMember, TeamRole
from tests.factories import TeamRoleFactory
from tests.parcours.manage.conftest import messages_of, url
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def roles(world):
    with scopes_disabled():
        return list(
            TeamRole.objects.filter(programme=world.programme)
            .order_by("order", "name")
            .values_list("name", "required", "max_per_team")
        )


def role_data(**overrides):
    return {
        "name": "Référent·e technique",
        "description": "",
        "required": "on",
        "capacity": "many",
        "order": "5",
        **overrides,
    }


def test_the_coordinator_sees_the_roles_and_adds_one(coordinator_client, world):
    target = url("parcours:role_list", world, programme_id=world.programme.pk)
    html = coordinator_client.get(target).content.decode()
    assert "Rôles dans les équipes" in html
    assert "Responsable de service" in html
    response = coordinator_client.post(target, role_data())
    assert response.status_code == 302
    assert ("Référent·e technique", True, None) in roles(world)


def test_a_duplicate_or_empty_name_is_refused_next_to_the_field(coordinator_client, world):
    target = url("parcours:role_list", world, programme_id=world.programme.pk)
    before = roles(world)
    response = coordinator_client.post(target, role_data(name="chargé·e de mission"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_name_error"' in html or "invalid-feedback" in html
    assert "Ce programme a déjà un rôle de ce nom." in html
    response = coordinator_client.post(target, role_data(name=""))
    assert "Ce champ est obligatoire." in response.content.decode()
    assert roles(world) == before


def test_edit_a_role_one_or_more_people(coordinator_client, world):
    role = world.roles[2]
    target = url("parcours:role_edit", world, programme_id=world.programme.pk, role_id=role.pk)
    assert (
        "exactement une personne".lower() in coordinator_client.get(target).content.decode().lower()
    )
    response = coordinator_client.post(
        target, role_data(name="Responsable de service", capacity="many", required="")
    )
    assert response.status_code == 302
    with scopes_disabled():
        role.refresh_from_db()
    assert role.max_per_team is None and not role.required


def test_move_a_role_up(coordinator_client, world):
    role = world.roles[2]
    coordinator_client.post(
        url("parcours:role_move", world, programme_id=world.programme.pk, role_id=role.pk),
        {"direction": "up"},
    )
    assert [name for name, *_ in roles(world)] == [
        "Élu·e référent·e",
        "Responsable de service",
        "Chargé·e de mission",
    ]


def test_deleting_a_role_in_use_is_refused_with_the_reason(coordinator_client, world):
    role = world.roles[0]
    response = coordinator_client.post(
        url("parcours:role_delete", world, programme_id=world.programme.pk, role_id=role.pk)
    )
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "ne peut pas être supprimé" in message
    assert "membres d'équipe" in message
    assert len(roles(world)) == 3


def test_deleting_an_unused_role(coordinator_client, world):
    with scopes_disabled():
        spare = TeamRoleFactory(programme=world.programme, name="Invité·e", required=False)
    response = coordinator_client.post(
        url("parcours:role_delete", world, programme_id=world.programme.pk, role_id=spare.pk)
    )
    assert messages_of(response) == ["Rôle « Invité·e » supprimé."]
    assert len(roles(world)) == 3


def test_a_preset_is_refused_while_members_hold_the_roles(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:role_preset", world, programme_id=world.programme.pk),
        {"preset": "actors"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ne peuvent pas être remplacés d'un bloc" in html.replace("&#x27;", "'")
    assert len(roles(world)) == 3


def test_a_preset_replaces_the_roles_of_a_programme_without_members(coordinator_client, world):
    with scopes_disabled():
        TeamMember.objects.filter(team__cohort__programme=world.programme).delete()
    response = coordinator_client.post(
        url("parcours:role_preset", world, programme_id=world.programme.pk),
        {"preset": "actors"},
    )
    assert response.status_code == 302
    assert roles(world) == [
        ("Élus", True, 1),
        ("Agents de la collectivité", True, 1),
        ("Opérateurs socio-économiques", True, 1),
        ("Agents de l'État déconcentré", True, 1),
    ]
    with scopes_disabled():
        assert Programme.objects.get(pk=world.programme.pk).team_label == "quadrinome"


def test_the_team_label_is_saved_and_shown_on_the_team_page(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:team_label", world, programme_id=world.programme.pk),
        {"team_label": "trinome"},
    )
    assert response.status_code == 302
    team = world.teams[0]
    html = coordinator_client.get(
        url("parcours:team_detail", world, programme_id=world.programme.pk, team_id=team.pk)
    ).content.decode()
    assert f"<title>Trinôme {team.name}" in html or f"Trinôme {team.name}" in html
    assert "Trinôme · " in html


def test_rename_a_team_keeps_its_territory_and_refuses_a_taken_name(coordinator_client, world):
    team, other = world.teams
    target = url("parcours:team_rename", world, programme_id=world.programme.pk, team_id=team.pk)
    response = coordinator_client.post(target, {"name": other.name.upper()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cette promotion a déjà une équipe de ce nom." in html
    response = coordinator_client.post(target, {"name": "Pays de Laon"})
    assert response.status_code == 302
    with scopes_disabled():
        renamed = Team.objects.get(pk=team.pk)
    assert renamed.name == "Pays de Laon"
    assert renamed.territory_id == team.territory_id


def test_the_team_list_links_to_renaming(coordinator_client, world):
    html = coordinator_client.get(
        url("parcours:team_list", world, programme_id=world.programme.pk)
    ).content.decode()
    assert (
        url(
            "parcours:team_rename",
            world,
            programme_id=world.programme.pk,
            team_id=world.teams[0].pk,
        )
        in html
    )


def test_the_roles_page_runs_a_constant_number_of_queries(coordinator_client, world):
    def add_roles(count):
        with scopes_disabled():
            for _ in range(count):
                TeamRoleFactory(programme=world.programme, required=False)

    assert_constant_queries(
        coordinator_client,
        url("parcours:role_list", world, programme_id=world.programme.pk),
        add_roles,
    )
