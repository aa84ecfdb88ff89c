"""Correcting a member's arrival and departure dates, from the team's history: a
replacement in a past programme must be dated right."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from organisations.access import organisation_view
from parcours import services
from parcours.access import get_programme_for_user_or_404, get_team_or_404
from parcours.forms import add_service_errors
from parcours.models import TeamMember
from parcours.team_import_forms import MembershipDatesForm
from sillon.formatting import local

MANAGE = "parcours.manage_programme"


@organisation_view(MANAGE)
def team_member_dates(request, organisation, programme_id, team_id, team_member_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    member = get_object_or_404(
        TeamMember.objects.select_related("user", "role"), team=team, pk=team_member_id
    )
    zone = organisation.time_zone
    former = member.left_at is not None
    initial = {
        "joined_at": local(member.joined_at, zone).date(),
        "left_at": local(member.left_at, zone).date() if former else None,
    }
    form = MembershipDatesForm(request.POST or None, initial=initial, former=former)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_membership_dates(
                member=member,
                acting_user=request.user,
                joined_on=form.cleaned_data["joined_at"],
                left_on=form.cleaned_data.get("left_at"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Dates de %(name)s enregistrées.")
                % {"name": member.user.get_full_name() or member.user.email},
            )
            return redirect("parcours:team_detail", organisation.slug, programme.pk, team.pk)
    return render(
        request,
        "parcours/manage/team_member_dates.html",
        {
            "programme": programme,
            "team": team,
            "member": member,
            "member_name": member.user.get_full_name() or member.user.email,
            "former": former,
            "form": form,
        },
    )
