"""Getting an event or a registrant, or 404.

Public side: a published event by its address, a registrant by the token of their
personal link (the event published too). Staff side: an event of a programme the user
sees, for coordinators (write) and trainers (read)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from inscriptions.models import Event, Registrant
from organisations.models import Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404

STAFF = (Role.COORDINATOR, Role.TRAINER)


def _events(organisation):
    return Event.objects.filter(organisation=organisation).select_related(
        "organisation", "session__organisation", "session__programme", "session__kind"
    )


def get_public_event_or_404(organisation, slug: str) -> Event:
    """A published event, with its session (the organisation set without a join: the
    public page is measured against the floor, ``bench/inscriptions.py``)."""
    event = get_object_or_404(
        Event.objects.select_related("session"),
        organisation=organisation,
        slug=slug,
        published=True,
    )
    event.organisation = organisation
    event.session.organisation = organisation
    return event


def get_registrant_or_404(event: Event, token: str) -> Registrant:
    registrant = get_object_or_404(
        Registrant.objects.select_related("collective", "user"),
        organisation=event.organisation,
        event=event,
        token=token,
    )
    registrant.event = event
    return registrant


def staff_role_or_404(user, organisation) -> str:
    role = role_in(user, organisation)
    if role not in STAFF:
        raise Http404
    return role


def get_staff_programme_or_404(user, organisation, programme_id: int):
    staff_role_or_404(user, organisation)
    return get_programme_for_user_or_404(user, organisation, programme_id)


def get_staff_event_or_404(user, organisation, programme_id: int, event_id: int):
    programme = get_staff_programme_or_404(user, organisation, programme_id)
    event = get_object_or_404(_events(organisation), session__programme=programme, pk=event_id)
    return programme, event


def get_event_registrant_or_404(event: Event, registrant_id: int) -> Registrant:
    registrant = get_object_or_404(
        Registrant.objects.select_related("collective", "user"),
        organisation=event.organisation,
        event=event,
        pk=registrant_id,
    )
    registrant.event = event
    return registrant
