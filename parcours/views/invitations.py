"""Team invitations: the coordinator invites someone to a team from its page, resends or
revokes the invitation; the link in the e-mail names the invitation by its token, across
organisations (the person does not belong to the organisation yet). Opening it is the
whole onboarding: a newcomer's account is created, verified and logged in with one
click; a signed-in person with the invited address joins with one button."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_scopes import scope

from accounts.forms import OnboardingForm
from accounts.services import account_exists_for, log_in
from organisations.access import organisation_view
from parcours import services
from parcours.access import get_programme_for_user_or_404, get_team_or_404
from parcours.engagement_status import pending_engagements
from parcours.extensions import next_steps
from parcours.forms import TeamInvitationForm, add_service_errors
from parcours.models import Programme, TeamInvitation
from parcours.views.teams import render_team

MANAGE = "parcours.manage_programme"

TEMPLATE = "parcours/invitations/accept.html"


def _state(invitation, user) -> str:
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.accepted_at is not None:
        mine = (
            user.is_authenticated
            and invitation.member is not None
            and invitation.member.user_id == user.pk
        )
        if mine and invitation.team.cohort.programme.status == Programme.Status.DRAFT:
            return "registered_draft"
        return "mine" if mine else "accepted"
    if user.is_authenticated and (user.email or "").lower() != invitation.email.lower():
        return "wrong_account"
    return "pending"


def _landing_url(user, invitation) -> str:
    """Where someone who just joined the team goes: the invitation's page while the
    programme is a draft (« votre équipe est enregistrée »), else the engagement to
    sign, else what the apps above ask first (a date poll to answer), else the team."""
    team = invitation.team
    organisation = invitation.organisation
    programme = team.cohort.programme
    if programme.status == Programme.Status.DRAFT:
        return reverse("team_invitation_accept", args=[invitation.token])
    args = [organisation.slug, programme.pk, team.pk]
    with scope(organisation=organisation.pk):
        if any(member.team_id == team.pk for member in pending_engagements(user, organisation)):
            return reverse("parcours:engagement_sign", args=args)
        for url in next_steps.collect(user=user, team=team):
            return url
    return reverse("parcours:team_detail", args=args)


def _accept(request, invitation, form):
    """Accept for the signed-in person, or create the account of a newcomer and log
    them in; None (and a message) if the service refused."""
    try:
        if request.user.is_authenticated:
            services.accept_team_invitation(invitation=invitation, acting_user=request.user)
            return request.user
        member = services.accept_team_invitation_as_newcomer(
            invitation=invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    log_in(request, member.user)
    return member.user


@never_cache  # the page is reached by a secret link
@require_http_methods(["GET", "POST"])
def team_invitation_accept(request, token: str):
    """The link of a team invitation: the organisation, programme, team and role. Someone
    with no account confirms their name (pre-filled) and consents: one click creates the
    account, joins the team and logs them in. Signed in with the invited address: one
    button. Signed in as someone else: an offer to log out and come back."""
    invitation = services.find_team_invitation_by_token(token)
    if invitation is None:
        return render(request, TEMPLATE, {"state": "unknown", "invitation": None}, status=404)
    organisation = invitation.organisation
    team = invitation.team
    programme = team.cohort.programme
    with scope(organisation=organisation.pk):
        state = _state(invitation, request.user)
        has_account = not request.user.is_authenticated and account_exists_for(invitation.email)
        form = None
        if state == "pending" and not request.user.is_authenticated and not has_account:
            initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
            form = OnboardingForm(request.POST or None, initial=initial)
        if request.method == "POST" and state == "pending":
            if has_account:
                return redirect_to_login(request.get_full_path())
            if form is None or form.is_valid():
                user = _accept(request, invitation, form)
                if user is None:
                    return redirect("team_invitation_accept", token)
                messages.success(
                    request, _("Bienvenue dans l'équipe %(team)s !") % {"team": team.name}
                )
                return redirect(_landing_url(user, invitation))
        elif request.method == "POST":
            return redirect("team_invitation_accept", token)
        context = {
            "invitation": invitation,
            "state": state,
            "invited_org": organisation,
            "team": team,
            "programme": programme,
            "team_url": reverse(
                "parcours:team_detail", args=[organisation.slug, programme.pk, team.pk]
            ),
            "invited_email": invitation.email,
            "has_account": has_account,
            "wrong_account": state == "wrong_account",
            "form": form,
            "join_label": _("Rejoindre l’équipe"),
            "next_url": request.get_full_path(),
            "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
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
