"""What open registration adds to the pages below it:

* the « Inscriptions » tab of a programme (``parcours.programme_tabs``), for its
  coordinators and trainers;
* how to register to a session (``parcours.registration_panels``): its public event
  page when it has one (the call's public page shows it for its webinar); on the
  session's own page, the signed-in person's registration to the event (registered
  with their workshops, waiting list, to confirm, or « M'inscrire »), which replaces
  « Je m'inscris »;
* on an open session's page, for its staff, its event page: the dashboard and the
  public page, or « Ouvrir les inscriptions en ligne » (``parcours.session_panels``);
* the registrants' addresses among the organisation's people whose bounces its
  coordinators see (``notifications.message_audiences``);
* what a person's registrations hold (``accounts.personal_data``).
"""

from django.db.models.functions import Lower
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.extensions import personal_data
from inscriptions import services
from inscriptions.models import Event, Registrant
from inscriptions.selectors import registration_of
from notifications.audiences import message_audiences
from organisations.home_sections import HomeSection
from organisations.models import Role
from organisations.roles import role_in
from parcours.extensions import programme_tabs, registration_panels, session_panels
from parcours.models import Session, SessionRegistration
from sillon.formatting import format_moment, format_session_when


@receiver(programme_tabs, dispatch_uid="inscriptions.events")
def events_tab(sender, *, request, organisation, programme, **kwargs):
    if role_in(request.user, organisation) not in (Role.COORDINATOR, Role.TRAINER):
        return []
    url = reverse("inscriptions:list", args=[organisation.slug, programme.pk])
    return [(_("Inscriptions"), url, "inscriptions")]


def session_event(request, organisation, session) -> Event | None:
    """The session's event (published or not) with its places taken (``confirmed``),
    read once per request: the registration panel and the staff's panel share it."""
    cache = request.__dict__.setdefault("_sillon_session_events", {})
    if session.pk not in cache:
        cache[session.pk] = (
            Event.objects.filter(organisation=organisation, session_id=session.pk)
            .select_related("session__organisation")
            .annotate(confirmed=services.places_taken())  # the direct registrations too
            .first()
        )
    return cache[session.pk]


@receiver(registration_panels, dispatch_uid="inscriptions.session_event")
def session_event_panel(sender, *, request, organisation, session, place="public", **kwargs):
    """« S'inscrire »: the session's public event page, when published (a call's
    webinar, on the call's public page). On the session's own page (``place`` «
    session »), the signed-in person's registration to the event instead of « Je
    m'inscris »."""
    event = session_event(request, organisation, session)
    if event is None or not event.published:
        return None
    url = reverse("inscriptions:event", args=[organisation.slug, event.slug])
    if place == "session" and request.user.is_authenticated:
        return HomeSection(
            "inscriptions/session_page_registration.html",
            _viewer_status(request.user, organisation, session, event, url),
        )
    return HomeSection(
        "inscriptions/session_registration.html",
        {
            "event": event,
            "session": event.session,
            "when": format_session_when(event.session),
            "deadline_when": format_moment(event.deadline, organisation),
            "url": url,
        },
    )


def _viewer_status(user, organisation, session, event, url) -> dict:
    """The person's way through the event from the session's page: registered (their
    workshops, a place or the waiting list), waiting for their confirmation, registered
    directly to the session before the event opened, or not yet."""
    event.organisation = organisation
    event.session = session
    taken = event.confirmed
    places = event.places
    registrant = registration_of(event, user)
    direct = False
    if registrant is None or not registrant.is_confirmed:
        direct = getattr(session, "loaded_viewer_registered", None)
        if direct is None:
            direct = SessionRegistration.objects.filter(session=session, user=user).exists()
    slug, event_slug = organisation.slug, event.slug
    return {
        "event": event,
        "url": url,
        "register_url": reverse("inscriptions:register", args=[slug, event_slug]),
        "resend_url": reverse("inscriptions:resend", args=[slug, event_slug]),
        "personal_url": (
            reverse("inscriptions:personal", args=[slug, event_slug, registrant.token])
            if registrant is not None
            else ""
        ),
        "registrant": registrant,
        "choices": list(registrant.choices.all()) if registrant is not None else [],
        "direct": bool(direct),
        "session_id": session.pk,
        "taken": taken,
        "places_left": None if places is None else max(0, places - taken),
        "closed": services.closed_reason(event, confirmed=taken),
        "deadline_when": format_moment(event.deadline, organisation),
    }


@receiver(session_panels, dispatch_uid="inscriptions.session_staff_panel")
def session_staff_panel(sender, *, request, organisation, session, **kwargs):
    """The staff's way from an open session to its registrations (one query)."""
    role = role_in(request.user, organisation)
    if role not in (Role.COORDINATOR, Role.TRAINER) or session.audience != Session.Audience.OPEN:
        return None
    event = session_event(request, organisation, session)
    if event is None and role != Role.COORDINATOR:
        return None
    return HomeSection(
        "inscriptions/session_panel.html",
        {
            "event": event,
            "programme_id": session.programme_id,
            "session_id": session.pk,
            "can_manage": role == Role.COORDINATOR,
        },
    )


@receiver(message_audiences, dispatch_uid="inscriptions.registrant_addresses")
def registrant_addresses(sender, *, organisation, **kwargs):
    return (
        Registrant.objects.filter(organisation=organisation)
        .annotate(address=Lower("email"))
        .values("address")
    )


@receiver(personal_data, dispatch_uid="inscriptions.personal_data")
def registrations_data(sender, *, user, **kwargs):
    # The filter is on the person themself: reading across organisations is the point.
    with scopes_disabled():
        rows = [
            {
                "evenement": str(person.event.session),
                "organisation": person.organisation.name,
                "structure": person.structure,
                "fonction": person.function,
                "statut": person.get_status_display(),
                "collectif": person.collective.name if person.collective else "",
                "ateliers": [choice.workshop.title for choice in person.choices.all()],
            }
            for person in Registrant.objects.filter(user=user)
            .select_related("event__session", "organisation", "collective")
            .prefetch_related("choices__workshop")
        ]
    return "inscriptions", {"inscriptions_aux_événements": rows}
