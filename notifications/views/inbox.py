"""Placeholder views, replaced while the issue is built."""

from django.http import HttpResponse

from organisations.access import organisation_view


@organisation_view("notifications.manage_messages")
def notification_list(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("notifications.manage_messages")
def notification_open(request, organisation, **kwargs):
    return HttpResponse("todo")


@organisation_view("notifications.manage_messages")
def mark_all_read(request, organisation, **kwargs):
    return HttpResponse("todo")
