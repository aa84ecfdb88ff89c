"""The applicants' pages: starting an application to a published call, the summary of
what is missing, the team and its invitations, each member's own part, submission and
withdrawal; the invitation link; « Mes candidatures » across organisations.

Anyone may apply, member of the organisation or not: these views are ``public=True``
and check the person themselves — an anonymous visitor is sent to the login page, a
signed-in person who is not in the application gets 404 (``application_access``).
Only the lead changes the territory, the project and the team; a member who joined
completes their own line and the shared questionnaires.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scopes_disabled

from accounts.forms import OnboardingForm
from accounts.services import account_exists_for, log_in
from candidatures import services
from candidatures.access import (
    applications_of,
    get_application_for_applicant_or_404,
    get_public_call_or_404,
)
from candidatures.forms.applications import (
    MemberForm,
    OwnLineForm,
    ProjectForm,
    StartApplicationForm,
    WithdrawForm,
)
from candidatures.models import Application, ApplicationEvent, ApplicationMember
from candidatures.parts import applicant_sections
from candidatures.services.applications import DUPLICATE, WITHDRAWABLE
from candidatures.services.onboarding import join_application_as_newcomer
from notifications.services import suppressed_among
from organisations.access import organisation_view
from parcours.forms import add_service_errors
from sillon import ratelimit
from sillon.formatting import format_day, format_time, local

Status = Application.Status
APPLICATIONS_PER_PAGE = 25


# --- Helpers -------------------------------------------------------------------------


def format_moment(moment, zone) -> str:
    """« jeudi 25 juin 2026 à 12 h » on the organisation's clock."""
    when = local(moment, zone)
    return _("%(day)s à %(time)s") % {"day": format_day(when.date()), "time": format_time(when)}


def _login(request):
    return redirect_to_login(request.get_full_path())


def _application(request, organisation, call_slug, application_id) -> Application:
    """The application if the signed-in user leads it or joined it; 404 otherwise."""
    return get_application_for_applicant_or_404(
        request.user, organisation, call_slug, application_id
    )


def _is_lead(request, application) -> bool:
    return application.created_by_id == request.user.pk


def _members(application) -> list[ApplicationMember]:
    return list(
        ApplicationMember.objects.filter(application=application)
        .select_related("role")
        .order_by("-is_lead", "role__order", "pk")
    )


def _roles(application) -> list:
    return list(application.call.programme.team_roles.all())


def _member_or_404(application, member_id) -> ApplicationMember:
    member = (
        ApplicationMember.objects.filter(application=application, pk=member_id)
        .select_related("role")
        .first()
    )
    if member is None:
        raise Http404
    member.application = application
    return member


def _to_detail(organisation, application):
    return redirect(
        "candidatures:application_detail", organisation.slug, application.call.slug, application.pk
    )


def _to_members(organisation, application):
    return redirect(
        "candidatures:application_members", organisation.slug, application.call.slug, application.pk
    )


def _not_draft(request, organisation, application):
    """Leave a page that changes a draft once the application is no longer one."""
    messages.info(
        request,
        _("La candidature est « %(status)s » : elle ne peut plus être modifiée.")
        % {"status": applicant_status(application)},
    )
    return _to_detail(organisation, application)


def applicant_status(application) -> str:
    """The state as the applicants see it: a decision stays « en cours d'examen » until
    it is announced, then the decision itself is shown."""
    if application.status == Status.DECIDED:
        if application.announced_at is None:
            return Status.UNDER_REVIEW.label
        return application.get_decision_display()
    return application.get_status_display()


def member_state(member: ApplicationMember, zone) -> str:
    if member.is_lead:
        return _("Porte la candidature")
    if member.confirmed_at:
        return _("Participation confirmée")
    if member.joined_at:
        return _("A rejoint la candidature, participation à confirmer")
    if member.invited_at:
        return _("Invitation envoyée le %(when)s") % {
            "when": format_moment(member.invited_at, zone)
        }
    return _("Pas encore invitée")


def _decorate_members(members, zone, *, bounced=frozenset()):
    for member in members:
        member.state = member_state(member, zone)
        member.bounced = member.email.lower() in bounced and member.user_id is None
    return members


def _service_error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Starting ------------------------------------------------------------------------


# Applications started per hour from one address (a public form: anyone may sign up).
STARTS_PER_ADDRESS = 10


