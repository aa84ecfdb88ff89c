from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_scopes import scope

from .access import coordinator_second_factor_refusal
from .models import Organisation


class OrganisationMiddleware:
    """Resolve ``/<organisation_slug>/…`` and run the view *and its rendering* inside the
    organisation's scope, so every tenant query is filtered and an unscoped one raises."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("organisation_slug")
        if slug is None:
            return self.get_response(request)
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise Http404(_("Aucune organisation ne porte cet identifiant."))
        request.organisation = organisation
        with scope(organisation=organisation.pk):
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response


class CoordinatorSecondFactorMiddleware:
    """A coordinator of an organisation that requires two-factor authentication
    (« deux facteurs obligatoires ») and has no authenticator app yet is sent to set one
    up from every page: that organisation's, another one's, and the pages of no
    organisation (home, profile, notifications…). Left open: allauth's own pages (login,
    logout, re-authentication, the set-up itself), static files and ``/health/``.

    Comes after ``OrganisationMiddleware`` (it reads ``request.organisation``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self.is_exempt(request):
            refusal = coordinator_second_factor_refusal(
                request, getattr(request, "organisation", None)
            )
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def is_exempt(request) -> bool:
        path = request.path_info
        if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return False
        if match.url_name == "health":
            return True
        return match.func.__module__.startswith("allauth.")
