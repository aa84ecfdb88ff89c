"""The one door into tenant pages: ``organisation_view`` and the ``get_*_or_404`` helpers.

Anything a user may not see answers 404 (never 403), so ids don't leak across tenants.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.second_factor import has_totp, redirect_to_totp_set_up

from .models import Invitation, Membership, Organisation, Role
from .roles import roles_by_organisation


def organisation_view(permission: str | None = "organisations.view_organisation", *, public=False):
    """Decorate a view whose URL starts with ``<slug:organisation_slug>/``.

    The middleware has already found the organisation and entered its scope. This checks
    ``permission`` (a ``rules`` permission taking the organisation) and passes the
    organisation as the view's second argument. ``public=True`` marks a page anyone may
    read (a published call for applications): the tenant sweep checks that mark.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, organisation_slug, *args, **kwargs):
            organisation: Organisation = request.organisation
            if organisation is None or organisation.slug != organisation_slug:
                raise Http404
            if not public:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not request.user.has_perm(permission, organisation):
                    raise Http404
                # CoordinatorSecondFactorMiddleware already stopped them; kept here too so
                # that a tenant page never opens without it, whatever the middleware list.
                refusal = coordinator_second_factor_refusal(request, organisation)
                if refusal is not None:
                    return refusal
            return view(request, organisation, *args, **kwargs)

        wrapper.sillon_public = public
        wrapper.sillon_permission = permission
        return wrapper

    return decorator


def organisation_requiring_totp(user, current: Organisation | None = None) -> Organisation | None:
    """The first organisation where ``user`` coordinates and which asks its coordinators
    for two-factor authentication (``require_mfa_for_coordinators``), or ``None``.

    Reads the user's roles (computed once per request) and, for a coordinator, the flag of
    the organisations they coordinate: no query when ``current`` is the only one.
    """
    coordinated = [
        organisation_id
        for organisation_id, role in roles_by_organisation(user).items()
        if role == Role.COORDINATOR
    ]
    if not coordinated:
        return None
    if current is not None and coordinated == [current.pk]:
        return current if current.require_mfa_for_coordinators else None
    return (
        Organisation.objects.filter(pk__in=coordinated, require_mfa_for_coordinators=True)
        .order_by("name")
        .first()
    )


def coordinator_second_factor_refusal(request, current: Organisation | None = None):
    """The redirection to the authenticator app's set-up for a coordinator of an
    organisation requiring it who has none yet, or ``None``."""
    user = request.user
    if not user.is_authenticated:
        return None
    organisation = organisation_requiring_totp(user, current)
    if organisation is None or has_totp(user):
        return None
    return redirect_to_totp_set_up(
        request,
        _(
            "%(organisation)s demande aux coordinateurs d'activer la double "
            "authentification. Configurez-la pour continuer."
        )
        % {"organisation": organisation.name},
    )


def get_membership_or_404(organisation: Organisation, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"),
        organisation=organisation,
        pk=membership_id,
    )


def get_invitation_or_404(organisation: Organisation, invitation_id: int) -> Invitation:
    return get_object_or_404(Invitation.objects, organisation=organisation, pk=invitation_id)
