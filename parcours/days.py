"""The hours of each local day of a session: what a convocation lists day by day, and
what ``presences.halfdays`` cuts into half-days (the same rule, kept here, below it).

A session on one day runs from its start to its end. An all-day session counts 9 h –
17 h a day. Over several days, the same hours each day when they make sense (9 h 30 –
17 h on J1 and J2), else the first day from its start until the evening, the last from
the morning until its end, and the days between 9 h – 17 h.
"""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

ALL_DAY_STARTS = time(9)
ALL_DAY_ENDS = time(17)


def daily_hours(session, zone: ZoneInfo) -> list[tuple[date, time, time]]:
    """[(local day, opens, closes)] of ``session`` in ``zone``, in order."""
    start = session.starts_at.astimezone(zone)
    end = session.ends_at.astimezone(zone)
    if session.all_day:
        last = (end - timedelta(microseconds=1)).date()
        days = (last - start.date()).days + 1
        return [
            (start.date() + timedelta(days=n), ALL_DAY_STARTS, ALL_DAY_ENDS) for n in range(days)
        ]
    if start.date() == end.date():
        return [(start.date(), start.time(), end.time())]
    daily_start, daily_end = start.time(), end.time()
    same_hours = daily_start < daily_end
    result = []
    day = start.date()
    while day <= end.date():
        first, last = day == start.date(), day == end.date()
        opens = daily_start if first or same_hours else ALL_DAY_STARTS
        closes = daily_end if last or same_hours else ALL_DAY_ENDS
        if first and not same_hours:
            closes = max(ALL_DAY_ENDS, opens)
        if opens < closes:
            result.append((day, opens, closes))
        day += timedelta(days=1)
    return result
