"""The bell's pages: a person's in-app notifications in one organisation."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import services
from notifications.models import Notification
from organisations.access import organisation_view
from organisations.models import Organisation

NOTIFICATIONS_PER_PAGE = 25


def _list_context(request, organisation: Organisation) -> dict:
    notifications = Notification.objects.filter(organisation=organisation, user=request.user).only(
        "pk", "title", "body", "url", "created_at", "read_at"
    )
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page}


@organisation_view("notifications.view_notifications")
def notification_list(request, organisation: Organisation):
    return render(request, "notifications/inbox/list.html", _list_context(request, organisation))


def _local_path(url: str) -> str | None:
    """The path to follow after opening a notification: only a path of this site (an
    absolute link to our own SITE_URL is reduced to its path), never another host."""
    if url.startswith(settings.SITE_URL + "/"):
        url = url[len(settings.SITE_URL) :]
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return None


@organisation_view("notifications.view_notifications")
@require_POST
def notification_open(request, organisation: Organisation, notification_id: int):
    notification = get_object_or_404(
        Notification.objects.only("pk", "url"),
        organisation=organisation,
        user=request.user,
        pk=notification_id,
    )
    services.mark_read(
        user=request.user, organisation=organisation, notification_ids=[notification.pk]
    )
    target = _local_path(notification.url)
    if target is None:
        return redirect("notifications:list", organisation.slug)
    return redirect(target)


@organisation_view("notifications.view_notifications")
@require_POST
def mark_all_read(request, organisation: Organisation):
    count = services.mark_read(user=request.user, organisation=organisation)
    if count:
        feedback = _("Toutes vos notifications sont marquées comme lues.")
    else:
        feedback = _("Vous n'aviez aucune notification non lue.")
    if request.htmx:
        context = _list_context(request, organisation)
        context["feedback"] = feedback
        context["oob_bell"] = True
        return render(request, "notifications/inbox/list.html#results", context)
    messages.success(request, feedback)
    return redirect("notifications:list", organisation.slug)
