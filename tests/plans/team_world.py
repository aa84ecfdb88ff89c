"""The world of the team plan's page tests: a published programme of 2 teams of 3, a
coordinator, a trainer and an observer; the first team's plan with one action."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone
from django_scopes import scope

from parcours.models import TeamMember
from plans.services import actions as action_services
from plans.services import stages as stage_services
from tests.factories import MembershipFactory, build_programme


def first_member(team):
    return TeamMember.objects.filter(team=team).select_related("user").order_by("pk")[0].user


def team_world():
    """Yield the world inside its organisation's scope (a fixture's body)."""
    built = build_programme(teams=2)
    organisation = built.organisation
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    trainer = MembershipFactory(organisation=organisation, role="trainer").user
    observer = MembershipFactory(organisation=organisation, role="observer").user
    with scope(organisation=organisation.pk):
        team, other_team = built.teams
        member = first_member(team)
        outsider = first_member(other_team)
        plan = stage_services.team_plan(team=team)
        action = action_services.create_action(
            plan=plan,
            acting_user=member,
            title="Cartographier les producteurs",
            owner=member,
            due_on=timezone.localdate() + timedelta(days=30),
        )
        yield SimpleNamespace(
            **vars(built),
            coordinator=coordinator,
            trainer=trainer,
            observer=observer,
            team=team,
            other_team=other_team,
            member=member,
            outsider=outsider,
            plan=plan,
            action=action,
        )
