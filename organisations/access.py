"""The one door into tenant pages: ``organisation_view`` and the ``get_*_or_404`` helpers.

Anything a user may not see answers 404 (never 403), so ids don't leak across tenants.
"""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from .models import Invitation, Membership, Organisation
from .rules import is_coordinator


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
                if (
                    organisation.require_mfa_for_coordinators
                    and is_coordinator(request.user, organisation)
                    and not is_mfa_enabled(request.user)
                ):
                    messages.warning(
                        request,
                        _(
                            "%(organisation)s demande aux coordinateurs d'activer la double "
                            "authentification. Configurez-la pour continuer."
                        )
                        % {"organisation": organisation.name},
                    )
                    return redirect("mfa_activate_totp")
            return view(request, organisation, *args, **kwargs)

        wrapper.sillon_public = public
        wrapper.sillon_permission = permission
        return wrapper

    return decorator


def get_membership_or_404(organisation: Organisation, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"),
        organisation=organisation,
        pk=membership_id,
    )


def get_invitation_or_404(organisation: Organisation, invitation_id: int) -> Invitation:
    return get_object_or_404(Invitation.objects, organisation=organisation, pk=invitation_id)
