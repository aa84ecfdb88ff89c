"""Placeholder module: its owner replaces every view below."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view("evaluation.manage")
def campaign_list(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def campaign_create(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def automatic_list(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def automatic_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def automatic_delete(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def campaign_detail(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def campaign_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def campaign_launch(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def campaign_close(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def campaign_cancel(request, organisation, **kwargs):
    raise Http404
