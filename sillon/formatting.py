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


def format_session_when(session) -> str:
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
