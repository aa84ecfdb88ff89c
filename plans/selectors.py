"""Reads of a plan's pages, in a constant number of queries: the plan's actions with
their owner and their last update (and its author), the state of each of its three
stages, an action's history, a stage's versions."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Action, ActionPlan, ActionUpdate, Stage, StageVersion

# The French name of each field an update may change (``ActionUpdate.changes``).
FIELD_LABELS = {
    "title": gettext_lazy("intitulé"),
    "description": gettext_lazy("description"),
    "objective": gettext_lazy("objectif"),
    "targets": gettext_lazy("cibles"),
    "owner": gettext_lazy("pilote"),
    "owner_name": gettext_lazy("pilote partenaire"),
    "partners": gettext_lazy("partenaires"),
    "means": gettext_lazy("moyens"),
    "starts_on": gettext_lazy("début"),
    "due_on": gettext_lazy("échéance"),
    "indicators": gettext_lazy("indicateurs"),
    "progress": gettext_lazy("avancement"),
    "status": gettext_lazy("état"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def plan_actions(plan: ActionPlan, *, status: str | None = None) -> list[Action]:
    """The plan's actions (``status`` filters), each with ``owner`` loaded and
    ``last_update`` (its author loaded) and ``late``: two queries whatever their number."""
    last = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    actions = (
        Action.objects.filter(plan=plan)
        .select_related("owner")
        .annotate(last_update_id=Subquery(last.values("pk")[:1]))
        .order_by("status", "due_on", "pk")
    )
    if status:
        actions = actions.filter(status=status)
    actions = list(actions)
    ids = [action.last_update_id for action in actions if action.last_update_id]
    updates = (
        {u.pk: u for u in ActionUpdate.objects.filter(pk__in=ids).select_related("author")}
        if ids
        else {}
    )
    today = timezone.localdate()
    order = {value: index for index, value in enumerate(Action.Status.values)}
    for action in actions:
        action.plan = plan
        action.last_update = updates.get(action.last_update_id)
        action.late = action.is_late(today)
    actions.sort(key=lambda a: (order[a.status], a.due_on is None, a.due_on, a.pk))
    return actions


def action_history(action: Action) -> list[ActionUpdate]:
    """Every update of the action, newest first, with its author and the changed fields
    named in French (``changed``: [(label, before, after)])."""
    updates = list(
        ActionUpdate.objects.filter(action=action)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
    for update in updates:
        update.changed = describe_changes(update.changes)
    return updates


def describe_changes(changes: dict) -> list[tuple[str, object, object]]:
    statuses = dict(Action.Status.choices)
    rows = []
    for name, value in (changes or {}).items():
        if not isinstance(value, list | tuple) or len(value) != 2:
            continue
        before, after = value
        if name == "status":
            before, after = statuses.get(before, before), statuses.get(after, after)
        if name == "progress":
            before, after = f"{before} %", f"{after} %"
        rows.append((field_label(name), before, after))
    return rows


@dataclass
class StageState:
    """Where one stage of a plan stands."""

    stage: str
    label: str
    has_draft: bool
    last_number: int
    last_status: str
    status_label: str
    css: str


def _status_label(has_draft: bool, number: int, status: str) -> tuple[str, str]:
    if number == 0:
        if has_draft:
            return _("Brouillon"), "secondary"
        return _("Pas commencée"), "light"
    if status == StageVersion.Status.VALIDATED:
        return _("v%(n)s validée") % {"n": number}, "success"
    if status == StageVersion.Status.CHANGES:
        return _("v%(n)s à reprendre") % {"n": number}, "warning"
    return _("v%(n)s soumise") % {"n": number}, "info"


def stage_states(plan: ActionPlan) -> list[StageState]:
    """The three stages, in order, with their state: one query (no text is read)."""
    rows = StageVersion.objects.filter(plan=plan).values_list("stage", "number", "status")
    drafts, last = set(), {}
    for stage, number, status in rows:
        if number == 0:
            drafts.add(stage)
        elif number > last.get(stage, (0, ""))[0]:
            last[stage] = (number, status)
    states = []
    for stage in Stage:
        number, status = last.get(stage.value, (0, ""))
        label, css = _status_label(stage.value in drafts, number, status)
        states.append(
            StageState(
                stage=stage.value,
                label=str(stage.label),
                has_draft=stage.value in drafts,
                last_number=number,
                last_status=status,
                status_label=label,
                css=css,
            )
        )
    return states


def stage_versions(plan: ActionPlan, stage: str) -> list[StageVersion]:
    """The draft and the submitted versions of ``stage``, newest submitted first, with
    their author and reviewer."""
    return list(
        StageVersion.objects.filter(plan=plan, stage=stage)
        .select_related("written_by", "reviewed_by")
        .order_by("-number")
    )
