"""Séances of groups: one séance for every group at once, attaching an existing séance
to a group, the rotation of CODEV clients and the roles of one séance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codev.access import get_managed_group_or_404, get_managed_group_session_or_404
from codev.forms import AttachForm, RolesForm, SeriesForm
from codev.models import Group, GroupSession
from codev.services import sessions as services
from organisations.access import organisation_view
from organisations.models import Organisation
from parcours.access import get_programme_for_user_or_404
from parcours.forms import add_service_errors
from parcours.models import Session

MANAGE = "parcours.manage_programme"


def _group_url(organisation, group):
    return redirect("codev:group_detail", organisation.slug, group.pk)


@organisation_view(MANAGE)
def series_create(request, organisation: Organisation, programme_id: int):
    """« Créer une séance pour chaque groupe »."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    groups = Group.objects.filter(programme=programme).order_by("kind", "name")
    initial = {"groups": list(groups.values_list("pk", flat=True)), "format": "visio"}
    form = SeriesForm(request.POST or None, initial=initial, programme=programme, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_series(
                groups=list(form.cleaned_data["groups"]),
                acting_user=request.user,
                purpose=form.cleaned_data["purpose"],
                expected_output=form.cleaned_data["expected_output"],
                **form.session_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(n)s séance(s) créée(s), une par groupe.") % {"n": len(created)}
            )
            return redirect("codev:group_list", organisation.slug, programme.pk)
    return render(request, "codev/series_form.html", {"programme": programme, "form": form})


@organisation_view(MANAGE)
def session_attach(request, organisation: Organisation, group_id: int):
    """« Rattacher une séance existante » of the programme to the group."""
    group = get_managed_group_or_404(request.user, organisation, group_id)
    sessions = (
        Session.objects.filter(programme=group.programme)
        .exclude(status=Session.Status.CANCELLED)
        .exclude(pk__in=GroupSession.objects.values("session_id"))
        .order_by("starts_at", "title")
    )
    form = AttachForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_session(
                group=group,
                session=form.cleaned_data["session"],
                acting_user=request.user,
                purpose=form.cleaned_data["purpose"],
                expected_output=form.cleaned_data["expected_output"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Séance rattachée au groupe."))
            return _group_url(organisation, group)
    return render(
        request,
        "codev/session_attach.html",
        {"group": group, "programme": group.programme, "form": form},
    )


@organisation_view(MANAGE)
@require_POST
def rotation_apply(request, organisation: Organisation, group_id: int):
    group = get_managed_group_or_404(request.user, organisation, group_id)
    try:
        count = services.apply_rotation(group=group, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Client désigné pour %(n)s séance(s).") % {"n": count})
    return _group_url(organisation, group)


@organisation_view(MANAGE)
def seance_roles(request, organisation: Organisation, group_session_id: int):
    """The client, facilitator and timekeeper of one séance."""
    group_session = get_managed_group_session_or_404(request.user, organisation, group_session_id)
    group = group_session.group
    initial = {
        "client": group_session.client_id,
        "facilitator": group_session.facilitator_id,
        "timekeeper": group_session.timekeeper_id,
    }
    form = RolesForm(request.POST or None, initial=initial, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_roles(
                group_session=group_session,
                client=form.cleaned_data["client"],
                facilitator=form.cleaned_data["facilitator"],
                timekeeper=form.cleaned_data["timekeeper"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rôles de la séance enregistrés."))
            return _group_url(organisation, group)
    return render(
        request,
        "codev/seance_roles.html",
        {
            "group": group,
            "programme": group.programme,
            "group_session": group_session,
            "form": form,
            "is_codev": group.kind == "codev",
        },
    )
