"""What the plans hold about a person, for « Télécharger mes données », and what
happens to it when the account is deleted.

Exported: the actions the person owns (« pilote »), the updates they wrote (the history
of the actions), the stage versions they wrote (drafts and submitted versions) and their
comments on versions.

Deletion: nothing here blocks it. A plan belongs to its team, not to the person: every
link to the account is ``SET_NULL``, so the actions, updates, versions and comments stay
with the team's plan, without the person's name (an action they owned is left without
an owner, for the team to give it another). No receiver of
``accounts.deletion_blockers`` is needed.

The receiver is connected when ``plans.extensions`` imports this module.
"""

from django.dispatch import receiver
from django_scopes import scopes_disabled

from accounts.extensions import personal_data

from .models import Action, ActionUpdate, StageComment, StageVersion


def _plan_name(plan) -> str:
    return plan.team.name if plan.team_id else str(plan)


def export_for_user(user) -> dict:
    # The filters are on the person themself: reading across organisations is the point.
    with scopes_disabled():
        owned = Action.objects.filter(owner=user).select_related(
            "organisation", "plan__team", "plan__programme"
        )
        updates = ActionUpdate.objects.filter(author=user).select_related(
            "organisation", "action__plan__team"
        )
        versions = StageVersion.objects.filter(written_by=user).select_related(
            "organisation", "plan__team"
        )
        comments = StageComment.objects.filter(author=user).select_related(
            "organisation", "version__plan__team"
        )
        return {
            "actions_pilotées": [
                {
                    "organisation": action.organisation.name,
                    "programme": action.plan.programme.name,
                    "plan": _plan_name(action.plan),
                    "action": action.title,
                    "état": action.get_status_display(),
                    "avancement": action.progress,
                    "échéance": action.due_on.isoformat() if action.due_on else None,
                }
                for action in owned
            ],
            "mises_à_jour_d_actions": [
                {
                    "organisation": update.organisation.name,
                    "plan": _plan_name(update.action.plan),
                    "action": update.action.title,
                    "le": update.created_at.isoformat(),
                    "note": update.note,
                    "avancement": update.progress,
                    "état": update.get_status_display(),
                }
                for update in updates
            ],
            "étapes_rédigées": [
                {
                    "organisation": version.organisation.name,
                    "plan": _plan_name(version.plan),
                    "étape": version.get_stage_display(),
                    "version": version.number or "brouillon",
                    "état": version.get_status_display(),
                    "modifiée_le": version.updated_at.isoformat(),
                    "contenu": version.body,
                }
                for version in versions
            ],
            "commentaires_d_étapes": [
                {
                    "organisation": comment.organisation.name,
                    "plan": _plan_name(comment.version.plan),
                    "version": str(comment.version),
                    "le": comment.created_at.isoformat(),
                    "commentaire": comment.text,
                }
                for comment in comments
            ],
        }


@receiver(personal_data, dispatch_uid="plans.personal_data")
def plans_personal_data(sender, *, user, **kwargs):
    return "plans", export_for_user(user)
