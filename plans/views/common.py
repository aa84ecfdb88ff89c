"""A programme's group and common plans: creating one, and the common plan's entries
(actions chosen among the teams' and groups' plans, each with a priority and a lead).

An entry points at the action itself: its status and progress are the team's, so an
update shows on both sides. The common plan's page is ``plans:plan_detail``; it
includes ``common_plan_section`` for a plan of kind « common ». Everything here but
that section is for coordinators (``plans.access.can_manage``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours.forms import add_service_errors

from ..access import can_manage, get_plan_for_user_or_404, get_programme_or_404
from ..models import Action, ActionPlan, CommonPlanEntry
from ..overview import plan_label
from ..overview_forms import EntryAddForm, EntryForm, PlanCreateForm
from ..services import common as services
from ..services import stages as stage_services
from .overview import today_in

MANAGE = "parcours.manage_programme"


def _plan_url(organisation, plan):
    return redirect("plans:plan_detail", organisation.slug, plan.programme_id, plan.pk)


def _managed_common_plan(request, organisation, programme_id, plan_id) -> ActionPlan:
    """The common plan, for a coordinator; 404 for anyone else or another kind of plan."""
    if not can_manage(request.user, organisation):
        raise Http404
    programme = get_programme_or_404(request.user, organisation, programme_id)
    plan = get_plan_for_user_or_404(request.user, organisation, programme, plan_id)
    if plan.kind != ActionPlan.Kind.COMMON:
        raise Http404
    return plan


def _entry_or_404(organisation, plan, entry_id) -> CommonPlanEntry:
    entry = get_object_or_404(
        CommonPlanEntry.objects.select_related("action__plan__team"),
        organisation=organisation,
        common_plan=plan,
        pk=entry_id,
    )
    entry.common_plan = plan
    return entry


@organisation_view(MANAGE)
def plan_create(request, organisation, programme_id: int):
    """« Nouveau plan commun »: a cohort's common plan or a working group's plan."""
    if not can_manage(request.user, organisation):
        raise Http404
    programme = get_programme_or_404(request.user, organisation, programme_id)
    initial = {}
    if request.GET.get("type") in (ActionPlan.Kind.COMMON, ActionPlan.Kind.GROUP):
        initial["kind"] = request.GET["type"]
    form = PlanCreateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = stage_services.create_plan(
                programme=programme,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plan « %(title)s » créé.") % {"title": plan.title})
            return _plan_url(organisation, plan)
    return render(request, "plans/plan_form.html", {"programme": programme, "form": form})


def choosable_actions(programme):
    """The actions a common plan can gather: those of the programme's teams and groups,
    by plan (one query)."""
    return (
        Action.objects.filter(
            plan__programme=programme, plan__kind__in=(ActionPlan.Kind.TEAM, ActionPlan.Kind.GROUP)
        )
        .select_related("plan__team")
        .order_by("plan__kind", "plan__team__name", "plan__title", "plan_id", "title", "pk")
    )


def _group_of(action) -> str:
    if action.plan.kind == ActionPlan.Kind.GROUP:
        return _("Groupe : %(name)s") % {"name": plan_label(action.plan)}
    return _("Équipe : %(name)s") % {"name": plan_label(action.plan)}


@organisation_view(MANAGE)
def entry_add(request, organisation, programme_id: int, plan_id: int):
    """Add an action of a team or a group to the common plan, with its priority and lead."""
    plan = _managed_common_plan(request, organisation, programme_id, plan_id)
    actions = list(choosable_actions(plan.programme))
    form = EntryAddForm(
        request.POST if request.method == "POST" else None, actions=actions, group_of=_group_of
    )
    if request.method == "POST" and form.is_valid():
        action = form.chosen()
        try:
            services.add_to_common_plan(
                common_plan=plan,
                action=action,
                priority=form.cleaned_data["priority"],
                lead=form.cleaned_data["lead"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("« %(title)s » ajoutée au plan commun.") % {"title": action.title}
            )
            return _plan_url(organisation, plan)
    return render(
        request,
        "plans/entry_form.html",
        {"programme": plan.programme, "plan": plan, "form": form, "entry": None},
    )


@organisation_view(MANAGE)
def entry_edit(request, organisation, programme_id: int, plan_id: int, entry_id: int):
    plan = _managed_common_plan(request, organisation, programme_id, plan_id)
    entry = _entry_or_404(organisation, plan, entry_id)
    form = EntryForm(
        request.POST if request.method == "POST" else None,
        initial={"priority": entry.priority, "lead": entry.lead},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_common_entry(
                entry=entry,
                priority=form.cleaned_data["priority"],
                lead=form.cleaned_data["lead"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action du plan commun modifiée."))
            return _plan_url(organisation, plan)
    return render(
        request,
        "plans/entry_form.html",
        {"programme": plan.programme, "plan": plan, "form": form, "entry": entry},
    )


@organisation_view(MANAGE)
@require_POST
def entry_remove(request, organisation, programme_id: int, plan_id: int, entry_id: int):
    """Take an action out of the common plan (the action stays in its team's plan)."""
    plan = _managed_common_plan(request, organisation, programme_id, plan_id)
    entry = _entry_or_404(organisation, plan, entry_id)
    title = entry.action.title
    services.remove_from_common_plan(entry=entry, acting_user=request.user)
    messages.success(
        request,
        _("« %(title)s » retirée du plan commun (elle reste dans son plan d'origine).")
        % {"title": title},
    )
    return _plan_url(organisation, plan)


def common_plan_context(request, organisation, plan: ActionPlan) -> dict:
    """The common plan's entries (one query): each action's origin, status (late or
    not), progress, deadline, priority and lead, and the coordinator's tools."""
    today = today_in(organisation)
    entries = list(
        CommonPlanEntry.objects.filter(common_plan=plan)
        .select_related("action__plan__team", "action__owner")
        .order_by("priority", "action__due_on", "pk")
    )
    rows = []
    for entry in entries:
        action = entry.action
        rows.append(
            {
                "entry": entry,
                "action": action,
                "origin": _group_of(action),
                "late": action.is_late(today),
            }
        )
    return {
        "plan": plan,
        "programme": plan.programme,
        "entry_rows": rows,
        "manage_entries": can_manage(request.user, organisation),
    }


def common_plan_section(request, organisation, plan: ActionPlan) -> SafeString:
    """The common plan's entries as an HTML fragment, for ``plans:plan_detail`` to
    include when the plan's kind is « common »."""
    return render_to_string(
        "plans/common_plan.html",
        common_plan_context(request, organisation, plan),
        request=request,
    )
