"""Placeholder: helper B replaces this module."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view(public=True)
def application_start(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def application_detail(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def application_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def application_members(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def member_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def member_remove(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def member_invite(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def application_submit(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def application_withdraw(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def application_join(request, organisation, **kwargs):
    raise Http404


@organisation_view(public=True)
def member_part(request, organisation, **kwargs):
    raise Http404


def my_applications(request):
    raise Http404
