"""Sessions as iCalendar (RFC 5545) data, built with the ``icalendar`` library.

Used by the personal feed (METHOD:PUBLISH), the per-session download and the e-mail
attachments (METHOD:REQUEST for convocations and changes, METHOD:CANCEL for
cancellations). A session's UID never changes; its SEQUENCE grows with every
significant change (``parcours.services.update_session``), so calendar clients replace
the event instead of adding a second one.

Times are written in the organisation's time zone (``TZID=Europe/Paris``) with the
matching VTIMEZONE, so clients show the right local time on both sides of a daylight
saving change; all-day sessions are plain dates with an exclusive end.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from parcours.models import Session
from sillon.mail import absolute_url

PRODID = "-//Sillon//Parcours//FR"

PUBLISH = "PUBLISH"
REQUEST = "REQUEST"
CANCEL = "CANCEL"

STATUSES = {
    Session.Status.SCHEDULED: "CONFIRMED",
    Session.Status.TENTATIVE: "TENTATIVE",
    Session.Status.CANCELLED: "CANCELLED",
}


def event_uid(session: Session) -> str:
    return f"{session.uid}@sillon"


def session_url(session: Session) -> str:
    return absolute_url(
        reverse(
            "parcours:session_detail",
            kwargs={"organisation_slug": session.organisation.slug, "session_id": session.pk},
        )
    )


def _summary(session: Session) -> str:
    if session.is_cancelled:
        return _("[Annulée] %(title)s") % {"title": session.title}
    if session.status == Session.Status.TENTATIVE:
        return _("[À confirmer] %(title)s") % {"title": session.title}
    return session.title


def _location(session: Session, *, with_visio: bool) -> str:
    parts = []
    if session.is_in_person and session.place:
        parts.append(" ".join(session.place.split()))
    if session.is_remote:
        if with_visio and session.visio_url:
            parts.append(session.visio_url)
        else:
            parts.append(_("Visio (lien communiqué aux personnes attendues)"))
    return " — ".join(parts)


def _description(session: Session, *, with_visio: bool, url: str) -> str:
    lines = [_("Type : %(kind)s") % {"kind": session.kind.name}]
    lines.append(_("Format : %(format)s") % {"format": session.get_format_display()})
    if session.is_cancelled:
        lines.append(_("Séance annulée."))
        if session.cancellation_reason:
            lines.append(_("Motif : %(reason)s") % {"reason": session.cancellation_reason})
    elif session.status == Session.Status.TENTATIVE:
        lines.append(_("Date à confirmer."))
    if session.date_note:
        lines.append(_("Précision sur la date : %(note)s") % {"note": session.date_note})
    if session.is_in_person and session.place:
        lines.append(_("Lieu : %(place)s") % {"place": " ".join(session.place.split())})
    if session.is_remote and with_visio and session.visio_url:
        lines.append(_("Lien de visio : %(url)s") % {"url": session.visio_url})
    if session.objectives:
        lines.extend(["", _("Objectifs :"), session.objectives.strip()])
    lines.extend(["", _("Page de la séance : %(url)s") % {"url": url}])
    return "\n".join(lines)


def _organizer(session: Session) -> vCalAddress:
    organisation = session.organisation
    address = organisation.contact_email or _default_from_address()
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = organisation.name
    return organizer


def _default_from_address() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    if "<" in sender:
        sender = sender.split("<", 1)[1].rstrip(">")
    return sender.strip()


def _start_end(session: Session) -> tuple[date | datetime, date | datetime]:
    zone = ZoneInfo(session.organisation.time_zone)
    start = session.starts_at.astimezone(zone)
    end = session.ends_at.astimezone(zone)
    if session.all_day:
        first = start.date()
        # ends_at is the exclusive midnight after the last day: exactly DTEND;VALUE=DATE.
        last = end.date() if end.time() == datetime.min.time() else end.date() + timedelta(1)
        return first, max(last, first + timedelta(days=1))
    return start, end


def session_event(
    session: Session, *, with_visio: bool, attendee=None, stamp: datetime | None = None
) -> Event:
    """One VEVENT. ``session`` needs ``kind`` and ``organisation`` loaded (no query here).

    ``with_visio``: whether the visio link may be written (only for people expected at
    the session and staff). ``attendee``: the recipient of an invitation (METHOD:REQUEST).
    """
    url = session_url(session)
    start, end = _start_end(session)
    event = Event.new(
        uid=event_uid(session),
        sequence=session.sequence,
        stamp=stamp or timezone.now(),
        created=session.created_at,
        last_modified=session.updated_at,
        summary=_summary(session),
        start=start,
        end=end,
        location=_location(session, with_visio=with_visio) or None,
        description=_description(session, with_visio=with_visio, url=url),
        url=url,
        status=STATUSES[session.status],
        categories=[session.kind.name],
        organizer=_organizer(session),
    )
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["CN"] = attendee.get_full_name() or attendee.email
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "FALSE"
        event.add("attendee", address)
    return event


def build_calendar(
    sessions: Iterable[Session],
    *,
    name: str,
    method: str = PUBLISH,
    with_visio: bool = True,
    attendee=None,
    refresh: bool = False,
) -> Calendar:
    """A VCALENDAR holding ``sessions``, with the VTIMEZONE of every zone they use."""
    stamp = timezone.now()
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        method=method,
        refresh_interval=timedelta(hours=1) if refresh else None,
    )
    years = []
    for session in sessions:
        if not session.is_dated:
            continue  # « date à confirmer »: never at a made-up date
        calendar.add_component(
            session_event(session, with_visio=with_visio, attendee=attendee, stamp=stamp)
        )
        years += [session.starts_at.year, session.ends_at.year]
    if refresh:
        calendar.add("x-published-ttl", timedelta(hours=1))
    if years:
        # Transitions of the years the sessions cover (and a margin): a short VTIMEZONE
        # that still carries every daylight saving change a client needs.
        calendar.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    return calendar


def feed_calendar(user, sessions: Iterable[Session]) -> bytes:
    """The personal feed of ``user``: every session they are expected at."""
    name = _("Sillon — séances de %(name)s") % {"name": user.get_full_name() or user.email}
    return build_calendar(sessions, name=name, refresh=True).to_ical()


def session_calendar(session: Session, *, with_visio: bool) -> bytes:
    """The download of one session (METHOD:PUBLISH: an event to add, not an invitation)."""
    return build_calendar(
        [session], name=session.organisation.name, with_visio=with_visio
    ).to_ical()


def invitation_calendar(sessions: Iterable[Session], *, attendee, method: str = REQUEST) -> bytes:
    """The attachment of a convocation, change or cancellation e-mail."""
    sessions = list(sessions)
    name = sessions[0].organisation.name if sessions else "Sillon"
    return build_calendar(sessions, name=name, method=method, attendee=attendee).to_ical()


# --- A speaker's items ------------------------------------------------------------------


def _item_start_end(session: Session, item, zone: ZoneInfo):
    """An item's times on its day (DATE values for « toute la journée »); no end for an
    item « à partir de … »."""
    day = session.starts_at.astimezone(zone).date() + timedelta(days=item.day - 1)
    if item.all_day or item.start_time is None:
        return day, day + timedelta(days=1)
    start = datetime.combine(day, item.start_time, tzinfo=zone)
    end = datetime.combine(day, item.end_time, tzinfo=zone) if item.end_time else None
    return start, end


def speaker_calendar(session: Session, items, *, attendee=None, method: str = PUBLISH) -> bytes:
    """The items where one person speaks, one VEVENT each at the item's own times (not
    the whole session). ``session`` needs ``kind`` and ``organisation`` loaded."""
    zone = ZoneInfo(session.organisation.time_zone)
    stamp = timezone.now()
    url = session_url(session)
    calendar = Calendar.new(prodid=PRODID, name=session.organisation.name, method=method)
    for item in items if session.is_dated else []:
        start, end = _item_start_end(session, item, zone)
        event = Event.new(
            uid=f"{session.uid}-item-{item.pk}@sillon",
            sequence=session.sequence,
            stamp=stamp,
            summary=f"{item.title} — {_summary(session)}",
            start=start,
            end=end,
            location=" · ".join(
                part for part in (item.room, _location(session, with_visio=True)) if part
            )
            or None,
            description=_description(session, with_visio=True, url=url),
            url=url,
            status=STATUSES[session.status],
            categories=[session.kind.name],
            organizer=_organizer(session),
        )
        if attendee is not None:
            address = vCalAddress(f"mailto:{attendee.email}")
            address.params["CN"] = attendee.get_full_name() or attendee.email
            address.params["ROLE"] = "REQ-PARTICIPANT"
            event.add("attendee", address)
        calendar.add_component(event)
    if session.is_dated:
        year = session.starts_at.year
        calendar.add_missing_timezones(
            first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1)
        )
    return calendar.to_ical()
