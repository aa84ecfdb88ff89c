"""What the coordinator-side tests of plans share (overview, common plan, PDF): a
programme of teams with a coordinator, a trainer, an observer, and ways to add plans and
actions. (Not a conftest: each file's ``world`` fixture yields from ``plan_world``.)"""

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


def add_action(team, *, title="Action", days=30, start=-10, status=None, **values):
    """An action of ``team``'s plan, due in ``days`` days (negative: past), started
    ``start`` days from today; ``status`` applied through an update."""
    plan = stage_services.team_plan(team=team)
    member = first_member(team)
    today = timezone.localdate()
    action = action_services.create_action(
        plan=plan,
        acting_user=member,
        title=title,
        starts_on=today + timedelta(days=min(start, days)),
        due_on=today + timedelta(days=days),
        **values,
    )
    if status is not None:
        action_services.post_update(
            action=action,
            acting_user=member,
            progress=100 if status == "done" else 40,
            status=status,
            note="Point d'étape",
        )
        action.refresh_from_db()
    return action


def plan_world():
    """A published programme of 3 teams of 3, a coordinator, a trainer and an observer,
    yielded inside its organisation's scope (each test file's ``world`` fixture)."""
    built = build_programme(teams=3)
    organisation = built.organisation
    coordinator = MembershipFactory(organisation=organisation, role="coordinator").user
    trainer = MembershipFactory(organisation=organisation, role="trainer").user
    observer = MembershipFactory(organisation=organisation, role="observer").user
    with scope(organisation=organisation.pk):
        yield SimpleNamespace(
            **vars(built), coordinator=coordinator, trainer=trainer, observer=observer
        )
