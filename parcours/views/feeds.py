"""iCal: the per-session download, the personal feed and the page to subscribe to it."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scopes_disabled

from organisations.access import organisation_view
from organisations.models import Role
from organisations.roles import role_in
from parcours import ical, services
from parcours.access import get_session_for_user_or_404
from parcours.models import CalendarFeed
from parcours.selectors import is_expected, sessions_expected_for
from parcours.services.speakers import speaker_items
from sillon.mail import absolute_url

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"

# The feed carries the sessions of the last year onwards: enough for a calendar client,
# bounded for a long-lived account.
FEED_HISTORY = timedelta(days=365)


def _calendar_response(content: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type=CALENDAR_CONTENT_TYPE)
    response["Cache-Control"] = "private, no-store"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Same rule as the session page (parcours.views.calendar): staff and expected people.
STAFF_ROLES = (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER)


def _may_see_visio(user, organisation, session) -> bool:
    if role_in(user, organisation) in STAFF_ROLES:
        return True
    return is_expected(user, session)


@organisation_view("parcours.view_calendar")
@require_GET
def session_ics(request, organisation, session_id: int):
    session = get_session_for_user_or_404(request.user, organisation, session_id)
    if not session.is_dated:
        raise Http404  # « date à confirmer »: no event at a made-up date
    # A linked speaker gets their own items at their times, not the whole session.
    items = speaker_items(session, request.user)
    if items:
        content = ical.speaker_calendar(session, items)
    else:
        content = ical.session_calendar(
            session, with_visio=_may_see_visio(request.user, organisation, session)
        )
    filename = f"{slugify(session.title) or 'seance'}.ics"
    return _calendar_response(content, filename=filename)


@require_GET
def calendar_feed(request, token: str):
    """The personal feed, reached by its secret token alone (calendar clients do not log
    in). Two queries whatever the number of sessions."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    since = timezone.now() - FEED_HISTORY
    # The feed crosses organisations on purpose: every condition is on the feed's owner.
    with scopes_disabled():
        sessions = list(
            sessions_expected_for(feed.user).filter(ends_at__gte=since).order_by("starts_at", "pk")
        )
        content = ical.feed_calendar(feed.user, sessions)
    return _calendar_response(content)


def _feed_urls(feed: CalendarFeed) -> dict[str, str]:
    https_url = absolute_url(reverse("calendar_feed", kwargs={"token": feed.token}))
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return {"feed_url": https_url, "webcal_url": webcal_url}


@login_required
@never_cache  # the page shows a secret address
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    """Show the personal feed address. Nothing is written on GET: the address is created
    by "Activer mon abonnement" and replaced by "Générer une nouvelle adresse"."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "activate":
            services.calendar_feed_for(request.user)
            messages.success(request, _("Votre adresse d'abonnement est prête."))
        elif action == "renew":
            services.renew_calendar_feed(user=request.user)
            messages.success(
                request,
                _(
                    "Nouvelle adresse générée. L'ancienne ne fonctionne plus : mettez à jour "
                    "votre agenda avec celle-ci."
                ),
            )
        return redirect("calendar_feed_settings")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    context = {"feed": feed, "feed_url": "", "webcal_url": ""}
    if feed is not None:
        context.update(_feed_urls(feed))
    return render(request, "parcours/feed_settings.html", context)
