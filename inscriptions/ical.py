"""The .ics of a registration: the session, and the person's workshops as events of
their own (at their round's hours, on the round's day of the session)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Event as VEvent

from parcours import ical


def workshop_events(session, choices) -> list[VEvent]:
    """One VEVENT per workshop held (not waited for) in ``choices``; a round without
    hours gives none (never a made-up time)."""
    if not session.is_dated:
        return []
    zone = ZoneInfo(session.organisation.time_zone)
    first_day = session.starts_at.astimezone(zone).date()
    stamp = timezone.now()
    events = []
    for choice in choices:
        if choice.is_waiting:
            continue
        item = choice.round
        if item.start_time is None:
            continue
        day = first_day + timedelta(days=(item.day or 1) - 1)
        start = datetime.combine(day, item.start_time, tzinfo=zone)
        end = (
            datetime.combine(day, item.end_time, tzinfo=zone)
            if item.end_time
            else start + timedelta(hours=1)
        )
        workshop = choice.workshop
        events.append(
            VEvent.new(
                uid=f"{session.uid}-atelier-{workshop.pk}@sillon",
                stamp=stamp,
                summary=f"{workshop.title} — {session.title}",
                start=start,
                end=end,
                location=workshop.room or None,
                description=workshop.speakers or None,
            )
        )
    return events


def registration_calendar(session, choices) -> bytes:
    """The session and the workshops of one registrant (METHOD:PUBLISH)."""
    calendar = ical.build_calendar([session], name=session.organisation.name)
    for event in workshop_events(session, choices):
        calendar.add_component(event)
    return calendar.to_ical()
