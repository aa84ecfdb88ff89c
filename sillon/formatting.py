"""Dates and times written the French way: « jeudi 16 octobre 2026, 9 h 30 »."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _


def format_time(moment: time | datetime) -> str:
    """« 9 h 30 », « 14 h »."""
    if moment.minute:
        return f"{moment.hour} h {moment.minute:02d}"
    return f"{moment.hour} h"


# French names, written out here: per-call ``translation.override`` + ``date_format`` cost
# more than the rest of a timeline page with hundreds of sessions.
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_day(day: date, *, weekday: bool = True, year: bool = True) -> str:
    """« jeudi 16 octobre 2026 », « 1er juin 2028 »."""
    parts = [WEEKDAYS[day.weekday()]] if weekday else []
    parts += ["1er" if day.day == 1 else str(day.day), MONTHS[day.month - 1]]
    if year:
        parts.append(str(day.year))
    return " ".join(parts)


def format_month(day: date) -> str:
    """« octobre 2026 »."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def local(moment: datetime, zone: str | ZoneInfo) -> datetime:
    return moment.astimezone(zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone))


def format_period(
    starts_at: datetime, ends_at: datetime, zone: str | ZoneInfo, *, all_day: bool = False
) -> str:
    """When something takes place, in the organisation's time zone."""
    start, end = local(starts_at, zone), local(ends_at, zone)
    if all_day:
        last = (end - timedelta(microseconds=1)).date()
        if last == start.date():
            return _("%(day)s (journée entière)") % {"day": format_day(start.date())}
        same_year = last.year == start.year
        return _("du %(start)s au %(end)s") % {
            "start": format_day(start.date(), year=not same_year),
            "end": format_day(last),
        }
    if start.date() == end.date():
        return _("%(day)s, %(start)s – %(end)s") % {
            "day": format_day(start.date()),
            "start": format_time(start),
            "end": format_time(end),
        }
    return _("du %(start_day)s, %(start)s au %(end_day)s, %(end)s") % {
        "start_day": format_day(start.date()),
        "start": format_time(start),
        "end_day": format_day(end.date()),
        "end": format_time(end),
    }


def format_undated(session) -> str:
    """« Date à confirmer (mars 2027) », « Date à confirmer (phase Diagnostic) », « Date à
    confirmer »: a session without a date, placed by its target month or phase."""
    if session.target_month is not None:
        return _("Date à confirmer (%(month)s)") % {"month": format_month(session.target_month)}
    if session.phase_id is not None:
        return _("Date à confirmer (phase %(phase)s)") % {"phase": session.phase.name}
    return _("Date à confirmer")


def format_session_when(session) -> str:
    if session.starts_at is None or session.ends_at is None:
        return format_undated(session)
    return format_period(
        session.starts_at,
        session.ends_at,
        session.organisation.time_zone,
        all_day=session.all_day,
    )


def format_moment(moment: datetime, organisation) -> str:
    """``moment`` on the organisation's wall clock, in words: « jeudi 16 octobre 2026 à
    9 h 30 »."""
    when = local(moment, organisation.time_zone)
    return f"{format_day(when.date())} à {format_time(when)}"


def agree(word: str, civility: str = "") -> str:
    """``word``, a masculine past participle or adjective said of one person (« invité »,
    « inscrit », « convoqué »), agreed with the civility they chose: « invitée »
    (``"madame"``), « invité » (``"monsieur"``), else the inclusive « invité·e ».
    Never guessed from a first name."""
    if civility == "madame":
        return f"{word}e"
    if civility == "monsieur":
        return word
    return f"{word}·e"


def format_hours(hours: float) -> str:
    """« 3 h », « 7 h 15 », « 0 h 45 » (to the minute)."""
    minutes = round(hours * 60)
    if minutes % 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // 60} h"


def format_days(half_days: int) -> str:
    """A number of half-days as days: « 0,5 j », « 1 jour », « 1,5 jour », « 2 jours »."""
    if half_days == 1:
        return "0,5 j"
    whole, half = divmod(half_days, 2)
    if half:
        return f"{whole},5 jour" if whole == 1 else f"{whole},5 jours"
    return "1 jour" if whole == 1 else f"{whole} jours"


def format_duration(half_days, *, in_person: bool = False) -> str:
    """How long a session lasts, from its half-days (objects with ``day`` and ``hours``,
    such as ``presences.halfdays.HalfDaySlot``): its hours, preceded by its length in
    days when it takes more than one half-day, or one half-day on site (« 3 h »,
    « 0,5 j · 3 h 30 », « 1 jour · 7 h », « 2 jours · 14 h »). Empty when not known
    (a session without a date)."""
    slots = list(half_days)
    if not slots:
        return ""
    hours = format_hours(sum(slot.hours for slot in slots))
    if len(slots) > 1 or in_person:
        return f"{format_days(len(slots))} · {hours}"
    return hours


def format_session_duration(format_label: str, half_days, *, in_person: bool = False) -> str:
    """« Visio · 3 h », « Présentiel · 2 jours · 14 h », « Présentiel · 0,5 j · 3 h 30 »:
    the session's format then its duration (the format alone when the duration is not
    known)."""
    duration = format_duration(half_days, in_person=in_person)
    return f"{format_label} · {duration}" if duration else str(format_label)
