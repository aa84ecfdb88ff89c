"""Placeholder views, replaced while the issue is built."""

from django.http import HttpResponse

from organisations.access import organisation_view


@organisation_view("parcours.manage_programme")
def programme_list(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def programme_timeline(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def programme_month(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def session_list(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def session_detail(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def session_register(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def workshop_choose(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def document_download(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def my_calendar(request, organisation, **kwargs):
    return HttpResponse("todo")
