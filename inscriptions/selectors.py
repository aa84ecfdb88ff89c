"""Reads of open registration, in a fixed number of queries whatever the number of
registrants: the public page (rounds, places taken, places left), the coordinator's
dashboard (people with their collectif and workshops, per workshop, per fonction and
structure, waiting lists, late changes), the export."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from inscriptions.models import Event, Registrant, WorkshopChoice
from inscriptions.services import (
    closed_reason,
    confirmed_count,
    direct_registrations,
    normalise,
    places_taken,
    taken_places,
    workshop_rounds,
)
from parcours.models import AgendaItem

RECENT = timedelta(days=7)


def public_page(event: Event) -> dict:
    """What the public page shows: the day's agenda, each workshop's places left, and
    whether registering is open (five queries)."""
    session = event.session
    items = list(
        AgendaItem.objects.filter(session=session)
        .prefetch_related("workshops")
        .order_by("day", "start_time", "pk")
    )
    rounds = [item for item in items if item.is_workshop_round]
    taken = taken_places(session)
    confirmed = confirmed_count(event)  # the direct registrations of the session too
    for item in rounds:
        for workshop in item.workshops.all():
            workshop.taken = taken.get(workshop.pk, 0)
            workshop.left = (
                None if workshop.capacity is None else max(0, workshop.capacity - workshop.taken)
            )
    places = event.places
    return {
        "event": event,
        "session": session,
        "agenda": items,
        "rounds": rounds,
        "taken": taken,
        "confirmed": confirmed,
        "places_left": None if places is None else max(0, places - confirmed),
        "closed": closed_reason(event, confirmed=confirmed),
    }


def registrants_of(event: Event):
    """Every registrant (cancelled ones too) with their collectif and choices."""
    choices = WorkshopChoice.objects.select_related("workshop", "round").order_by(
        "round__day", "round__start_time", "pk"
    )
    return (
        Registrant.objects.filter(event=event)
        .select_related("collective__territory", "collective__team")
        .prefetch_related(Prefetch("choices", queryset=choices))
        .order_by("collective__name", "last_name", "first_name", "pk")
    )


def dashboard(event: Event) -> dict:
    """The coordinator's view of an event (a fixed number of queries)."""
    now = timezone.now()
    people = list(registrants_of(event))
    active = [person for person in people if not person.is_cancelled]
    confirmed = [person for person in active if person.is_confirmed]
    rounds = workshop_rounds(event.session)
    taken = taken_places(event.session)
    waiting: dict[int, list] = defaultdict(list)
    for person in active:
        for choice in person.choices.all():
            if choice.is_waiting and person.is_confirmed:
                waiting[choice.workshop_id].append((choice.waiting_since, person))
    for item in rounds:
        for workshop in item.workshops.all():
            workshop.taken = taken.get(workshop.pk, 0)
            workshop.left = (
                None if workshop.capacity is None else max(0, workshop.capacity - workshop.taken)
            )
            workshop.waiting = [
                person
                for _since, person in sorted(
                    waiting[workshop.pk], key=lambda row: (row[0], row[1].pk)
                )
            ]
    collectives = defaultdict(list)
    for person in active:
        collectives[person.collective].append(person)
    groups = sorted(
        collectives.items(), key=lambda pair: (pair[0] is None, pair[0].name if pair[0] else "")
    )
    places = event.places
    late = [
        person
        for person in people
        if person.changed_at and (person.changed_late or now - person.changed_at <= RECENT)
    ]
    late.sort(key=lambda person: person.changed_at, reverse=True)
    direct = list(
        direct_registrations(event)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    seats = len(confirmed) + len(direct)
    return {
        "people": active,
        "direct": direct,
        "confirmed_count": seats,
        "pending_count": len(active) - len(confirmed),
        "cancelled_count": len(people) - len(active),
        "places_left": None if places is None else max(0, places - seats),
        "rounds": rounds,
        "groups": groups,
        "functions": Counter(person.function for person in confirmed).most_common(),
        "structures": Counter(person.structure for person in confirmed).most_common(),
        "late": late,
    }


def events_of(programme):
    """The programme's events with their counts (one query): ``confirmed``, the places
    taken (direct registrations to the session included), ``pending``."""
    return (
        Event.objects.filter(session__programme=programme)
        .select_related("session__organisation", "organisation")
        .annotate(
            confirmed=places_taken(),
            pending=Count("registrants", filter=Q(registrants__status="pending")),
        )
        .order_by("deadline", "pk")
    )


def registration_of(event: Event, user) -> Registrant | None:
    """The signed-in ``user``'s registration to ``event`` (theirs, or made with their
    address and still pending), not cancelled, with its workshops (two queries)."""
    choices = WorkshopChoice.objects.select_related("workshop", "round").order_by(
        "round__day", "round__start_time", "pk"
    )
    return (
        Registrant.objects.filter(event=event)
        .filter(Q(user=user) | Q(email=normalise(user.email)))
        .exclude(status=Registrant.Status.CANCELLED)
        .prefetch_related(Prefetch("choices", queryset=choices))
        .order_by(F("confirmed_at").desc(nulls_last=True), "pk")
        .first()
    )
