"""Placeholder module: its owner replaces every view below."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view("evaluation.manage")
def questionnaire_list(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def questionnaire_create(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def template_list(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def questionnaire_detail(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def questionnaire_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def questionnaire_copy(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def questionnaire_archive(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def draft_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def version_new(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def version_publish(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def version_discard(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def version_detail(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def section_add(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def section_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def section_delete(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def question_add(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def question_edit(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def question_delete(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def question_move(request, organisation, **kwargs):
    raise Http404


@organisation_view("evaluation.manage")
def grid_edit(request, organisation, **kwargs):
    raise Http404
