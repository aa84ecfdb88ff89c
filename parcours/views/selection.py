"""Placeholder: helper C replaces this module."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view()
def application_list(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def applications_export(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def application_review(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def application_decide(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def application_reopen(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def announce_decisions(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def team_invite(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def team_invitation_resend(request, organisation, **kwargs):
    raise Http404


@organisation_view()
def team_invitation_revoke(request, organisation, **kwargs):
    raise Http404