def _within_limit(request, form) -> bool:
    """Count one application started from this address; past the limit, the form says
    so and nothing is saved."""
    address = ratelimit.client_address(request)
    if ratelimit.hit("application-start", address, limit=STARTS_PER_ADDRESS, window=3600):
        return True
    form.add_error(
        None,
        _(
            "Trop de candidatures ont été commencées depuis cette connexion en une heure : "
            "réessayez dans une heure."
        ),
    )
    return False


@organisation_view(public=True)
def application_start(request, organisation, call_slug):
    """The call's candidature form: the territory, the project and the lead's line."""
    call = get_public_call_or_404(request.user, organisation, call_slug)
    if not request.user.is_authenticated:
        return _login(request)
    existing = applications_of(request.user, call).exclude(status=Status.WITHDRAWN).first()
    if existing is not None:
        messages.info(request, _("Vous avez déjà une candidature à cet appel : la voici."))
        return redirect(
            "candidatures:application_detail", organisation.slug, call.slug, existing.pk
        )
    is_open = call.is_open()
    roles = list(call.programme.team_roles.all())
    form = StartApplicationForm(request.POST or None, roles=roles, user=request.user)
    if request.method == "POST" and is_open and form.is_valid() and _within_limit(request, form):
        try:
            application = services.start_application(
                call=call,
                acting_user=request.user,
                **form.project_data(),
                **form.lead_data(),
            )
        except ValidationError as error:
            _warn_duplicate(form, error)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Votre candidature est enregistrée comme brouillon. Invitez maintenant "
                    "les autres membres de l'équipe."
                ),
            )
            return redirect(
                "candidatures:application_members", organisation.slug, call.slug, application.pk
            )
    zone = organisation.time_zone
    return render(
        request,
        "candidatures/applications/start.html",
        {
            "call": call,
            "form": form,
            "is_open": is_open,
            "is_published": call.is_published,
            "not_yet_open": call.opens_at > timezone.now(),
            "opens_when": format_moment(call.opens_at, zone),
            "closes_when": format_moment(call.closes_at, zone),
        },
    )


def _warn_duplicate(form: ProjectForm, error: ValidationError) -> None:
    """Show the confirmation box when the service warned about the same territory."""
    if hasattr(error, "error_dict") and any(
        item.code == DUPLICATE for item in error.error_dict.get("territory", [])
    ):
        form.ask_confirmation = True


# --- The summary ---------------------------------------------------------------------


def _event_rows(application, zone, members_by_user) -> list[dict]:
    """The history as the applicants see it (an unannounced decision stays hidden)."""
    events = ApplicationEvent.objects.filter(application=application).select_related("actor")
    rows = []
    announced = application.announced_at is not None
    for event in events.order_by("at", "pk"):
        if not announced and Status.DECIDED in (event.to_status, event.from_status):
            continue
        if not event.from_status:
            what = _("Candidature commencée")
        elif event.to_status == Status.DRAFT:
            what = _("Candidature rouverte pour modification")
        else:
            what = Status(event.to_status).label
        actor = event.actor
        if actor is None:
            who = _("Compte supprimé")
        elif actor.pk in members_by_user:
            who = members_by_user[actor.pk].full_name or actor.email
        else:
            who = _("L'équipe de l'appel")
        rows.append(
            {
                "what": what,
                "who": who,
                "when": format_moment(event.at, zone),
                "note": event.note if event.to_status in (Status.WITHDRAWN, Status.DRAFT) else "",
            }
        )
    return rows


def _checklist(organisation, application, members, roles, *, is_lead):
    slug, call_slug = organisation.slug, application.call.slug
    urls = {
        "project": reverse("candidatures:application_edit", args=[slug, call_slug, application.pk])
        if is_lead
        else "",
        "team": reverse("candidatures:application_members", args=[slug, call_slug, application.pk]),
        "parts": "#parties",
    }
    return [
        {"text": item.text, "url": urls[item.fix]}
        for item in services.missing_checklist(application, members=members, roles=roles)
    ]


