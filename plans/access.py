"""Who reads and who writes a plan, and finding one for the person asking, or 404.

- A **team's plan**: its current members, the coordinators and the trainers write it;
  observers read it; other teams never see it (404).
- A **group's plan** and the **common plan**: the coordinators and the trainers write
  them; observers read them. (The group's own pages in ``codev`` show its plan to its
  members through ``plans.selectors``.)
- Reviewing a submitted stage (comment, « validé », « à reprendre ») is for the
  coordinators and the trainers.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.models import Programme, TeamMember
from parcours.selectors import programmes_visible_to

from .models import Action, ActionPlan

STAFF_WRITERS = (Role.COORDINATOR, Role.TRAINER)
STAFF_READERS = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)


def is_team_member(user, plan: ActionPlan) -> bool:
    if plan.team_id is None or not getattr(user, "is_authenticated", False):
        return False
    return TeamMember.objects.current().filter(team=plan.team_id, user=user).exists()


def can_read(user, organisation: Organisation, plan: ActionPlan, role=None) -> bool:
    role = role if role is not None else role_in(user, organisation)
    if role in STAFF_READERS:
        return True
    return is_team_member(user, plan)


def can_write(user, organisation: Organisation, plan: ActionPlan, role=None) -> bool:
    role = role if role is not None else role_in(user, organisation)
    if role in STAFF_WRITERS:
        return True
    return plan.kind == ActionPlan.Kind.TEAM and is_team_member(user, plan)


def can_review(user, organisation: Organisation, role=None) -> bool:
    role = role if role is not None else role_in(user, organisation)
    return role in STAFF_WRITERS


def can_manage(user, organisation: Organisation) -> bool:
    """Coordinators: templates, the common plan, follow-up séances, the overview's
    exports."""
    return user.has_perm("parcours.manage_programme", organisation)


def get_programme_or_404(user, organisation: Organisation, programme_id: int) -> Programme:
    return get_object_or_404(programmes_visible_to(user, organisation), pk=programme_id)


def get_plan_for_user_or_404(
    user, organisation: Organisation, programme: Programme, plan_id: int
) -> ActionPlan:
    """A plan of ``programme`` the user may read."""
    plan = get_object_or_404(
        ActionPlan.objects.select_related("team__cohort", "programme"),
        organisation=organisation,
        programme=programme,
        pk=plan_id,
    )
    if not can_read(user, organisation, plan):
        raise Http404
    return plan


def get_writable_plan_or_404(
    user, organisation: Organisation, programme: Programme, plan_id: int
) -> ActionPlan:
    plan = get_plan_for_user_or_404(user, organisation, programme, plan_id)
    if not can_write(user, organisation, plan):
        raise Http404
    return plan


def get_action_or_404(organisation: Organisation, plan: ActionPlan, action_id: int) -> Action:
    action = get_object_or_404(
        Action.objects.select_related("owner"),
        organisation=organisation,
        plan=plan,
        pk=action_id,
    )
    action.plan = plan
    return action
