"""Placeholder views, replaced while the issue is built."""

from django.http import HttpResponse

from organisations.access import organisation_view


@organisation_view("notifications.manage_messages")
def message_list(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("notifications.manage_messages")
def message_detail(request, organisation, **kwargs):
    return HttpResponse("todo")
