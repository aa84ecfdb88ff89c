from django import template

from sillon.formatting import format_day, format_session_when, format_time

register = template.Library()


@register.filter
def session_when(session) -> str:
    """« vendredi 16 octobre 2026, 9 h 30 – 12 h 30 » in the organisation's time zone."""
    return format_session_when(session)


@register.filter
def french_day(day) -> str:
    return format_day(day)


@register.filter
def french_time(moment) -> str:
    return format_time(moment)