@organisation_view(public=True)
def application_detail(request, organisation, call_slug, application_id):
    """What the application holds, what is missing (with where to fix it), the team and
    its invitations, the questionnaires, submission, withdrawal and history."""
    if not request.user.is_authenticated:
        return _login(request)
    application = _application(request, organisation, call_slug, application_id)
    zone = organisation.time_zone
    is_lead = _is_lead(request, application)
    is_draft = application.status == Status.DRAFT
    members = _members(application)
    roles = _roles(application)
    me = next((member for member in members if member.user_id == request.user.pk), None)
    members_by_user = {member.user_id: member for member in members if member.user_id}
    deadline = application.deadline()
    now = timezone.now()
    checklist = (
        _checklist(organisation, application, members, roles, is_lead=is_lead) if is_draft else []
    )
    return render(
        request,
        "candidatures/applications/detail.html",
        {
            "call": application.call,
            "application": application,
            "status_label": applicant_status(application),
            "is_lead": is_lead,
            "is_draft": is_draft,
            "me": me,
            "members": _decorate_members(members, zone),
            "checklist": checklist,
            "pending": services.pending_confirmations(application, members=members),
            "deadline_when": format_moment(deadline, zone),
            "deadline_passed": now >= deadline,
            "reopened": bool(application.reopened_until and application.reopened_until == deadline),
            "can_submit": is_lead and is_draft and now < deadline,
            "can_withdraw": is_lead and application.status in WITHDRAWABLE,
            "submitted_when": (
                format_moment(application.submitted_at, zone) if application.submitted_at else ""
            ),
            "sections": applicant_sections(request, application, editable=is_draft),
            "events": _event_rows(application, zone, members_by_user),
            "project_stage": _label(
                ProjectForm.base_fields["project_stage"], application.project_stage
            ),
            "project_recognition": _label(
                ProjectForm.base_fields["project_recognition"], application.project_recognition
            ),
        },
    )


def _label(field, value) -> str:
    return dict(field.choices).get(value, "") if value else ""


# --- The territory and the project --------------------------------------------------


@organisation_view(public=True)
def application_edit(request, organisation, call_slug, application_id):
    if not request.user.is_authenticated:
        return _login(request)
    application = _application(request, organisation, call_slug, application_id)
    if not _is_lead(request, application):
        raise Http404
    if application.status != Status.DRAFT:
        return _not_draft(request, organisation, application)
    initial = {name: getattr(application, name) for name in ProjectForm.PROJECT_FIELDS}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(
                application=application, acting_user=request.user, **form.project_data()
            )
        except ValidationError as error:
            _warn_duplicate(form, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le territoire et le projet sont enregistrés."))
            return _to_detail(organisation, application)
    return render(
        request,
        "candidatures/applications/edit.html",
        {"call": application.call, "application": application, "form": form},
    )


# --- The team ------------------------------------------------------------------------


def _member_service_kwargs(form) -> dict:
    data = form.cleaned_data
    kwargs = {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "function": data["function"],
        "phone": data["phone"],
    }
    if "email" in form.fields:
        kwargs["email"] = data["email"]
    return kwargs


@organisation_view(public=True)
def application_members(request, organisation, call_slug, application_id):
    """The team: each person's role and invitation; the lead adds people here."""
    if not request.user.is_authenticated:
        return _login(request)
    application = _application(request, organisation, call_slug, application_id)
    is_lead = _is_lead(request, application)
    is_draft = application.status == Status.DRAFT
    roles = _roles(application)
    can_add = is_lead and is_draft
    if request.method == "POST" and not can_add:
        raise Http404
    form = MemberForm(request.POST or None, roles=roles) if can_add else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            member = services.add_application_member(
                application=application,
                acting_user=request.user,
                role=form.cleaned_data.get("role"),
                **_member_service_kwargs(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s est invitée par e-mail à compléter la candidature (%(email)s).")
                % {"name": member.full_name, "email": member.email},
            )
            return _to_members(organisation, application)
    members = _members(application)
    zone = organisation.time_zone
    pending_emails = [member.email for member in members if member.user_id is None]
    bounced = suppressed_among(pending_emails) if is_lead else set()
    checklist = [
        item
        for item in services.missing_checklist(application, members=members, roles=roles)
        if item.fix == "team"
    ]
    return render(
        request,
        "candidatures/applications/members.html",
        {
            "call": application.call,
            "application": application,
            "members": _decorate_members(members, zone, bounced=bounced),
            "roles": roles,
            "team_missing": checklist if is_draft else [],
            "is_lead": is_lead,
            "is_draft": is_draft,
            "form": form,
        },
    )


@organisation_view(public=True)
def member_edit(request, organisation, call_slug, application_id, member_id):
    """The lead changes a line of the team (a member who joined changes their own line
    on « Ma partie »)."""
    if not request.user.is_authenticated:
        return _login(request)
    application = _application(request, organisation, call_slug, application_id)
    member = _member_or_404(application, member_id)
    if not _is_lead(request, application):
        if member.user_id == request.user.pk:
            return redirect(
                "candidatures:application_member_part",
                organisation.slug,
                application.call.slug,
                application.pk,
            )
        raise Http404
    if application.status != Status.DRAFT:
        return _not_draft(request, organisation, application)
    roles = _roles(application)
    initial = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "role": member.role_id,
        "function": member.function,
        "phone": member.phone,
    }
    form = MemberForm(
        request.POST or None,
        initial=initial,
        roles=roles,
        lock_email=member.user_id is not None,
    )
    if request.method == "POST" and form.is_valid():
        kwargs = _member_service_kwargs(form)
        if "role" in form.fields:
            kwargs["role"] = form.cleaned_data.get("role")
        try:
            services.update_application_member(member=member, acting_user=request.user, **kwargs)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("La ligne de %(name)s est enregistrée.") % {"name": member.full_name}
            )
            return _to_members(organisation, application)
    return render(
        request,
        "candidatures/applications/member_edit.html",
        {"call": application.call, "application": application, "member": member, "form": form},
    )


