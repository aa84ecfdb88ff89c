"""Placeholder module: its owner replaces every view below."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view("evaluation.manage")
def my_campaigns(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def answer(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def assess_list(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def assess_subject(request, organisation, **kwargs):
    raise Http404
