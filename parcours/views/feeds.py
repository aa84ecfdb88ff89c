"""Placeholder views, replaced while the issue is built."""

from django.http import HttpResponse

from organisations.access import organisation_view


@organisation_view("parcours.manage_programme")
def session_ics(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def feed_settings(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("parcours.manage_programme")
def calendar_feed(request, organisation, **kwargs):
    return HttpResponse("todo")
