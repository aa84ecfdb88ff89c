"""A team's plan: the way in from the team, the plan's page (its three stages and its
actions, each with a quick update), an action's page with its history, creating,
changing, reopening and removing an action.

The team's current members, the coordinators and the trainers write; observers read
(no form, and a POST answers 404); anyone else gets 404 (``plans.access``). Every write
goes through ``plans.services``. The quick update works with htmx (the card is swapped)
and without (a plain POST, then back to the plan with a message)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from organisations.access import organisation_view
from organisations.models import Organisation
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404, get_team_or_404
from parcours.forms import add_service_errors
from parcours.models import TeamMember

from .. import access, selectors
from ..forms import ActionEditForm, ActionForm, ActionUpdateForm, ReopenForm
from ..models import Action, ActionPlan
from ..services import actions as services
from ..services import stages as stage_services
from .common import common_plan_section

VIEW = "parcours.view_calendar"


# --- Finding the plan and the action -------------------------------------------------


def load_plan(request, organisation, programme_id: int, plan_id: int, *, write=False):
    """The plan if the user may read it (``write``: write it), else 404; ``plan.writable``
    says whether the user may write it."""
    programme = access.get_programme_or_404(request.user, organisation, programme_id)
    plan = access.get_plan_for_user_or_404(request.user, organisation, programme, plan_id)
    plan.organisation = organisation
    role = role_in(request.user, organisation)
    plan.writable = access.can_write(request.user, organisation, plan, role)
    plan.reviewable = access.can_review(request.user, organisation, role)
    if write and not plan.writable:
        raise Http404
    return plan


def plan_url(organisation, plan, name="plans:plan_detail", *args) -> str:
    return reverse(name, args=[organisation.slug, plan.programme_id, plan.pk, *args])


def action_url(organisation, plan, action, name="plans:action_detail") -> str:
    return plan_url(organisation, plan, name, action.pk)


def team_people(plan: ActionPlan):
    """Who may own an action of the plan: the team's current members."""
    if plan.team_id is None:
        return User.objects.none()
    members = TeamMember.objects.current().filter(team=plan.team_id).values("user_id")
    return User.objects.filter(pk__in=members).order_by("last_name", "first_name", "email")


def _with_last_update(action: Action) -> Action:
    action.last_update = (
        action.updates.select_related("author").order_by("-created_at", "-pk").first()
    )
    action.late = action.is_late()
    return action


def _context(plan, **extra) -> dict:
    return {"plan": plan, "programme": plan.programme, "team": plan.team, **extra}


# --- The team's way in and the plan's page ---------------------------------------------


@organisation_view(VIEW)
def team_plan(request, organisation: Organisation, programme_id: int, team_id: int):
    """« Plan d'action » from the team's page: the team's plan, created the first time."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    role = role_in(request.user, organisation)
    if role not in access.STAFF_READERS and not (
        TeamMember.objects.current().filter(team=team, user=request.user).exists()
    ):
        raise Http404
    plan = stage_services.team_plan(team=team, programme=programme)
    return redirect(plan_url(organisation, plan))


@organisation_view(VIEW)
def plan_detail(request, organisation: Organisation, programme_id: int, plan_id: int):
    """The plan's page, phone first: its stages and their state, its actions as cards
    (owner, deadline, state, « en retard », progress, last update), each with its quick
    update for the plan's writers."""
    plan = load_plan(request, organisation, programme_id, plan_id)
    status = request.GET.get("etat", "")
    if status not in Action.Status.values:
        status = ""
    actions = selectors.plan_actions(plan, status=status or None)
    for action in actions:
        writable = plan.writable and not action.is_closed
        action.form = ActionUpdateForm(action=action) if writable else None
    # A common plan shows the chosen actions of the teams and groups, managed there.
    common_section = ""
    if plan.kind == ActionPlan.Kind.COMMON:
        common_section = common_plan_section(request, organisation, plan)
    return render(
        request,
        "plans/plan_detail.html",
        _context(
            plan,
            states=selectors.stage_states(plan) if plan.kind != ActionPlan.Kind.COMMON else [],
            actions=actions,
            status=status,
            statuses=Action.Status.choices,
            common_section=common_section,
        ),
    )


# --- One action ------------------------------------------------------------------------


def _detail_page(request, organisation, plan, action, *, update_form=None, status=200):
    action = _with_last_update(action)
    if plan.writable and not action.is_closed and update_form is None:
        update_form = ActionUpdateForm(action=action)
    return render(
        request,
        "plans/action_detail.html",
        _context(
            plan,
            action=action,
            history=selectors.action_history(action),
            update_form=update_form if plan.writable and not action.is_closed else None,
            reopen_form=ReopenForm() if plan.writable and action.is_closed else None,
        ),
        status=status,
    )


