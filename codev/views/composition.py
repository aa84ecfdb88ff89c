"""« Proposer des groupes »: Sillon proposes a composition (balanced groups of N teams,
or one group per team role), the coordinator adjusts it with one select per team or
person, then creates the groups in one go."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from codev.forms import NO_GROUP, ProposalForm, ProposeForm
from codev.services import groups as services
from organisations.access import organisation_view
from organisations.models import Organisation
from parcours.access import get_programme_for_user_or_404
from parcours.forms import add_service_errors

MANAGE = "parcours.manage_programme"


def _teams(programme):
    return list(
        services.programme_teams(programme)
        .select_related("territory__parent__parent")
        .order_by("name")
    )


def _people(programme):
    return list(services.programme_people(programme).order_by("last_name", "first_name", "email"))


def _proposal_form(programme, kind, proposed):
    """The adjustable form, filled with Sillon's proposal."""
    teams = [team for group in proposed for team in group.teams]
    people = [user for group in proposed for user in group.people]
    initial = {"kind": kind, "count": len(proposed)}
    for index, group in enumerate(proposed):
        initial[f"name_{index}"] = group.name
        for team in group.teams:
            initial[f"team_{team.pk}"] = str(index)
        for user in group.people:
            initial[f"person_{user.pk}"] = str(index)
    return ProposalForm(initial=initial, teams=teams, people=people, count=len(proposed))


@organisation_view(MANAGE)
def group_propose(request, organisation: Organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    context = {"programme": programme}
    if request.method == "POST" and "create" in request.POST:
        return _create(request, organisation, programme)
    form = ProposeForm(request.POST or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["method"] == "balanced":
                proposed = services.propose_balanced(
                    _teams(programme),
                    size=data["size"],
                    prefix=data["prefix"].strip() or _("Groupe"),
                )
            else:
                proposed = services.propose_by_role(programme)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not proposed:
                form.add_error(
                    None,
                    _("Rien à proposer : le programme n'a pas encore d'équipe.")
                    if data["method"] == "balanced"
                    else _("Rien à proposer : aucun membre d'équipe n'a de rôle."),
                )
            else:
                context["proposal"] = _proposal_form(programme, data["kind"], proposed)
    return render(request, "codev/group_propose.html", context)


def _create(request, organisation, programme):
    try:
        count = max(1, min(100, int(request.POST.get("count", "1"))))
    except ValueError:
        count = 1
    teams = _teams(programme)
    people = _people(programme)
    # Only the teams and people the proposal listed come back with a select.
    teams = [team for team in teams if f"team_{team.pk}" in request.POST]
    people = [user for user in people if f"person_{user.pk}" in request.POST]
    form = ProposalForm(request.POST, teams=teams, people=people, count=count)
    if form.is_valid():
        try:
            created = services.create_groups(
                programme=programme,
                kind=form.cleaned_data["kind"],
                proposed=form.proposed(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if not form.errors:
                form.add_error(None, error)
        else:
            messages.success(request, _("%(n)s groupe(s) créé(s).") % {"n": len(created)})
            return redirect("codev:group_list", organisation.slug, programme.pk)
    return render(
        request,
        "codev/group_propose.html",
        {"programme": programme, "form": ProposeForm(), "proposal": form, "no_group": NO_GROUP},
    )
