"""The programme's « Groupes » tab, a group's page, creating and editing a group, its
members and moving one of them to another group."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codev.access import can_manage, get_group_for_user_or_404, get_managed_group_or_404
from codev.forms import GroupForm, MembersForm, MoveForm
from codev.models import Case, Commitment, Group, GroupKind, GroupMembership, GroupSession
from codev.selectors import group_memberships, group_sessions, groups_visible_to
from codev.services import groups as services
from codev.services.sessions import propose_rotation
from codev.views.common import (
    is_to_come,
    membership_period,
    seance_url_maker,
    session_url_maker,
)
from organisations.access import organisation_view
from organisations.models import Organisation
from parcours.access import get_programme_for_user_or_404
from parcours.forms import add_service_errors
from parcours.views.calendar import programme_context
from sillon.formatting import format_session_when

VIEW = "parcours.view_calendar"


def _group_url(organisation, group) -> str:
    from django.urls import reverse

    return reverse("codev:group_detail", args=[organisation.slug, group.pk])


def _next_sessions_prefetch(now):
    return Prefetch(
        "group_sessions",
        queryset=GroupSession.objects.select_related("session")
        .exclude(session__status="cancelled")
        .filter(session__starts_at__gte=now)
        .order_by("session__starts_at", "pk"),
        to_attr="upcoming",
    )


@organisation_view(VIEW)
def group_list(request, organisation: Organisation, programme_id: int):
    """« Groupes »: the programme's groups by kind, with their members, facilitators and
    next séance."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    visible = (
        groups_visible_to(request.user, organisation)
        .filter(programme=programme)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.current().select_related("team", "user"),
                to_attr="current",
            ),
            "facilitators",
            _next_sessions_prefetch(timezone.now()),
        )
        .order_by("kind", "name", "pk")
    )
    groups = list(visible)
    manage = can_manage(request.user, organisation)
    if not groups and not manage and not _staff_reads(request, organisation):
        raise Http404
    session_url = session_url_maker(organisation)
    by_kind = []
    for kind, label in GroupKind.choices:
        rows = []
        for group in groups:
            if group.kind != kind:
                continue
            upcoming = group.upcoming[0] if group.upcoming else None
            if upcoming is not None:
                upcoming.session.organisation = organisation
                upcoming.when = format_session_when(upcoming.session)
                upcoming.url = session_url(upcoming.session_id)
            rows.append({"group": group, "next": upcoming})
        if rows:
            by_kind.append({"label": label, "rows": rows})
    return render(
        request,
        "codev/group_list.html",
        {
            **programme_context(request, organisation, programme, "groups"),
            "by_kind": by_kind,
            "can_manage_groups": manage,
        },
    )


def _staff_reads(request, organisation) -> bool:
    from organisations.models import Role
    from organisations.roles import role_in

    return role_in(request.user, organisation) in Role.values


