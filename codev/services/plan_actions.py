"""What codev hands to the action plans (``plans``, the layer below).

- A CODEV **commitment** becomes an **action** of the client team's plan (source
  « Engagement de CODEV », naming the group and the séance): created with the
  commitment, corrected with it, closed or reopened by the client's follow-up answer,
  and removed with it while nobody has followed it up in the plan.
- A person client (a peer sub-group of seed 003) hands its commitments to the plan of
  the team the person belongs to in the programme; a person in no team keeps them on
  the case only.
- A **working group**'s plan (seed 002) is a plan of kind « groupe de travail » named
  after the group, created the first time it is asked for.
"""

from django.utils.translation import gettext as _

from parcours.models import TeamMember
from plans.models import Action, ActionPlan
from plans.services import actions as plan_actions
from plans.services import stages as plan_stages
from sillon.formatting import format_day, local

from ..models import Commitment, Group

# A commitment's status → its action's status after the client's follow-up answer.
FOLLOW_UP_STATUS = {
    Commitment.Status.OPEN: Action.Status.IN_PROGRESS,
    Commitment.Status.DONE: Action.Status.DONE,
    Commitment.Status.DROPPED: Action.Status.DROPPED,
}


def _client_team(case):
    """The team whose plan receives the case's commitments, or None."""
    client = case.client
    if client.team_id:
        return client.team
    programme_id = case.group_session.group.programme_id
    member = (
        TeamMember.objects.current()
        .filter(user=client.user_id, team__cohort__programme=programme_id)
        .select_related("team__cohort__programme")
        .order_by("joined_at", "pk")
        .first()
    )
    return member.team if member else None


def _label(case) -> str:
    group_session = case.group_session
    session = group_session.session
    day = ""
    if session.starts_at:
        day = format_day(
            local(session.starts_at, case.organisation.time_zone).date(), weekday=False
        )
    if day:
        return _("Séance de CODEV du %(day)s — %(group)s") % {
            "day": day,
            "group": group_session.group.name,
        }
    return _("Séance de CODEV — %(group)s") % {"group": group_session.group.name}


def commitment_to_action(*, commitment: Commitment, acting_user) -> Action | None:
    """Create or correct the action of ``commitment`` in the client team's plan (inside
    the caller's transaction)."""
    case = commitment.case
    team = _client_team(case)
    if team is None:
        return None
    plan = plan_stages.team_plan(team=team)
    return plan_actions.action_from_source(
        plan=plan,
        acting_user=acting_user,
        source=Action.Source.CODEV,
        source_id=commitment.pk,
        source_label=_label(case),
        title=commitment.what,
        owner=commitment.owner,
        due_on=commitment.due_on,
        description=_("Question posée au groupe : %(question)s") % {"question": case.question},
    )


def forget_commitment(*, commitment_id: int, acting_user) -> None:
    """The commitment is removed: so is its action, unless someone followed it up in
    the plan (then it stays, with its history, as an action of the team)."""
    action = (
        Action.objects.filter(source=Action.Source.CODEV, source_id=commitment_id)
        .select_related("plan")
        .first()
    )
    if action is None:
        return
    if action.updates.count() > 1:
        return
    plan_actions.delete_action(action=action, acting_user=acting_user)


def follow_up_to_actions(*, statuses: dict[int, str], acting_user, note: str) -> None:
    """The client's follow-up answer closes (or reopens) the actions of its commitments."""
    for commitment_id, status in statuses.items():
        plan_actions.close_from_source(
            source=Action.Source.CODEV,
            source_id=commitment_id,
            status=FOLLOW_UP_STATUS[status],
            acting_user=acting_user,
            note=note,
        )


def actions_of(commitments) -> dict[int, Action]:
    """{commitment id: its action} in one query (the team page and the séance)."""
    ids = [commitment.pk for commitment in commitments]
    if not ids:
        return {}
    actions = Action.objects.filter(source=Action.Source.CODEV, source_id__in=ids).select_related(
        "plan"
    )
    return {action.source_id: action for action in actions}


def group_plan(*, group: Group, acting_user) -> ActionPlan:
    """The working group's plan, created (named after the group) the first time."""
    if group.plan_id:
        return group.plan
    plan = plan_stages.create_plan(
        programme=group.programme,
        kind=ActionPlan.Kind.GROUP,
        title=group.name,
        acting_user=acting_user,
    )
    Group.objects.filter(pk=group.pk).update(plan=plan)
    group.plan = plan
    return plan
