"""A plan's PDF (ACTION_PLAN): the team (or group, or common plan) and its programme,
each of the three stages as last written (the latest submitted version, with its state,
else the draft), and the actions with their owner, dates, status (« en retard »
included) and progress; for a common plan, its entries with their origin, priority and
lead.

It reads plans (a layer below); plans knows nothing of it: the plan's page links to
``documents:action_plan_request``."""

from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from documents.builders import BuildError, Built
from documents.filenames import ascii_filename
from documents.models import Document
from documents.queue import temporary_path
from plans.models import Action, ActionPlan, CommonPlanEntry, Stage, StageVersion
from sillon.formatting import format_day, local
from sillon.pdf import html_to_pdf
from sillon.richtext import render_markdown

TEMPLATE = "documents/pdf/action_plan.html"
PDF = "application/pdf"


def _day(day) -> str:
    return format_day(day, weekday=False) if day else "—"


def _plan_name(plan: ActionPlan) -> str:
    if plan.kind == ActionPlan.Kind.TEAM and plan.team_id:
        return plan.team.name
    return plan.title or str(plan.get_kind_display())


def _status(action: Action, today) -> str:
    label = str(action.get_status_display())
    if action.is_late(today):
        return _("%(status)s, en retard") % {"status": label}
    return label


def _stages(plan: ActionPlan, zone) -> list[dict]:
    """Each stage as last written: the latest submitted version, else the draft."""
    newer = StageVersion.objects.filter(
        plan=OuterRef("plan"), stage=OuterRef("stage"), number__gt=OuterRef("number")
    )
    latest = {
        version.stage: version
        for version in StageVersion.objects.filter(plan=plan)
        .annotate(has_newer=Exists(newer))
        .filter(has_newer=False)
    }
    stages = []
    for stage, label in Stage.choices:
        version = latest.get(stage)
        if version is None:
            state = _("non commencée")
        elif version.number == 0:
            state = _("brouillon, pas encore soumis")
        else:
            moment = version.reviewed_at or version.submitted_at
            state = _("version %(number)s, %(status)s le %(day)s") % {
                "number": version.number,
                "status": version.get_status_display().lower(),
                "day": _day(local(moment, zone).date()) if moment else "—",
            }
        body = version.body if version is not None else ""
        stages.append(
            {
                "label": label,
                "state": state,
                "body": mark_safe(render_markdown(body)) if body.strip() else "",  # sanitised
            }
        )
    return stages


def _action_row(action: Action, today, origin: str = "") -> dict:
    return {
        "title": action.title,
        "objective": action.objective,
        "origin": origin,
        "owner": action.owner_display or "—",
        "starts_on": _day(action.starts_on),
        "due_on": _day(action.due_on),
        "status": _status(action, today),
        "late": action.is_late(today),
        "progress": action.progress,
    }


def plan_context(plan: ActionPlan) -> dict:
    organisation = plan.organisation
    zone = ZoneInfo(organisation.time_zone)
    today = timezone.now().astimezone(zone).date()
    context = {
        "organisation": organisation,
        "plan": plan,
        "name": _plan_name(plan),
        "programme": plan.programme,
        "kind": plan.get_kind_display(),
        "made_on": _day(today),
        "touched_on": _day(local(plan.touched_at, zone).date()) if plan.touched_at else "",
        "stages": [],
        "actions": [],
        "entries": [],
    }
    if plan.kind == ActionPlan.Kind.COMMON:
        entries = (
            CommonPlanEntry.objects.filter(common_plan=plan)
            .select_related("action__plan__team", "action__owner")
            .order_by("priority", "action__due_on", "pk")
        )
        context["entries"] = [
            {
                **_action_row(entry.action, today, _plan_name(entry.action.plan)),
                "priority": entry.get_priority_display(),
                "lead": entry.lead or "—",
            }
            for entry in entries
        ]
        return context
    context["stages"] = _stages(plan, zone)
    actions = Action.objects.filter(plan=plan).select_related("owner").order_by("due_on", "pk")
    context["actions"] = [_action_row(action, today) for action in actions]
    context["late"] = sum(1 for row in context["actions"] if row["late"])
    return context


def build_action_plan(document: Document, progress) -> Built:
    if document.plan_id is None:
        raise BuildError(_("Ce document ne désigne aucun plan d'action."))
    plan = (
        ActionPlan.objects.select_related("team", "programme", "organisation")
        .filter(pk=document.plan_id)
        .first()
    )
    if plan is None:
        raise BuildError(_("Ce plan d'action n'existe plus."))
    progress(0, 2)
    context = plan_context(plan)
    progress(1, 2)
    content = html_to_pdf(render_to_string(TEMPLATE, context))
    progress(2, 2)
    path = temporary_path(document, ".pdf")
    path.write_bytes(content)
    prefix = _("Plan d'action")
    filename = ascii_filename(f"{prefix} - {context['name']}", "pdf", fallback=prefix)
    return Built(path=path, filename=filename, content_type=PDF)
