"""A CODEV commitment becomes an action of the client team's plan, follows its
corrections and the client's follow-up answer, and leaves with it while untouched; a
working group's plan is named after the group."""

from datetime import timedelta

import pytest
from django.utils import timezone

from codev.models import Commitment, GroupKind
from codev.services import cases, plan_actions
from plans.models import Action, ActionPlan
from plans.services import actions as plan_services
from tests.codev.test_services import make_group, series

pytestmark = pytest.mark.django_db


@pytest.fixture
def seance(world):
    from codev.services import sessions

    group = make_group(world, "CODEV 1", teams=world.teams[:4])
    (group_session,) = series(world, [group])
    client = group.memberships.get(team=world.teams[0])
    sessions.set_roles(
        group_session=group_session,
        client=client,
        facilitator=world.trainer,
        acting_user=world.coordinator,
    )
    person = world.teams[0].members.first().user
    case = cases.save_case(
        group_session=group_session,
        acting_user=person,
        title="Mobiliser les élu·es",
        question="Comment embarquer les élu·es ?",
    )
    day = timezone.localtime(group_session.session.starts_at).date()
    return case, person, day


def test_a_commitment_becomes_an_action_of_the_client_teams_plan(world, seance):
    case, person, day = seance
    commitment = cases.save_commitment(
        case=case, acting_user=person, what="Réunir les élu·es", owner=person, due_on=day
    )
    action = Action.objects.get(source=Action.Source.CODEV, source_id=commitment.pk)
    assert action.plan.team == world.teams[0]
    assert (action.title, action.owner, action.due_on) == ("Réunir les élu·es", person, day)
    assert action.source_label.startswith("Séance de CODEV du ")
    assert "CODEV 1" in action.source_label
    assert "Comment embarquer les élu·es ?" in action.description
    # No other team's plan receives anything.
    assert not ActionPlan.objects.exclude(team=world.teams[0]).exists()

    cases.update_commitment(
        commitment=commitment,
        acting_user=world.trainer,
        what="Réunir les élu·es en bureau",
        owner=person,
        due_on=day + timedelta(days=30),
    )
    action.refresh_from_db()
    assert (action.title, action.due_on) == ("Réunir les élu·es en bureau", day + timedelta(30))
    changes = action.updates.order_by("created_at", "pk").last().changes
    assert changes["title"] == ["Réunir les élu·es", "Réunir les élu·es en bureau"]


def test_the_follow_up_answer_closes_the_action_and_a_removed_commitment_takes_it_away(
    world, seance
):
    case, person, day = seance
    done = cases.save_commitment(
        case=case, acting_user=person, what="Rédiger la note", owner=person, due_on=day
    )
    dropped = cases.save_commitment(
        case=case, acting_user=person, what="Visiter Arras", owner=person, due_on=day
    )
    cases.answer_follow_up(
        case=case,
        acting_user=person,
        text="La note est partie, la visite n'a plus de sens.",
        statuses={done.pk: Commitment.Status.DONE, dropped.pk: Commitment.Status.DROPPED},
    )
    statuses = dict(
        Action.objects.filter(source=Action.Source.CODEV).values_list("source_id", "status")
    )
    assert statuses == {done.pk: Action.Status.DONE, dropped.pk: Action.Status.DROPPED}
    note = Action.objects.get(source_id=done.pk).updates.first().note
    assert "La note est partie" in note

    # Removing a commitment whose action was followed up keeps the action and its history.
    cases.delete_commitment(commitment=done, acting_user=person)
    assert Action.objects.filter(source_id=done.pk).exists()
    # An untouched one goes with its commitment.
    fresh = cases.save_commitment(
        case=case, acting_user=person, what="Appeler la DDT", owner=person, due_on=day
    )
    cases.delete_commitment(commitment=fresh, acting_user=person)
    assert not Action.objects.filter(source_id=fresh.pk).exists()


def test_a_person_client_hands_its_commitments_to_the_plan_of_its_team(world):
    from codev.services import sessions

    people = [team.members.first().user for team in world.teams[:3]]
    group = make_group(world, "Élu·es", people=people, kind=GroupKind.CODEV)
    (group_session,) = series(world, [group])
    client = group.memberships.get(user=people[1])
    sessions.set_roles(
        group_session=group_session,
        client=client,
        facilitator=world.trainer,
        acting_user=world.coordinator,
    )
    case = cases.save_case(
        group_session=group_session, acting_user=people[1], title="Cas", question="Question ?"
    )
    day = timezone.localtime(group_session.session.starts_at).date()
    commitment = cases.save_commitment(
        case=case, acting_user=people[1], what="Consulter", owner=people[1], due_on=day
    )
    action = Action.objects.get(source_id=commitment.pk)
    assert action.plan.team == world.teams[1]


def test_a_working_groups_plan_is_made_once_and_named_after_the_group(world):
    group = make_group(world, "Alimentation durable", kind=GroupKind.WORKING)
    plan = plan_actions.group_plan(group=group, acting_user=world.coordinator)
    again = plan_actions.group_plan(group=group, acting_user=world.coordinator)
    assert plan == again
    assert (plan.kind, plan.title, plan.programme) == (
        "group",
        "Alimentation durable",
        world.programme,
    )
    action = plan_services.create_action(
        plan=plan, acting_user=world.coordinator, title="Cartographier les producteurs"
    )
    assert action.plan.group == group
