"""Placeholder module: its owner replaces every view below."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view("evaluation.manage")
def campaign_results(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def response_list(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def response_detail(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def non_respondents(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def remind(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def export(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def programme_progression(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def team_progression(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def programme_satisfaction(request, organisation, **kwargs):
    raise Http404
