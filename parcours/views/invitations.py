"""The link in a team invitation e-mail. The token names the invitation, across
organisations (the person does not belong to the organisation yet); the signed-in
person with the invited address accepts it and joins the team."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from .. import services

TEMPLATE = "parcours/selection/invitation_accept.html"


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
