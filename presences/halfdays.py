"""A session cut into half-days (« matin », « après-midi »), as attendance is taken and
attested: the times of each day of the session (``parcours.SessionDay``, set from the
organisation's half-days, the day agenda or by the coordinator on the « Horaires »
page).

A seminar 9 h – 12 h 15 / 13 h 45 – 17 h 45 gives a morning of 3 h 15 and an afternoon
of 4 h (7 h 15). A visio 10 h – 12 h is one morning of 2 h. A session without day rows
(created before the times existed) is cut by the same rule as a new one
(``parcours.days.default_days``). A session without a date has no half-day.
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from parcours.days import ALL_DAY_ENDS, ALL_DAY_STARTS, session_slots
from presences.models import HalfDay

__all__ = [
    "ALL_DAY_ENDS",
    "ALL_DAY_STARTS",
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


_HALVES = {"morning": HalfDay.MORNING, "afternoon": HalfDay.AFTERNOON}


def half_days(session, zone: ZoneInfo) -> list[HalfDaySlot]:
    """The half-days of ``session`` in ``zone``, in order. Reads ``session.days.all()``
    (prefetch ``days`` when looping over sessions)."""
    return [
        HalfDaySlot(
            slot.day,
            _HALVES[slot.half],
            datetime.combine(slot.day, slot.starts, zone),
            datetime.combine(slot.day, slot.ends, zone),
        )
        for slot in session_slots(session)
    ]