@organisation_view(VIEW)
def action_detail(
    request, organisation: Organisation, programme_id: int, plan_id: int, action_id: int
):
    """An action in full, with its history: who changed what, when."""
    plan = load_plan(request, organisation, programme_id, plan_id)
    action = access.get_action_or_404(organisation, plan, action_id)
    return _detail_page(request, organisation, plan, action)


@organisation_view(VIEW)
def action_create(request, organisation: Organisation, programme_id: int, plan_id: int):
    plan = load_plan(request, organisation, programme_id, plan_id, write=True)
    form = ActionForm(request.POST or None, people=team_people(plan))
    if request.method == "POST" and form.is_valid():
        try:
            action = services.create_action(plan=plan, acting_user=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action « %(title)s » ajoutée.") % {"title": action.title})
            return redirect(plan_url(organisation, plan))
    return render(request, "plans/action_form.html", _context(plan, form=form, action=None))


def _current_values(action: Action) -> list[tuple[str, object]]:
    """The fields of the action as they are now, named in French."""
    rows = []
    for name in services.EDITABLE:
        value = action.owner_display if name == "owner" else getattr(action, name)
        if name == "owner_name":
            continue
        rows.append((selectors.field_label(name), value))
    return rows


@organisation_view(VIEW)
def action_edit(
    request, organisation: Organisation, programme_id: int, plan_id: int, action_id: int
):
    """« Modifier l'action »: the form carries the version it was opened on; a change
    saved meanwhile by someone else is shown next to the person's own input, kept."""
    plan = load_plan(request, organisation, programme_id, plan_id, write=True)
    action = access.get_action_or_404(organisation, plan, action_id)
    people = team_people(plan)
    initial = {name: getattr(action, name) for name in services.EDITABLE if name != "owner"}
    initial.update(owner=action.owner_id, version=action.version)
    form = ActionEditForm(request.POST or None, initial=initial, people=people)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            action = services.change_action(
                action=action,
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                **form.values(),
            )
        except services.StaleAction as stale:
            current = stale.current
            data = request.POST.copy()
            data["version"] = current.version
            form = ActionEditForm(data, initial=initial, people=people)
            form.is_valid()
            since = stale.since
            for update in since:
                update.changed = selectors.describe_changes(update.changes)
            conflict = {
                "message": stale.messages[0],
                "current": current,
                "values": _current_values(current),
                "since": since,
            }
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action modifiée."))
            return redirect(action_url(organisation, plan, action))
    return render(
        request,
        "plans/action_form.html",
        _context(plan, form=form, action=action, conflict=conflict),
        status=409 if conflict else 200,
    )


def _card(request, plan, action, form=None):
    action = _with_last_update(action)
    if form is None and not action.is_closed:
        form = ActionUpdateForm(action=action)
    action.form = form if not action.is_closed else None
    return render(
        request, "plans/partials/action_card.html", _context(plan, action=action, swapped=True)
    )


@organisation_view(VIEW)
@require_POST
def action_update(
    request, organisation: Organisation, programme_id: int, plan_id: int, action_id: int
):
    """The quick update (progress, state, note): the card again under htmx, else back to
    the plan with a message; refused input stays next to its field."""
    plan = load_plan(request, organisation, programme_id, plan_id, write=True)
    action = access.get_action_or_404(organisation, plan, action_id)
    form = ActionUpdateForm(request.POST, action=action)
    if form.is_valid():
        try:
            services.post_update(
                action=action,
                acting_user=request.user,
                progress=form.cleaned_data["progress"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            action.refresh_from_db()
            if request.htmx:
                return _card(request, plan, action)
            messages.success(request, _("« %(title)s » mise à jour.") % {"title": action.title})
            return redirect(plan_url(organisation, plan) + f"#action-{action.pk}")
    action.refresh_from_db()
    if request.htmx:
        return _card(request, plan, action, form=form)
    return _detail_page(request, organisation, plan, action, update_form=form, status=400)


@organisation_view(VIEW)
@require_POST
def action_reopen(
    request, organisation: Organisation, programme_id: int, plan_id: int, action_id: int
):
    plan = load_plan(request, organisation, programme_id, plan_id, write=True)
    action = access.get_action_or_404(organisation, plan, action_id)
    form = ReopenForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.reopen_action(action=action, acting_user=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Action rouverte : elle est de nouveau en cours."))
    return redirect(action_url(organisation, plan, action))


@organisation_view(VIEW)
def action_delete(
    request, organisation: Organisation, programme_id: int, plan_id: int, action_id: int
):
    """« Supprimer »: a confirmation page, then the removal (for an action entered by
    mistake; one followed for a while is better abandoned)."""
    plan = load_plan(request, organisation, programme_id, plan_id, write=True)
    action = access.get_action_or_404(organisation, plan, action_id)
    if request.method == "POST":
        services.delete_action(action=action, acting_user=request.user)
        messages.success(request, _("Action « %(title)s » supprimée.") % {"title": action.title})
        return redirect(plan_url(organisation, plan))
    return render(request, "plans/action_delete.html", _context(plan, action=action))
