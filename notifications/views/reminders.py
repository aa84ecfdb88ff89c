"""Placeholder views, replaced while the issue is built."""

from django.http import HttpResponse

from organisations.access import organisation_view


@organisation_view("notifications.manage_messages")
def upcoming(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("notifications.manage_messages")
def reminder_settings(request, organisation, **kwargs):
    return HttpResponse("todo")
