"""Placeholder views, replaced while the issue is built."""

from django.http import HttpResponse

from organisations.access import organisation_view


@organisation_view("notifications.manage_messages")
def preference_page(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("notifications.manage_messages")
def unsubscribe(request, organisation, **kwargs):
    return HttpResponse("todo")
