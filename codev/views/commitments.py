"""The client's commitments after a CODEV séance: what, who, by when. The client, the
séance's facilitator, the group's facilitators and the coordinators add, correct and
remove them (``codev.seance_access.can_write_commitments``); the others of the group get
403, anyone else 404. Plain forms, working without JavaScript."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from codev.models import Commitment
from codev.seance_access import check_commitment_writer, get_seance_for_user_or_404
from codev.seance_forms import CommitmentForm
from codev.services import cases as services
from codev.views.seances import VIEW, seance_case, seance_url
from organisations.access import organisation_view
from organisations.models import Organisation
from parcours.forms import add_service_errors
from parcours.models import TeamMember


def client_people(membership):
    """The people who may carry a commitment of the client: the person, or the team's
    current members."""
    if membership.user_id:
        return User.objects.filter(pk=membership.user_id)
    members = TeamMember.objects.current().filter(team=membership.team_id).values("user_id")
    return User.objects.filter(pk__in=members).order_by("last_name", "first_name", "email")


def _writable_seance(request, organisation, group_session_id):
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    check_commitment_writer(request.user, organisation, group_session)
    return group_session


def _commitment_or_404(group_session, commitment_id: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.select_related("owner", "case"),
        case__group_session=group_session,
        organisation=group_session.organisation_id,
        pk=commitment_id,
    )


def _list_url(organisation, group_session) -> str:
    return seance_url(organisation, group_session, "codev:seance_commitments")


def _context(group_session, **extra) -> dict:
    return {
        "group_session": group_session,
        "group": group_session.group,
        "programme": group_session.group.programme,
        **extra,
    }


def _form_data(form) -> dict:
    data = form.cleaned_data
    return {"what": data["what"], "owner": data["owner"], "due_on": data["due_on"]}


@organisation_view(VIEW)
def commitments(request, organisation: Organisation, group_session_id: int):
    """« Nos engagements » (« Engagements du client » for whoever runs the séance): the
    list, each with « Modifier » and « Supprimer », and a form to add one."""
    group_session = _writable_seance(request, organisation, group_session_id)
    case = seance_case(group_session)
    form = CommitmentForm(request.POST or None, people=client_people(group_session.client))
    if request.method == "POST" and case is None:
        form.add_error(None, _("Préparez d'abord votre cas."))
    elif request.method == "POST" and form.is_valid():
        try:
            services.save_commitment(case=case, acting_user=request.user, **_form_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Engagement enregistré."))
            return redirect(_list_url(organisation, group_session))
    is_client = services.is_client(request.user, group_session.client)
    return render(
        request,
        "codev/seance_commitments.html",
        _context(group_session, case=case, form=form, is_client=is_client),
    )


@organisation_view(VIEW)
def commitment_edit(request, organisation: Organisation, group_session_id: int, commitment_id: int):
    """« Modifier l'engagement »: what, who, by when, with the same rules as adding."""
    group_session = _writable_seance(request, organisation, group_session_id)
    commitment = _commitment_or_404(group_session, commitment_id)
    initial = {"what": commitment.what, "owner": commitment.owner_id, "due_on": commitment.due_on}
    form = CommitmentForm(
        request.POST or None, initial=initial, people=client_people(group_session.client)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_commitment(
                commitment=commitment, acting_user=request.user, **_form_data(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Engagement modifié."))
            return redirect(_list_url(organisation, group_session))
    return render(
        request,
        "codev/seance_commitment_edit.html",
        _context(group_session, case=commitment.case, commitment=commitment, form=form),
    )


@organisation_view(VIEW)
@require_POST
def commitment_delete(
    request, organisation: Organisation, group_session_id: int, commitment_id: int
):
    """« Supprimer »: a form post from the list or the edit page."""
    group_session = _writable_seance(request, organisation, group_session_id)
    commitment = _commitment_or_404(group_session, commitment_id)
    services.delete_commitment(commitment=commitment, acting_user=request.user)
    messages.success(request, _("Engagement « %(what)s » supprimé.") % {"what": commitment.what})
    return redirect(_list_url(organisation, group_session))
