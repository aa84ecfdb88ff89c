from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import OnboardingForm
from accounts.services import log_in
from sillon.uploads import sniff_mime_type

from . import services
from .access import get_invitation_or_404, get_membership_or_404, organisation_view
from .audit import action_label, known_labels
from .extensions import home_panels
from .forms import (
    InvitationForm,
    MembershipRoleForm,
    OrganisationSettingsForm,
)
from .models import AuditEntry, Invitation, Membership, Organisation, Role
from .notices import email_delayed
from .roles import role_in

MEMBERS_PER_PAGE = 25


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def home(request):
    """``/``: the organisations of the logged-in person, or what Sillon is."""
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    # The list comes from the context processor, which the header switcher shares.
    return render(request, "organisations/my_organisations.html")


@organisation_view()
def organisation_home(request, organisation: Organisation):
    context = {
        "role": role_in(request.user, organisation),
        "sections": home_panels.collect(request=request, organisation=organisation),
    }
    if context["role"] == Role.COORDINATOR:
        context["member_count"] = Membership.objects.filter(organisation=organisation).count()
        context["pending_invitations"] = Invitation.objects.pending().count()
    return render(request, "organisations/home.html", context)


@organisation_view("organisations.view_members")
def members(request, organisation: Organisation):
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    page = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    can_manage = request.user.has_perm("organisations.manage_members", organisation)
    context = {
        "page": page,
        "can_manage": can_manage,
        "roles": Role.choices,
        "invitations": (
            Invitation.objects.pending().select_related("invited_by")[:MEMBERS_PER_PAGE]
            if can_manage
            else []
        ),
    }
    return render(request, "organisations/members.html", context)


