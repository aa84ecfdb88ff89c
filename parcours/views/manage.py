"""Placeholder views, replaced while the issue is built."""

from django.http import HttpResponse

from organisations.access import organisation_view


@organisation_view("parcours.manage_programme")
def programme_create(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def programme_edit(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def programme_publish(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def programme_archive(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def programme_copy(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def phase_list(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def phase_edit(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def phase_delete(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def kind_list(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def kind_edit(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def team_list(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def session_create(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def individual_sessions(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def session_edit(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def session_duplicate(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def session_cancel(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def agenda_edit(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def agenda_item_edit(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def agenda_item_delete(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def workshop_add(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def workshop_edit(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def workshop_delete(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def document_add(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def document_delete(request, organisation, **kwargs):
    return HttpResponse("todo")
