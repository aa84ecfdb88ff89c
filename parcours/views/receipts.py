"""Placeholder: helper E replaces this module."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view(public=True)
def application_receipt(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def engagement_pdf(request, organisation, **kwargs):
    raise Http404