@organisation_view(public=True)
@require_POST
def member_remove(request, organisation, call_slug, application_id, member_id):
    if not request.user.is_authenticated:
        raise Http404
    application = _application(request, organisation, call_slug, application_id)
    if not _is_lead(request, application):
        raise Http404
    member = _member_or_404(application, member_id)
    try:
        services.remove_application_member(member=member, acting_user=request.user)
    except ValidationError as error:
        _service_error_messages(request, error)
    else:
        messages.success(
            request, _("%(name)s ne fait plus partie de l'équipe.") % {"name": member.full_name}
        )
    return _to_members(organisation, application)


@organisation_view(public=True)
@require_POST
def member_invite(request, organisation, call_slug, application_id, member_id):
    if not request.user.is_authenticated:
        raise Http404
    application = _application(request, organisation, call_slug, application_id)
    if not _is_lead(request, application):
        raise Http404
    member = _member_or_404(application, member_id)
    try:
        services.resend_member_invitation(member=member, acting_user=request.user)
    except ValidationError as error:
        _service_error_messages(request, error)
    else:
        messages.success(
            request,
            _("L'invitation est renvoyée à %(name)s (%(email)s).")
            % {"name": member.full_name, "email": member.email},
        )
    return _to_members(organisation, application)


# --- Joining and one's own part ------------------------------------------------------


def _names(form) -> dict:
    return {key: form.cleaned_data[key] for key in ("first_name", "last_name")}


@organisation_view(public=True)
def application_join(request, organisation, call_slug, token):
    """The invitation link: whom it is for and who sent it; signed in with that
    address, the person joins the application."""
    call = get_public_call_or_404(request.user, organisation, call_slug)
    member = (
        ApplicationMember.objects.filter(
            organisation=organisation, application__call=call, token=token
        )
        .exclude(application__status=Status.WITHDRAWN)
        .select_related("application__created_by", "application__territory", "role")
        .first()
    )
    if member is None:
        raise Http404
    application = member.application
    application.call = call
    if request.user.is_authenticated and member.user_id == request.user.pk:
        return _to_detail(organisation, application)
    error = ""
    anonymous = not request.user.is_authenticated
    has_account = anonymous and account_exists_for(member.email)
    form = None
    if anonymous and not has_account and member.user_id is None:
        initial = {"first_name": member.first_name, "last_name": member.last_name}
        form = OnboardingForm(request.POST or None, initial=initial)
    if request.method == "POST" and (form is None or form.is_valid()):
        if has_account:
            return _login(request)
        try:
            if form is None:
                services.join_application(member=member, acting_user=request.user)
            else:  # a newcomer: one click creates the account, joins and logs in
                member = join_application_as_newcomer(member=member, **_names(form))
                log_in(request, member.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("Vous avez rejoint la candidature. Vérifiez vos coordonnées et confirmez."),
            )
            return redirect(
                "candidatures:application_member_part", organisation.slug, call.slug, application.pk
            )
    lead = application.created_by
    next_url = request.get_full_path()
    return render(
        request,
        "candidatures/applications/join.html",
        {
            "call": call,
            "application": application,
            "member": member,
            "inviter": lead.get_full_name() or lead.email,
            "error": error,
            "wrong_account": (
                request.user.is_authenticated and request.user.email.lower() != member.email.lower()
            ),
            "taken": member.user_id is not None,
            "next_url": next_url,
            "form": form,
            "has_account": has_account,
            "invited_email": member.email,
            "join_label": _("Rejoindre la candidature"),
            "login_url": f"{reverse('account_login')}?{urlencode({'next': next_url})}",
        },
    )


