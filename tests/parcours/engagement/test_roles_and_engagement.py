"""« Engagée » computed from the required roles, and changing the roles once people
signed: the teams whose state changes are listed and the change waits for a
confirmation; the member's page shows the team's progress."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from parcours import engagement_status as selectors
from parcours import services
from parcours.models import TeamRole
from parcours.services.teams import check_role_capacity
from tests.factories import TeamMemberFactory

from .conftest import publish, sign, status

pytestmark = pytest.mark.django_db


def role(world, name):
    with scopes_disabled():
        return TeamRole.objects.get(programme=world.programme, name=name)


def test_an_unsigned_required_role_blocks_an_optional_one_does_not(world):
    publish(world)
    sign(world, world.elu)
    assert not status(world).engaged
    assert [r.name for r in status(world).missing_roles] == ["Chargé·e de mission"]
    sign(world, world.charge)
    engagement = status(world)
    assert engagement.engaged  # the responsable de service is not required
    assert engagement.progress_label == "2 signatures sur 2"


def test_without_required_roles_a_team_needs_a_signature(world):
    with scopes_disabled():
        TeamRole.objects.filter(programme=world.programme).update(required=False)
    publish(world)
    assert not status(world).engaged
    sign(world, world.responsable)
    assert status(world).engaged


def test_dashboard_team_page_and_member_page_agree(world, client):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    with scope(organisation=world.organisation.pk):
        dashboard = selectors.engagement_dashboard(world.programme)
        assert dashboard.engaged_count == 1
        engaged_rows = [row.team.pk for row in dashboard.teams if row.engaged]
        ordered = {team.pk: team.engaged for team in dashboard.ordered_teams}
    assert engaged_rows == [world.team.pk]
    assert ordered[world.team.pk] is True
    assert sum(ordered.values()) == 1
    client.force_login(world.elu.user)
    html = client.get(
        reverse(
            "parcours:engagement_sign",
            args=[world.organisation.slug, world.programme.pk, world.team.pk],
        )
    ).content.decode()
    assert "Votre équipe est « engagée »" in html


def test_the_member_page_shows_the_team_progress(world, client):
    with scopes_disabled():
        TeamRole.objects.filter(pk=role(world, "Responsable de service").pk).update(required=True)
    publish(world)
    sign(world, world.elu)
    client.force_login(world.charge.user)
    address = reverse(
        "parcours:engagement_sign",
        args=[world.organisation.slug, world.programme.pk, world.team.pk],
    )
    html = client.get(address).content.decode()
    assert "1 signature sur 3 — manquent : Chargé·e de mission, Responsable de service" in html
    sign(world, world.charge)
    html = client.get(address).content.decode()
    assert "2 signatures sur 3 — manque : Responsable de service" in html


def test_making_a_role_required_after_signatures_needs_a_confirmation(world):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    responsable = role(world, "Responsable de service")
    responsable.required = True
    with scope(organisation=world.organisation.pk):
        changes = services.role_change_effects(role=responsable)
        assert [(c.team.pk, c.before, c.after) for c in changes] == [(world.team.pk, True, False)]
        with pytest.raises(ValidationError, match="confirmez-le d'abord"):
            services.save_team_role(role=responsable, acting_user=world.coordinator)
    assert not role(world, "Responsable de service").required
    with scope(organisation=world.organisation.pk):
        services.save_team_role(role=responsable, acting_user=world.coordinator, confirmed=True)
    assert role(world, "Responsable de service").required
    assert not status(world).engaged


def test_changes_are_free_before_the_first_signature(world):
    publish(world)
    with scope(organisation=world.organisation.pk):
        new = TeamRole(programme=world.programme, name="Élu·e suppléant·e", required=True)
        assert services.role_change_effects(role=new) == []
        services.save_team_role(role=new, acting_user=world.coordinator)


def test_the_confirmation_page_lists_the_teams_then_saves(world, client):
    publish(world)
    sign(world, world.elu)
    sign(world, world.charge)
    responsable = role(world, "Responsable de service")
    client.force_login(world.coordinator)
    target = reverse(
        "parcours:role_edit",
        args=[world.organisation.slug, world.programme.pk, responsable.pk],
    )
    data = {
        "name": "Responsable de service",
        "description": "",
        "required": "on",
        "capacity": "one",
        "order": "2",
    }
    response = client.post(target, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{world.team.name}</strong> : engagée → en attente" in html
    assert not role(world, "Responsable de service").required  # nothing saved yet
    response = client.post(target, {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert role(world, "Responsable de service").required


def test_a_preset_is_refused_once_someone_signed(world):
    publish(world)
    sign(world, world.elu)
    with (
        scope(organisation=world.organisation.pk),
        pytest.raises(ValidationError, match="déjà signé"),
    ):
        services.apply_team_role_preset(
            programme=world.programme, acting_user=world.coordinator, preset="none"
        )


def test_capacity_one_or_many(world):
    charge = role(world, "Chargé·e de mission")
    with scope(organisation=world.organisation.pk):
        with pytest.raises(ValidationError, match="déjà pourvu"):
            check_role_capacity(world.team, charge)
        charge.max_per_team = None
        services.save_team_role(role=charge, acting_user=world.coordinator)
        check_role_capacity(world.team, charge)
    with scopes_disabled():
        TeamMemberFactory(team=world.team, role=charge)
    charge.max_per_team = 1
    with (
        scope(organisation=world.organisation.pk),
        pytest.raises(ValidationError, match="plusieurs personnes à ce rôle"),
    ):
        services.save_team_role(role=charge, acting_user=world.coordinator)


def test_rename_team_is_unique_per_cohort(world):
    other = world.teams[1]
    with scope(organisation=world.organisation.pk):
        with pytest.raises(ValidationError, match="déjà une équipe de ce nom"):
            services.rename_team(team=world.team, acting_user=world.coordinator, name=other.name)
        renamed = services.rename_team(
            team=world.team, acting_user=world.coordinator, name="Pays de Laon"
        )
    assert renamed.name == "Pays de Laon"
