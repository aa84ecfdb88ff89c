"""A session cut into half-days (« matin », « après-midi »), as attendance is taken and
attested: each local day of the session from its daily start to its daily end, split
around the lunch break when the day spans it.

A J1/J2 training 9 h 30 – 17 h gives, each day, a morning 9 h 30 – 12 h 30 (3 h) and an
afternoon 13 h 30 – 17 h (3 h 30): 13 h over the two days. A visio 10 h – 12 h is one
morning of 2 h. An all-day session counts 9 h – 17 h a day. The hours of each day come
from ``parcours.days`` (the convocations list them day by day).
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from parcours.days import ALL_DAY_ENDS, ALL_DAY_STARTS, daily_hours
from presences.models import HalfDay

LUNCH_STARTS = time(12, 30)
LUNCH_ENDS = time(13, 30)
__all__ = [
    "ALL_DAY_ENDS",
    "ALL_DAY_STARTS",
    "LUNCH_ENDS",
    "LUNCH_STARTS",
    "HalfDaySlot",
    "half_days",
]


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


def half_days(session, zone: ZoneInfo) -> list[HalfDaySlot]:
    """The half-days of ``session`` in ``zone``, in order."""
    slots = []
    for day, opens, closes in daily_hours(session, zone):

        def at(moment: time, day=day) -> datetime:
            return datetime.combine(day, moment, zone)

        if opens < LUNCH_STARTS and closes > LUNCH_ENDS:
            slots.append(HalfDaySlot(day, HalfDay.MORNING, at(opens), at(LUNCH_STARTS)))
            slots.append(HalfDaySlot(day, HalfDay.AFTERNOON, at(LUNCH_ENDS), at(closes)))
        else:
            half = HalfDay.MORNING if opens < LUNCH_STARTS else HalfDay.AFTERNOON
            slots.append(HalfDaySlot(day, half, at(opens), at(closes)))
    return slots
