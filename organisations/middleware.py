from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_scopes import scope

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
