"""What every write of open registration shares: the event's state (open, closed,
full), the workshop rounds of its session, and the check of a person's choices."""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from inscriptions.models import Event, Registrant
from parcours.models import AgendaItem, Session, SessionRegistration, WorkshopRegistration
from sillon.formatting import format_day


@dataclass
class Person:
    """One person as typed in a registration form; ``workshops``: {round id: Workshop}."""

    first_name: str
    last_name: str
    email: str
    structure: str
    function: str
    workshops: dict = field(default_factory=dict)


def normalise(email: str) -> str:
    return (email or "").strip().lower()


def direct_registrations(event: Event):
    """The session's registrations that went around the event: people registered from
    the session's page (« Je m'inscris ») before its event was published, with no
    confirmed registration of the event. They hold a place like the registrants."""
    return SessionRegistration.objects.filter(session_id=event.session_id).exclude(
        user__in=Registrant.objects.filter(
            event=event, status=Registrant.Status.CONFIRMED, user__isnull=False
        ).values("user")
    )


def _count(queryset):
    """``queryset``'s number of rows, as a subquery."""
    rows = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(rows[:1]), 0)


def places_taken():
    """An annotation of events: the places taken, i.e. the confirmed registrants and the
    direct registrations (each person once, whichever way they registered)."""
    confirmed = Registrant.objects.filter(event=OuterRef("pk"), status=Registrant.Status.CONFIRMED)
    direct = SessionRegistration.objects.filter(session=OuterRef("session")).exclude(
        user__in=Registrant.objects.filter(
            event=OuterRef(OuterRef("pk")),
            status=Registrant.Status.CONFIRMED,
            user__isnull=False,
        ).values("user")
    )
    return _count(confirmed) + _count(direct)


def confirmed_count(event: Event) -> int:
    """The places taken of ``event`` (``places_taken``, one query)."""
    return (
        Event.objects.filter(pk=event.pk)
        .annotate(taken=places_taken())
        .values_list("taken", flat=True)
        .get()
    )


def closed_reason(
    event: Event, *, confirmed: int | None = None, now=None, late_ok: bool = False
) -> str:
    """Why nobody can register now (« » while open). ``event.session`` is loaded.
    ``late_ok``: past the deadline is no reason (a coordinator adds someone)."""
    now = now or timezone.now()
    session = event.session
    if not event.published:
        return _("Les inscriptions ne sont pas ouvertes.")
    if session.status == Session.Status.CANCELLED:
        return _("Cet événement est annulé.")
    if session.audience != Session.Audience.OPEN:
        return _("Cette séance n'est pas ouverte aux inscriptions.")
    if not late_ok and (now >= event.deadline or (session.is_dated and session.starts_at <= now)):
        return _("Les inscriptions sont closes depuis le %(day)s.") % {
            "day": format_day(event.deadline.astimezone(zone_of(event)).date())
        }
    places = event.places
    if places is not None:
        if confirmed is None:
            confirmed = confirmed_count(event)
        if confirmed >= places:
            return _("L'événement est complet.")
    return ""


def zone_of(event: Event) -> ZoneInfo:
    return ZoneInfo(event.organisation.time_zone)


def workshop_rounds(session) -> list[AgendaItem]:
    """The session's rounds of workshops with their workshops (two queries)."""
    return list(
        AgendaItem.objects.filter(session=session, kind=AgendaItem.Kind.WORKSHOPS)
        .prefetch_related("workshops")
        .order_by("day", "start_time", "pk")
    )


def taken_places(session) -> dict[int, int]:
    """{workshop id: places taken} over the session (one query)."""
    return dict(
        WorkshopRegistration.objects.filter(round__session=session)
        .values("workshop")
        .annotate(count=Count("pk"))
        .values_list("workshop", "count")
    )


def check_choices(rounds, workshops: dict, *, prefix: str = "") -> dict:
    """``workshops`` ({round id: Workshop}) checked against ``rounds``: one workshop per
    round, each of its round, never the same workshop (by its title) twice. Returns
    the choices by round id; raises ValidationError keyed ``round_<id>``."""
    errors = {}
    by_round = {item.pk: item for item in rounds}
    chosen = {}
    for round_id, workshop in workshops.items():
        if round_id not in by_round:
            errors[f"{prefix}workshops"] = _("Ce temps d'ateliers n'appartient pas à l'événement.")
            continue
        if workshop is None:
            continue
        item = by_round[round_id]
        if workshop.round_id != round_id or workshop.organisation_id != item.organisation_id:
            errors[f"{prefix}round_{round_id}"] = _("Choisissez un atelier de ce temps.")
            continue
        chosen[round_id] = workshop
    for item in rounds:
        if item.pk not in chosen and f"{prefix}round_{item.pk}" not in errors:
            errors[f"{prefix}round_{item.pk}"] = _("Choisissez un atelier pour « %(round)s ».") % {
                "round": item.title
            }
    titles = {}
    for round_id, workshop in chosen.items():
        key = " ".join(workshop.title.split()).casefold()
        if key in titles:
            errors[f"{prefix}round_{round_id}"] = _(
                "Vous avez déjà choisi « %(title)s » : choisissez un autre atelier."
            ) % {"title": workshop.title}
        titles[key] = round_id
    if errors:
        raise ValidationError(errors)
    return chosen


def touch(event: Event) -> None:
    """Mark the event changed (places taken or freed): its public page's cached part is
    keyed by ``updated_at`` (``inscriptions.views.public``)."""
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())
