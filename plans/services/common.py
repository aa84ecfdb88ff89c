"""A cohort's common plan (seed 002), and the séances where plans are followed up.

The common plan gathers chosen actions of several teams or groups, each with a priority
and a lead. An entry points at the action itself: an update of the action shows in the
team's plan and in the common plan alike.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.services import record
from parcours.models import Session

from ..actions import Audited
from ..models import Action, ActionPlan, CommonPlanEntry, FollowUpSession
from .stages import touch


def _check_priority(priority) -> None:
    if priority not in CommonPlanEntry.Priority.values:
        raise ValidationError({"priority": [_("Choisissez une priorité.")]})


@transaction.atomic
def add_to_common_plan(
    *, common_plan: ActionPlan, action: Action, priority: int, lead: str, acting_user
) -> CommonPlanEntry:
    if common_plan.kind != ActionPlan.Kind.COMMON:
        raise ValidationError(_("Ce plan n'est pas un plan commun."))
    if action.plan.programme_id != common_plan.programme_id:
        raise ValidationError(_("Cette action n'appartient pas à ce programme."))
    if action.plan_id == common_plan.pk:
        raise ValidationError(_("Cette action est déjà celle du plan commun."))
    _check_priority(priority)
    if CommonPlanEntry.objects.filter(common_plan=common_plan, action=action).exists():
        raise ValidationError(_("Cette action est déjà dans le plan commun."))
    entry = CommonPlanEntry.objects.create(
        organisation=common_plan.organisation,
        common_plan=common_plan,
        action=action,
        priority=priority,
        lead=lead.strip(),
        added_by=acting_user,
    )
    touch(common_plan)
    record(
        organisation=common_plan.organisation,
        actor=acting_user,
        action=Audited.COMMON_ADDED,
        target=action.title,
        plan=common_plan.pk,
        action_id=action.pk,
    )
    return entry


@transaction.atomic
def change_common_entry(
    *, entry: CommonPlanEntry, priority: int, lead: str, acting_user
) -> CommonPlanEntry:
    _check_priority(priority)
    entry.priority = priority
    entry.lead = lead.strip()
    entry.save(update_fields=["priority", "lead"])
    touch(entry.common_plan)
    record(
        organisation=entry.organisation,
        actor=acting_user,
        action=Audited.COMMON_CHANGED,
        target=str(entry.action),
        plan=entry.common_plan_id,
        action_id=entry.action_id,
    )
    return entry


@transaction.atomic
def remove_from_common_plan(*, entry: CommonPlanEntry, acting_user) -> None:
    plan, title, action_id = entry.common_plan, str(entry.action), entry.action_id
    entry.delete()
    touch(plan)
    record(
        organisation=plan.organisation,
        actor=acting_user,
        action=Audited.COMMON_REMOVED,
        target=title,
        plan=plan.pk,
        action_id=action_id,
    )


@transaction.atomic
def mark_follow_up(*, session: Session, follow_up: bool, acting_user) -> bool:
    """Say whether ``session`` is a follow-up of the plans: before it, its teams are
    asked to update their plan (``plans.reminders``). Returns whether it changed."""
    existing = FollowUpSession.objects.filter(session=session).first()
    if follow_up == (existing is not None):
        return False
    if follow_up:
        FollowUpSession.objects.create(
            organisation=session.organisation, session=session, marked_by=acting_user
        )
    else:
        existing.delete()
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=Audited.FOLLOW_UP_MARKED,
        target=session.title,
        session=session.pk,
        follow_up=follow_up,
    )
    return True
