"""French wording of campaign moments (« jeudi 16 octobre 2026 à 9 h 30 »)."""

from datetime import datetime

from parcours.formatting import format_day, format_time, local


def format_moment(moment: datetime, organisation) -> str:
    """``moment`` on the organisation's wall clock, in words."""
    when = local(moment, organisation.time_zone)
    return f"{format_day(when.date())} à {format_time(when)}"