def _group_form_page(request, organisation, programme, group):
    form = GroupForm(request.POST or None, instance=group, programme=programme)
    if request.method == "POST" and form.is_valid():
        group = form.save(commit=False)
        group.programme = programme
        try:
            group = services.save_group(
                group=group,
                acting_user=request.user,
                facilitators=form.cleaned_data["facilitators"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Groupe enregistré."))
            return redirect(_group_url(organisation, group))
    return render(
        request,
        "codev/group_form.html",
        {"form": form, "programme": programme, "group": group if group.pk else None},
    )


@organisation_view("parcours.manage_programme")
def group_create(request, organisation: Organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    return _group_form_page(request, organisation, programme, Group(programme=programme))


@organisation_view("parcours.manage_programme")
def group_edit(request, organisation: Organisation, group_id: int):
    group = get_managed_group_or_404(request.user, organisation, group_id)
    return _group_form_page(request, organisation, group.programme, group)


@organisation_view(VIEW)
def group_detail(request, organisation: Organisation, group_id: int):
    """A group's page: members (current, then history), facilitators, séances, cases
    and commitments; the coordinator's tools."""
    group = get_group_for_user_or_404(request.user, organisation, group_id)
    manage = can_manage(request.user, organisation)
    zone = organisation.time_zone
    memberships = list(group_memberships(group))
    for membership in memberships:
        membership.period = membership_period(membership, zone)
    current = [m for m in memberships if m.left_at is None]
    past = [m for m in memberships if m.left_at is not None]
    seance_url, session_url = seance_url_maker(organisation), session_url_maker(organisation)
    sessions = list(group_sessions(group).select_related("facilitator", "timekeeper"))
    now = timezone.now()
    for group_session in sessions:
        group_session.session.organisation = organisation
        group_session.when = format_session_when(group_session.session)
        group_session.url = session_url(group_session.session_id)
        group_session.seance_url = seance_url(group_session.pk)
        group_session.to_come = is_to_come(group_session.session, now)
    cases = list(
        Case.objects.filter(group_session__group=group)
        .select_related("client__team", "client__user", "group_session__session")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.select_related("owner"))
        )
        .order_by("-created_at", "pk")
    )
    context = {
        "group": group,
        "programme": group.programme,
        "can_manage": manage,
        "current": current,
        "past": past,
        "facilitators": list(group.facilitators.all()),
        "group_sessions": sessions,
        "cases": cases,
        "is_codev": group.kind == GroupKind.CODEV,
    }
    if manage:
        others = list(
            Group.objects.filter(programme=group.programme).exclude(pk=group.pk).order_by("name")
        )
        context["move_form"] = (
            MoveForm(memberships=current, groups=others) if current and others else None
        )
        if group.kind == GroupKind.CODEV:
            by_id = {gs.pk: gs for gs in sessions}
            context["rotation"] = [
                {"group_session": by_id[pk], "client": client}
                for pk, client in propose_rotation(group).items()
                if pk in by_id
            ]
    return render(request, "codev/group_detail.html", context)


@organisation_view("parcours.manage_programme")
def group_members(request, organisation: Organisation, group_id: int):
    """Choosing a group's teams and people with checkboxes; one already in another group
    of the same kind is moved here."""
    group = get_managed_group_or_404(request.user, organisation, group_id)
    programme = group.programme
    current = list(group.memberships.current())
    initial = {
        "teams": [m.team_id for m in current if m.team_id],
        "people": [m.user_id for m in current if m.user_id],
    }
    form = MembersForm(request.POST or None, initial=initial, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.set_members(
                group=group,
                teams=form.cleaned_data["teams"],
                people=form.cleaned_data["people"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Membres enregistrés : %(added)s ajouté(s), %(removed)s retiré(s), "
                    "%(moved)s déplacé(s) depuis un autre groupe."
                )
                % summary,
            )
            return redirect(_group_url(organisation, group))
    elsewhere = {}
    for membership in (
        GroupMembership.objects.current()
        .filter(group__programme=programme, group__kind=group.kind)
        .exclude(group=group)
        .select_related("group")
    ):
        key = ("team", membership.team_id) if membership.team_id else ("user", membership.user_id)
        elsewhere[key] = membership.group.name
    team_rows = [
        {"widget": widget, "elsewhere": elsewhere.get(("team", int(widget.data["value"].value)))}
        for widget in form["teams"]
    ]
    person_rows = [
        {"widget": widget, "elsewhere": elsewhere.get(("user", int(widget.data["value"].value)))}
        for widget in form["people"]
    ]
    return render(
        request,
        "codev/group_members.html",
        {
            "group": group,
            "programme": programme,
            "form": form,
            "team_rows": team_rows,
            "person_rows": person_rows,
        },
    )


@organisation_view("parcours.manage_programme")
@require_POST
def member_move(request, organisation: Organisation, group_id: int):
    group = get_managed_group_or_404(request.user, organisation, group_id)
    current = list(group.memberships.current().select_related("team", "user"))
    others = list(Group.objects.filter(programme=group.programme).exclude(pk=group.pk))
    form = MoveForm(request.POST, memberships=current, groups=others)
    if form.is_valid():
        membership = next(m for m in current if m.pk == form.cleaned_data["membership"])
        target = next(g for g in others if g.pk == form.cleaned_data["group"])
        try:
            services.move_member(membership=membership, to_group=target, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(member)s est maintenant dans le groupe « %(group)s ».")
                % {"member": membership.label, "group": target.name},
            )
    else:
        messages.error(request, _("Choisissez un membre et un groupe."))
    return redirect(_group_url(organisation, group))


@organisation_view("parcours.manage_programme")
@require_POST
def group_delete(request, organisation: Organisation, group_id: int):
    group = get_managed_group_or_404(request.user, organisation, group_id)
    programme = group.programme
    try:
        services.delete_group(group=group, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_group_url(organisation, group))
    messages.success(request, _("Groupe supprimé."))
    return redirect("codev:group_list", organisation.slug, programme.pk)
