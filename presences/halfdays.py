"""A session cut into half-days (« matin », « après-midi »), as attendance is taken and
attested: each local day of the session from its daily start to its daily end, split
around the lunch break when the day spans it.

A J1/J2 training 9 h 30 – 17 h gives, each day, a morning 9 h 30 – 12 h 30 (3 h) and an
afternoon 13 h 30 – 17 h (3 h 30): 13 h over the two days. A visio 10 h – 12 h is one
morning of 2 h. An all-day session counts 9 h – 17 h a day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from presences.models import HalfDay

LUNCH_STARTS = time(12, 30)
LUNCH_ENDS = time(13, 30)
ALL_DAY_STARTS = time(9)
ALL_DAY_ENDS = time(17)


@dataclass(frozen=True)
class HalfDaySlot:
    day: date
    half_day: str  # HalfDay value
    starts_at: datetime  # aware, in the organisation's zone
    ends_at: datetime

    @property
    def key(self) -> tuple[date, str]:
        return (self.day, self.half_day)

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    @property
    def is_morning(self) -> bool:
        return self.half_day == HalfDay.MORNING

    @property
    def label(self) -> str:
        return str(HalfDay(self.half_day).label)


def _daily_hours(session, zone: ZoneInfo) -> list[tuple[date, time, time]]:
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
    # Several days: the same hours each day when they make sense (9 h 30 – 17 h on J1
    # and J2), else the first day until the evening and the last from the morning.
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


def half_days(session, zone: ZoneInfo) -> list[HalfDaySlot]:
    """The half-days of ``session`` in ``zone``, in order."""
    slots = []
    for day, opens, closes in _daily_hours(session, zone):

        def at(moment: time, day=day) -> datetime:
            return datetime.combine(day, moment, zone)

        if opens < LUNCH_STARTS and closes > LUNCH_ENDS:
            slots.append(HalfDaySlot(day, HalfDay.MORNING, at(opens), at(LUNCH_STARTS)))
            slots.append(HalfDaySlot(day, HalfDay.AFTERNOON, at(LUNCH_ENDS), at(closes)))
        else:
            half = HalfDay.MORNING if opens < LUNCH_STARTS else HalfDay.AFTERNOON
            slots.append(HalfDaySlot(day, half, at(opens), at(closes)))
    return slots