@organisation_view(public=True)
def member_part(request, organisation, call_slug, application_id):
    """« Ma partie »: a member's own details, confirmed to the lead."""
    if not request.user.is_authenticated:
        return _login(request)
    application = _application(request, organisation, call_slug, application_id)
    me = (
        ApplicationMember.objects.filter(application=application, user=request.user)
        .select_related("role")
        .first()
    )
    if me is None:
        raise Http404
    me.application = application
    if application.status != Status.DRAFT:
        return _not_draft(request, organisation, application)
    initial = {
        "first_name": me.first_name or request.user.first_name,
        "last_name": me.last_name or request.user.last_name,
        "function": me.function or request.user.function,
        "phone": me.phone or request.user.phone,
    }
    form = OwnLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_member_part(member=me, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Merci : votre participation est confirmée."))
            return _to_detail(organisation, application)
    lead = application.created_by
    return render(
        request,
        "candidatures/applications/member_part.html",
        {
            "call": application.call,
            "application": application,
            "member": me,
            "inviter": lead.get_full_name() or lead.email,
            "form": form,
        },
    )


# --- Submitting and withdrawing ------------------------------------------------------


@organisation_view(public=True)
@require_POST
def application_submit(request, organisation, call_slug, application_id):
    if not request.user.is_authenticated:
        raise Http404
    application = _application(request, organisation, call_slug, application_id)
    if not _is_lead(request, application):
        raise Http404
    try:
        services.submit_application(application=application, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _("La candidature n'est pas déposée :"))
        _service_error_messages(request, error)
    else:
        messages.success(
            request,
            _(
                "Votre candidature est déposée. Un e-mail de confirmation avec le récépissé "
                "vous est envoyé."
            ),
        )
    return _to_detail(organisation, application)


@organisation_view(public=True)
def application_withdraw(request, organisation, call_slug, application_id):
    """A confirmation page, then the withdrawal (the lead's, before the decision)."""
    if not request.user.is_authenticated:
        return _login(request)
    application = _application(request, organisation, call_slug, application_id)
    if not _is_lead(request, application):
        raise Http404
    if application.status not in WITHDRAWABLE:
        messages.info(
            request,
            _("Une candidature « %(status)s » ne peut plus être retirée.")
            % {"status": applicant_status(application)},
        )
        return _to_detail(organisation, application)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(
                application=application,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Votre candidature est retirée."))
            return _to_detail(organisation, application)
    return render(
        request,
        "candidatures/applications/withdraw.html",
        {"call": application.call, "application": application, "form": form},
    )


# --- Mes candidatures (every organisation) -------------------------------------------


@login_required
def my_applications(request):
    """The applications the person leads or joined, in every organisation."""
    user = request.user
    # Every condition is on the user: crossing organisations leaks nobody else's data.
    with scopes_disabled():
        joined = ApplicationMember.objects.filter(user=user).values("application_id")
        applications = (
            Application.objects.filter(Q(created_by=user) | Q(pk__in=joined))
            .filter(call__status="published")
            .select_related("organisation", "call", "territory")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        for application in rows:
            organisation = application.organisation
            application.url = reverse(
                "candidatures:application_detail",
                args=[organisation.slug, application.call.slug, application.pk],
            )
            application.status_label = applicant_status(application)
            application.is_lead = application.created_by_id == user.pk
            if application.status == Status.DRAFT:
                application.when = _("à déposer avant le %(when)s") % {
                    "when": format_moment(application.deadline(), organisation.time_zone)
                }
            elif application.submitted_at:
                application.when = _("déposée le %(when)s") % {
                    "when": format_moment(application.submitted_at, organisation.time_zone)
                }
            else:
                application.when = ""
    page.object_list = rows
    return render(request, "candidatures/applications/mine.html", {"page": page, "rows": rows})
