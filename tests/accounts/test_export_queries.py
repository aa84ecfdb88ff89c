"""« Télécharger mes données » is a JSON download reading each table that may hold a
person's data once: its query count does not grow with how much the person did."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from plans.services import actions as plan_actions
from plans.services import stages as plan_stages
from tests.factories import MembershipFactory, TeamMemberFactory, build_programme

pytestmark = pytest.mark.django_db


def _take_part(user, times: int) -> None:
    """``user`` joins a team in ``times`` programmes (of as many organisations), owns an
    action of each team's plan and is a coordinator there."""
    for _ in range(times):
        built = build_programme(teams=1)
        MembershipFactory(organisation=built.organisation, user=user, coordinator=True)
        with scope(organisation=built.organisation.pk):
            team = built.teams[0]
            TeamMemberFactory(team=team, user=user)
            plan = plan_stages.team_plan(team=team)
            plan_actions.create_action(
                plan=plan, acting_user=user, title="Réunir les élu·es", owner=user
            )


def _export(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("accounts:export_data"))
    assert response.status_code == 200
    return len(context.captured_queries), json.loads(response.content)


def test_the_export_reads_each_table_once_whatever_the_person_did(client):
    user = MembershipFactory(coordinator=True).user
    client.force_login(user)
    _take_part(user, 1)
    client.get(reverse("accounts:export_data"))  # content types and the like, once
    few, small = _export(client)
    _take_part(user, 4)
    many, large = _export(client)
    assert few == many
    assert len(large["plans"]["actions_pilotées"]) == 5 > len(small["plans"]["actions_pilotées"])
