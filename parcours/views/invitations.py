"""Team invitations: the coordinator invites someone to a team from its page, resends or
revokes the invitation; the link in the e-mail names the invitation by its token, across
organisations (the person does not belong to the organisation yet), and the signed-in
person with the invited address accepts it and joins the team."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_scopes import scope

from organisations.access import organisation_view
from parcours import services
from parcours.access import get_programme_for_user_or_404, get_team_or_404
from parcours.forms import TeamInvitationForm, add_service_errors
from parcours.models import TeamInvitation
from parcours.views.teams import render_team

MANAGE = "parcours.manage_programme"

TEMPLATE = "parcours/invitations/accept.html"


def _state(invitation, user) -> str:
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.accepted_at is not None:
        mine = invitation.member is not None and invitation.member.user_id == user.pk
        return "mine" if mine else "accepted"
    if (user.email or "").lower() != invitation.email.lower():
        return "wrong_account"
    return "pending"


@never_cache  # the page is reached by a secret link
@require_http_methods(["GET", "POST"])
def team_invitation_accept(request, token: str):
    """Anonymous: sign in first (then back here). Signed in: a confirmation page, and
    accepting leads to the team's page with a link to sign the engagement."""
    invitation = services.find_team_invitation_by_token(token)
    if invitation is None:
        return render(request, TEMPLATE, {"state": "unknown", "invitation": None}, status=404)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = invitation.organisation
    team = invitation.team
    programme = team.cohort.programme
    team_url = reverse("parcours:team_detail", args=[organisation.slug, programme.pk, team.pk])
    with scope(organisation=organisation.pk):
        if request.method == "POST":
            try:
                services.accept_team_invitation(invitation=invitation, acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("team_invitation_accept", token)
            sign_url = reverse(
                "parcours:engagement_sign", args=[organisation.slug, programme.pk, team.pk]
            )
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Bienvenue dans l'équipe %(team)s !") % {"team": team.name},
                    sign_url,
                    _("Signer l'engagement du parcours"),
                ),
            )
            return redirect(team_url)
        context = {
            "invitation": invitation,
            "state": _state(invitation, request.user),
            "invited_org": organisation,
            "team": team,
            "programme": programme,
            "team_url": team_url,
        }
        return render(request, TEMPLATE, context)


def _team_or_404(request, organisation, programme_id, team_id):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    team.cohort.programme = programme
    return team


def _to_team(organisation, programme_id, team_id):
    return redirect("parcours:team_detail", organisation.slug, programme_id, team_id)


@organisation_view(MANAGE)
@require_POST
def team_invite(request, organisation, programme_id, team_id):
    team = _team_or_404(request, organisation, programme_id, team_id)
    form = TeamInvitationForm(request.POST, roles=list(team.cohort.programme.team_roles.all()))
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite_to_team(
                team=team,
                acting_user=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
            )
            return _to_team(organisation, programme_id, team_id)
    return render_team(request, organisation, programme_id, team_id, invite_form=form)


def _invitation_or_404(request, organisation, programme_id, team_id, invitation_id):
    team = _team_or_404(request, organisation, programme_id, team_id)
    invitation = get_object_or_404(
        TeamInvitation.objects.select_related("role"),
        organisation=organisation,
        team=team,
        pk=invitation_id,
    )
    invitation.team = team
    return invitation


def _act_on_invitation(request, organisation, programme_id, team_id, invitation_id, service, done):
    invitation = _invitation_or_404(request, organisation, programme_id, team_id, invitation_id)
    try:
        service(invitation=invitation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"email": invitation.email})
    return _to_team(organisation, programme_id, team_id)


@organisation_view(MANAGE)
@require_POST
def team_invitation_resend(request, organisation, programme_id, team_id, team_invitation_id):
    return _act_on_invitation(
        request,
        organisation,
        programme_id,
        team_id,
        team_invitation_id,
        services.resend_team_invitation,
        _("Invitation renvoyée à %(email)s."),
    )


@organisation_view(MANAGE)
@require_POST
def team_invitation_revoke(request, organisation, programme_id, team_id, team_invitation_id):
    return _act_on_invitation(
        request,
        organisation,
        programme_id,
        team_id,
        team_invitation_id,
        services.revoke_team_invitation,
        _("Invitation à %(email)s annulée."),
    )
