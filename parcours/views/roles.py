"""Coordinator tools for a programme's team roles (list, add, edit, move, delete, start
from a preset), the name given to its teams, and renaming a team. Thin views: a form
parses, a service writes; a change that flips some team's « engagée » state is shown
on a confirmation page, listing those teams, before it is saved."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours import services
from parcours.access import get_programme_for_user_or_404, get_team_or_404, get_team_role_or_404
from parcours.forms import add_service_errors
from parcours.models import Signature, TeamRole
from parcours.role_forms import RolePresetForm, TeamLabelForm, TeamRenameForm, TeamRoleForm

MANAGE = "parcours.manage_programme"


def _programme(request, organisation, programme_id):
    return get_programme_for_user_or_404(request.user, organisation, programme_id)


def _to_roles(programme):
    return redirect("parcours:role_list", programme.organisation.slug, programme.pk)


def _state(engaged: bool) -> str:
    return _("engagée") if engaged else _("en attente")


def _confirm(request, programme, form, changes, *, action_url, title, deleting=False):
    """The confirmation page: which teams change state, and the form's values kept in
    hidden fields to submit again with ``confirmed``."""
    rows = [
        {
            "team": change.team,
            "before": _state(change.before),
            "after": _state(change.after),
            "unengaged": change.before and not change.after,
        }
        for change in changes
    ]
    return render(
        request,
        "parcours/manage/role_confirm.html",
        {
            "programme": programme,
            "form": form,
            "changes": rows,
            "action_url": action_url,
            "title": title,
            "deleting": deleting,
        },
    )


def _save_role(request, form, programme, *, action_url):
    """Save a valid ``form``'s role, or return the confirmation page (None: errors are
    on the form). Returns a response when the page moves on."""
    if not form.is_valid():
        return None
    role = form.instance
    role.programme = programme
    confirmed = request.POST.get("confirmed") == "1"
    changes = services.role_change_effects(role=role)
    if changes and not confirmed:
        return _confirm(
            request,
            programme,
            form,
            changes,
            action_url=action_url,
            title=_("Confirmer le changement du rôle « %(name)s »") % {"name": role.name},
        )
    try:
        services.save_team_role(role=role, acting_user=request.user, confirmed=confirmed)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _("Rôle « %(name)s » enregistré.") % {"name": role.name})
    return _to_roles(programme)


def _role_page(request, organisation, programme, *, form=None, label_form=None, preset_form=None):
    roles = TeamRole.objects.filter(programme=programme).annotate(
        member_count=Count("members", filter=Q(members__left_at__isnull=True))
    )
    roles = list(roles.order_by("order", "name", "pk"))
    if form is None:
        form = TeamRoleForm(instance=TeamRole(programme=programme), initial={"order": len(roles)})
    return render(
        request,
        "parcours/manage/role_list.html",
        {
            "programme": programme,
            "roles": roles,
            "form": form,
            "label_form": label_form or TeamLabelForm(instance=programme),
            "preset_form": preset_form or RolePresetForm(),
            "has_signatures": Signature.objects.filter(text__programme=programme).exists(),
        },
    )


@organisation_view(MANAGE)
def role_list(request, organisation, programme_id):
    """The roles of the programme's teams, and adding one."""
    programme = _programme(request, organisation, programme_id)
    form = None
    if request.method == "POST":
        form = TeamRoleForm(request.POST, instance=TeamRole(programme=programme))
        response = _save_role(request, form, programme, action_url=request.path)
        if response is not None:
            return response
    return _role_page(request, organisation, programme, form=form)


@organisation_view(MANAGE)
def role_edit(request, organisation, programme_id, role_id):
    programme = _programme(request, organisation, programme_id)
    role = get_team_role_or_404(organisation, programme, role_id)
    name = role.name
    form = TeamRoleForm(request.POST or None, instance=role)
    if request.method == "POST":
        response = _save_role(request, form, programme, action_url=request.path)
        if response is not None:
            return response
    return render(
        request,
        "parcours/manage/role_edit.html",
        {"programme": programme, "role_name": name, "form": form},
    )


@organisation_view(MANAGE)
@require_POST
def role_delete(request, organisation, programme_id, role_id):
    programme = _programme(request, organisation, programme_id)
    role = get_team_role_or_404(organisation, programme, role_id)
    confirmed = request.POST.get("confirmed") == "1"
    try:
        changes = services.role_change_effects(role=role, deleting=True)
        if changes and not confirmed:
            return _confirm(
                request,
                programme,
                None,
                changes,
                action_url=request.path,
                title=_("Confirmer la suppression du rôle « %(name)s »") % {"name": role.name},
                deleting=True,
            )
        services.delete_team_role(role=role, acting_user=request.user, confirmed=confirmed)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rôle « %(name)s » supprimé.") % {"name": role.name})
    return _to_roles(programme)


@organisation_view(MANAGE)
@require_POST
def role_move(request, organisation, programme_id, role_id):
    programme = _programme(request, organisation, programme_id)
    role = get_team_role_or_404(organisation, programme, role_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.move_team_role(role=role, acting_user=request.user, step=step)
    return _to_roles(programme)


@organisation_view(MANAGE)
@require_POST
def role_preset(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    form = RolePresetForm(request.POST)
    if form.is_valid():
        try:
            services.apply_team_role_preset(
                programme=programme, acting_user=request.user, preset=form.cleaned_data["preset"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Les rôles du modèle remplacent les rôles du programme."))
            return _to_roles(programme)
    return _role_page(request, organisation, programme, preset_form=form)


@organisation_view(MANAGE)
@require_POST
def team_label(request, organisation, programme_id):
    programme = _programme(request, organisation, programme_id)
    form = TeamLabelForm(request.POST, instance=programme)
    if form.is_valid():
        try:
            services.update_programme(
                programme=form.instance,
                acting_user=request.user,
                changed_fields=list(form.changed_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Nom des équipes enregistré."))
            return _to_roles(programme)
    programme = _programme(request, organisation, programme_id)
    return _role_page(request, organisation, programme, label_form=form)


@organisation_view(MANAGE)
def team_rename(request, organisation, programme_id, team_id):
    """Rename a team (its territory, members and history stay)."""
    programme = _programme(request, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    form = TeamRenameForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            renamed = services.rename_team(
                team=team, acting_user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Nouveau nom enregistré : « %(name)s ».") % {"name": renamed.name}
            )
            return redirect("parcours:team_detail", organisation.slug, programme.pk, team.pk)
    return render(
        request,
        "parcours/manage/team_rename.html",
        {"programme": programme, "team": team, "form": form},
    )
