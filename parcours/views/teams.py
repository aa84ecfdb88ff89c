"""A team's page: its members and roles (a required role left empty is flagged), who
signed the engagement, the history of who held which role when, the team's next
sessions and the panels of higher apps. The coordinator replaces or removes a member
from it (the former member's row stays, with the day they left) and follows the
invitations to join it (an address that bounced is flagged)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from notifications.services import suppressed_among
from organisations.access import organisation_view
from organisations.models import Role
from organisations.roles import role_in
from parcours import engagement_status, selectors, services
from parcours.access import (
    get_programme_for_user_or_404,
    get_programme_team_for_user_or_404,
    get_team_or_404,
)
from parcours.extensions import team_panels
from parcours.forms import TeamInvitationForm, add_service_errors
from parcours.models import Session, Team, TeamInvitation, TeamMember
from parcours.views.engagement import format_signed_at
from sillon.formatting import format_day, local
from sillon.forms import Form

User = get_user_model()

VIEW = "parcours.view_calendar"
MANAGE = "parcours.manage_programme"
STAFF_ROLES = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)
EMAIL_ROLES = (Role.COORDINATOR, Role.TRAINER)
NEXT_SESSIONS = 6


class ReplaceMemberForm(Form):
    """Who takes a member's place: an existing account, found by its e-mail address, and
    the role (the former member's unless another is chosen)."""

    email = forms.EmailField(
        label=gettext_lazy("Adresse e-mail de la personne qui prend la place"),
        help_text=gettext_lazy("La personne doit déjà avoir un compte."),
    )
    role = forms.TypedChoiceField(
        label=gettext_lazy("Rôle"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices from the roles read once for the page: no query per member's form.
        self.roles = {role.pk: role for role in roles}
        self.fields["role"].choices = [("", _("Le même rôle")), *[(r.pk, r.name) for r in roles]]

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(_("Aucun compte avec cette adresse."))
        self.user = user
        return email

    def clean_role(self):
        pk = self.cleaned_data["role"]
        return self.roles.get(pk) if pk is not None else None

    def field_for_error(self, key: str) -> str | None:
        return {"user": "email"}.get(key, key)


def _team_for_viewer(request, organisation, programme_id, team_id):
    """(programme, team, role, current members) if the user may see the team's page:
    coordinators, trainers and observers of a programme they see, and the team's own
    current members. Anyone else: 404."""
    programme, team = get_programme_team_for_user_or_404(
        request.user, organisation, programme_id, team_id
    )
    role = role_in(request.user, organisation)
    history = list(
        TeamMember.objects.filter(team=team)
        .select_related("user", "role")
        .order_by("role__order", "role__name", "joined_at", "pk")
    )
    if role not in STAFF_ROLES and not any(
        member.user_id == request.user.pk and member.left_at is None for member in history
    ):
        raise Http404
    return programme, team, role, history


def _next_sessions(request, organisation, programme, team: Team) -> list[Session]:
    """The team's coming sessions that the viewer sees: the whole cohort's and the ones
    for this team (individual or several teams)."""
    for_team = Exists(Session.teams.through.objects.filter(session=OuterRef("pk"), team=team))
    sessions = list(
        selectors.sessions_visible_to(request.user, organisation)
        .filter(programme=programme)
        .filter(Q(ends_at__gte=timezone.now()) | Q(starts_at__isnull=True))
        .exclude(status=Session.Status.CANCELLED)
        .filter(Q(audience=Session.Audience.COHORT) | Q(for_team))
        .order_by(F("starts_at").asc(nulls_last=True), "pk")
        .prefetch_related("days")[:NEXT_SESSIONS]
    )
    for session in sessions:
        session.organisation = organisation  # its time zone, without a query each
    return sessions


def _display_name(member: TeamMember, show_emails: bool) -> str:
    """The person's name; their e-mail address only for those who may read addresses."""
    name = member.user.get_full_name()
    if name:
        return name
    return member.user.email if show_emails else _("Membre sans nom")


def _day(moment, zone: str) -> str:
    return format_day(local(moment, zone).date(), weekday=False)


def _pending_invitations(team: Team, zone: str) -> list[TeamInvitation]:
    """The team's invitations not yet accepted nor cancelled, each flagged when its
    address bounced (one query per bounce lookup, whatever their number)."""
    invitations = list(
        TeamInvitation.objects.pending()
        .filter(team=team)
        .select_related("role", "invited_by")
        .order_by("invited_at", "pk")
    )
    bounced = suppressed_among(invitation.email for invitation in invitations)
    for invitation in invitations:
        invitation.bounced = invitation.email.lower() in bounced
        invitation.sent_day = _day(invitation.invited_at, zone)
    return invitations


def render_team(request, organisation, programme_id, team_id, *, bound=None, invite_form=None):
    """The team's page; ``bound`` is a replacement form and ``invite_form`` an
    invitation form to show again with their errors."""
    programme, team, role, history = _team_for_viewer(request, organisation, programme_id, team_id)
    zone = organisation.time_zone
    is_coordinator = role == Role.COORDINATOR
    show_emails = role in EMAIL_ROLES
    engagement = engagement_status.engagement_status(team, members=history)
    roles = [row.role for row in engagement.roles if row.role is not None]
    for row in engagement.members:
        row.member.display_name = _display_name(row.member, show_emails)
        row.when = format_signed_at(row.signature.signed_at, zone) if row.signature else ""
        if is_coordinator:
            prefix = f"m{row.member.pk}"
            if bound is not None and bound.prefix == prefix:
                row.form = bound
            else:
                row.form = ReplaceMemberForm(prefix=prefix, roles=roles)
    for member in history:
        member.display_name = _display_name(member, show_emails)
        member.joined_day = _day(member.joined_at, zone)
        member.left_day = _day(member.left_at, zone) if member.left_at else ""
    mine = next((m for m in history if m.user_id == request.user.pk and m.left_at is None), None)
    invitations = _pending_invitations(team, zone) if is_coordinator else []
    if is_coordinator and invite_form is None:
        invite_form = TeamInvitationForm(roles=roles)  # every role of the programme
    return render(
        request,
        "parcours/team_detail.html",
        {
            "programme": programme,
            "team": team,
            "engagement": engagement,
            "history": history,
            "has_former": any(member.left_at for member in history),
            "show_emails": show_emails,
            "is_coordinator": is_coordinator,
            "is_member": mine is not None,
            "sessions": _next_sessions(request, organisation, programme, team),
            "extra_sections": team_panels.collect(
                request=request, organisation=organisation, team=team, members=history
            ),
            "invitations": invitations,
            "invite_form": invite_form,
        },
    )


@organisation_view(VIEW)
def team_detail(request, organisation, programme_id, team_id):
    return render_team(request, organisation, programme_id, team_id)


def _current_member(request, organisation, programme_id, team_id) -> TeamMember:
    """The current member named by the POST's ``member``, in this team, or 404."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    try:
        pk = int(request.POST.get("member", ""))
    except ValueError:
        raise Http404 from None
    member = (
        TeamMember.objects.current()
        .filter(team=team, pk=pk)
        .select_related("user", "role", "team")
        .first()
    )
    if member is None:
        raise Http404
    member.team.cohort = team.cohort
    member.team.cohort.programme = programme
    return member


def _to_team(organisation, programme_id, team_id):
    return redirect("parcours:team_detail", organisation.slug, programme_id, team_id)


@organisation_view(MANAGE)
@require_POST
def team_member_replace(request, organisation, programme_id, team_id):
    member = _current_member(request, organisation, programme_id, team_id)
    roles = list(member.team.cohort.programme.team_roles.all())
    form = ReplaceMemberForm(request.POST, prefix=f"m{member.pk}", roles=roles)
    if form.is_valid():
        try:
            successor = services.replace_team_member(
                member=member,
                acting_user=request.user,
                user=form.user,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(new)s remplace %(old)s dans l'équipe ; l'historique est conservé.")
                % {
                    "new": successor.user.get_full_name() or successor.user.email,
                    "old": member.user.get_full_name() or member.user.email,
                },
            )
            return _to_team(organisation, programme_id, team_id)
    return render_team(request, organisation, programme_id, team_id, bound=form)


@organisation_view(MANAGE)
@require_POST
def team_member_remove(request, organisation, programme_id, team_id):
    member = _current_member(request, organisation, programme_id, team_id)
    try:
        services.remove_team_member(member=member, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s a quitté l'équipe ; l'historique est conservé.")
            % {"name": member.user.get_full_name() or member.user.email},
        )
    return _to_team(organisation, programme_id, team_id)
