"""Placeholder: helper A replaces this module."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view(public=True)
def call_public_list(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def call_public(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def call_attachment(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def call_list(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def call_create(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def call_manage(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def call_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def call_publish(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def call_attachments(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def call_attachment_delete(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def scoring_grid(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def criterion_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def criterion_delete(request, organisation, **kwargs):
    raise Http404
