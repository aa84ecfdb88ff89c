from django import template

from parcours.days import session_slots
from sillon.formatting import (
    format_day,
    format_duration,
    format_session_duration,
    format_session_when,
    format_time,
)

register = template.Library()


@register.filter
def session_when(session) -> str:
    """« vendredi 16 octobre 2026, 9 h 30 – 12 h 30 » in the organisation's time zone,
    « Date à confirmer (mars 2027) » for a session without a date."""
    return format_session_when(session)


@register.filter
def session_duration(session) -> str:
    """« Visio · 3 h », « Présentiel · 2 jours · 14 h », « Présentiel · 0,5 j · 3 h 30 »
    (``sillon.formatting.format_session_duration``). List pages prefetch ``days``."""
    return format_session_duration(
        session.get_format_display(),
        session_slots(session),
        in_person=session.format != "visio",
    )


@register.filter
def session_length(session) -> str:
    """« 3 h », « 2 jours · 14 h », « 0,5 j · 3 h 30 »; empty for an undated session."""
    return format_duration(session_slots(session), in_person=session.format != "visio")


@register.filter
def french_day(day) -> str:
    return format_day(day)


@register.filter
def french_time(moment) -> str:
    return format_time(moment)