@organisation_view("organisations.manage_members")
def member_invite(request, organisation: Organisation):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_member(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if email_delayed(invitation):
                messages.warning(request, _delayed_text(invitation))
            else:
                messages.success(
                    request,
                    _("Invitation envoyée à %(email)s.") % {"email": invitation.email},
                )
            return redirect("organisations:members", organisation.slug)
    return render(request, "organisations/member_invite.html", {"form": form})


@organisation_view("organisations.manage_members")
@require_POST
def member_change_role(request, organisation: Organisation, membership_id: int):
    membership = get_membership_or_404(organisation, membership_id)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle valide."))
    else:
        try:
            services.change_member_role(
                membership=membership, role=form.cleaned_data["role"], acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("%(person)s est maintenant %(role)s.")
                % {
                    "person": membership.user,
                    "role": Role(form.cleaned_data["role"]).label.lower(),
                },
            )
    return redirect("organisations:members", organisation.slug)


@organisation_view("organisations.manage_members")
def member_remove(request, organisation: Organisation, membership_id: int):
    membership = get_membership_or_404(organisation, membership_id)
    if request.method == "POST":
        try:
            services.remove_member(membership=membership, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("%(person)s ne fait plus partie de %(organisation)s.")
                % {"person": membership.user, "organisation": organisation.name},
            )
            if membership.user_id == request.user.pk:
                return redirect("home")
        return redirect("organisations:members", organisation.slug)
    return render(request, "organisations/member_remove.html", {"membership": membership})


def _delayed_text(invitation) -> str:
    """The broker was down: the invitation is saved, its e-mail waits in the outbox."""
    return _(
        "Invitation à %(email)s enregistrée. Le service d'envoi est momentanément "
        "indisponible : l'e-mail est en file d'attente et partira automatiquement dans "
        "quelques minutes."
    ) % {"email": invitation.email}


def _act_on_invitation(request, organisation, invitation_id, service, success: str):
    """Run ``service`` on one of the organisation's invitations and say how it went."""
    invitation = get_invitation_or_404(organisation, invitation_id)
    try:
        invitation = service(invitation=invitation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if email_delayed(invitation):
            messages.warning(request, _delayed_text(invitation))
        else:
            messages.success(request, success % {"email": invitation.email})
    return redirect("organisations:members", organisation.slug)


@organisation_view("organisations.manage_members")
@require_POST
def invitation_resend(request, organisation: Organisation, invitation_id: int):
    return _act_on_invitation(
        request,
        organisation,
        invitation_id,
        services.resend_invitation,
        _("Invitation renvoyée à %(email)s."),
    )


@organisation_view("organisations.manage_members")
@require_POST
def invitation_revoke(request, organisation: Organisation, invitation_id: int):
    return _act_on_invitation(
        request,
        organisation,
        invitation_id,
        services.revoke_invitation,
        _("Invitation à %(email)s annulée."),
    )


@organisation_view("organisations.change_organisation")
def organisation_settings(request, organisation: Organisation):
    form = OrganisationSettingsForm(
        request.POST or None, request.FILES or None, instance=organisation
    )
    if request.method == "POST":
        if form.is_valid():
            services.update_organisation(
                organisation=form.instance,
                acting_user=request.user,
                changed_fields=list(form.changed_data),
            )
            messages.success(request, _("Paramètres enregistrés."))
            return redirect("organisations:settings", organisation.slug)
        # The instance was changed by validation: show the page with the stored values.
        organisation.refresh_from_db()
    return render(request, "organisations/settings.html", {"form": form})


@organisation_view("organisations.view_audit")
def audit_log(request, organisation: Organisation):
    entries = AuditEntry.objects.filter(organisation=organisation).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # Entries keep a stable key; the label is today's wording (unknown keys as they are).
    labels = known_labels()
    for entry in page:
        entry.label = action_label(entry.action, labels)
    return render(request, "organisations/audit_log.html", {"page": page})


@organisation_view(public=True)
def legal_notice(request, organisation: Organisation):
    return render(request, "organisations/legal_notice.html")


@never_cache  # the page is reached by a secret link
def invitation_accept(request, token: str):
    """The link in an invitation e-mail. The token grants access, not a membership.
    Someone with no account gives their name and consent: one click creates the account
    (its address verified by the link), accepts and logs them in. Signed in with the
    invited address: one button. Signed in as someone else: an offer to log out."""
    invitation = services.find_invitation_by_token(token)
    if invitation is None:
        return render(
            request, "organisations/invitation_invalid.html", {"reason": "unknown"}, status=404
        )
    organisation = invitation.organisation
    if invitation.status != Invitation.Status.PENDING:
        return render(
            request,
            "organisations/invitation_invalid.html",
            {"reason": invitation.status, "invitation": invitation, "invited_org": organisation},
            status=410,
        )
    home_url = reverse("organisations:home", args=[organisation.slug])
    user = request.user
    has_account = services.account_exists_for(invitation.email)
    wrong_account = user.is_authenticated and user.email.lower() != invitation.email.lower()
    form = None
    if not user.is_authenticated and not has_account:
        form = OnboardingForm(request.POST or None)
    if request.method == "POST" and not wrong_account and (form is None or form.is_valid()):
        if not user.is_authenticated and has_account:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.accept_invitation(
                invitation=invitation,
                user=user if user.is_authenticated else None,
                first_name=form.cleaned_data["first_name"] if form else "",
                last_name=form.cleaned_data["last_name"] if form else "",
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("invitation_accept", token)
        if not user.is_authenticated:
            log_in(request, membership.user)
        messages.success(
            request, _("Bienvenue dans %(organisation)s !") % {"organisation": organisation.name}
        )
        return redirect(home_url)
    return render(
        request,
        "organisations/invitation_accept.html",
        {
            "invitation": invitation,
            "invited_org": organisation,
            "invited_email": invitation.email,
            "has_account": has_account,
            "wrong_account": wrong_account,
            "form": form,
            "join_label": _("Rejoindre %(organisation)s") % {"organisation": organisation.name},
            "next_url": request.get_full_path(),
            "login_url": f"{reverse('account_login')}?next={request.get_full_path()}",
        },
    )


@organisation_view(public=True)
def logo(request, organisation: Organisation):
    """The organisation's logo, served by Sillon itself (no separate media server).
    Logos are capped at 1 MB on upload, so reading it whole is fine."""
    if not organisation.logo:
        raise Http404
    try:
        with organisation.logo.open("rb") as handle:
            content_type = sniff_mime_type(handle) or "application/octet-stream"
            data = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
