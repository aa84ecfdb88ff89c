"""The hours of each local day of a session: what a convocation lists day by day, and
how each day splits into a morning and an afternoon (``SessionDay`` rows, which
``presences.halfdays`` reads).

A session on one day runs from its start to its end. An all-day session counts the
organisation's day (9 h – 17 h by default). Over several days, the same hours each day
when they make sense (9 h 30 – 17 h on J1 and J2), else the first day from its start
until the evening, the last from the morning until its end, and the days between a full
day. A day that spans the organisation's lunch break splits around it (9 h 30 – 17 h
gives 9 h 30 – 12 h 30 and 13 h 30 – 17 h); otherwise it is one slot, kept in the half
it starts in (a visio 10 h – 12 h is one morning). When the session has a day agenda,
that day's first and last items and its lunch break give the times instead.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

ALL_DAY_STARTS = time(9)
ALL_DAY_ENDS = time(17)
LUNCH_WINDOW = (time(11), time(15))  # a break of the agenda in it is the lunch break


@dataclass(frozen=True)
class DayTimes:
    day: date
    morning_starts: time | None
    morning_ends: time | None
    afternoon_starts: time | None
    afternoon_ends: time | None

    @property
    def slots(self) -> list[tuple[str, time, time]]:
        """[("morning" | "afternoon", starts, ends)] of the day, in order."""
        result = []
        if self.morning_starts is not None and self.morning_ends is not None:
            result.append(("morning", self.morning_starts, self.morning_ends))
        if self.afternoon_starts is not None and self.afternoon_ends is not None:
            result.append(("afternoon", self.afternoon_starts, self.afternoon_ends))
        return result


def _day_bounds(organisation) -> tuple[time, time]:
    if organisation is None:
        return ALL_DAY_STARTS, ALL_DAY_ENDS
    return organisation.morning_starts, organisation.afternoon_ends


def daily_hours(session, zone: ZoneInfo, organisation=None) -> list[tuple[date, time, time]]:
    """[(local day, opens, closes)] of ``session`` in ``zone``, in order (empty for a
    session without a date)."""
    if session.starts_at is None or session.ends_at is None:
        return []
    day_starts, day_ends = _day_bounds(organisation)
    start = session.starts_at.astimezone(zone)
    end = session.ends_at.astimezone(zone)
    if session.all_day:
        last = (end - timedelta(microseconds=1)).date()
        days = (last - start.date()).days + 1
        return [(start.date() + timedelta(days=n), day_starts, day_ends) for n in range(days)]
    if start.date() == end.date():
        return [(start.date(), start.time(), end.time())]
    daily_start, daily_end = start.time(), end.time()
    same_hours = daily_start < daily_end
    result = []
    day = start.date()
    while day <= end.date():
        first, last = day == start.date(), day == end.date()
        opens = daily_start if first or same_hours else day_starts
        closes = daily_end if last or same_hours else day_ends
        if first and not same_hours:
            closes = max(day_ends, opens)
        if opens < closes:
            result.append((day, opens, closes))
        day += timedelta(days=1)
    return result


def split_day(day: date, opens: time, closes: time, lunch: tuple[time, time]) -> DayTimes:
    """``opens``–``closes`` cut around ``lunch`` when it spans it, else one slot in the
    half it starts in."""
    lunch_starts, lunch_ends = lunch
    if opens < lunch_starts and closes > lunch_ends:
        return DayTimes(day, opens, lunch_starts, lunch_ends, closes)
    if opens < lunch_starts:
        return DayTimes(day, opens, closes, None, None)
    return DayTimes(day, None, None, opens, closes)


def _agenda_times(items) -> tuple[time, time, tuple[time, time] | None] | None:
    """(opens, closes, lunch break or None) of one day's agenda items (all-day items
    give no time)."""
    items = [item for item in items if item.start_time is not None]
    if not items:
        return None
    opens = min(item.start_time for item in items)
    closes = max(item.end_time or item.start_time for item in items)
    if closes <= opens:
        return None
    lunch = None
    breaks = [
        item
        for item in items
        if item.kind == "break"
        and item.end_time
        and item.start_time >= LUNCH_WINDOW[0]
        and item.end_time <= LUNCH_WINDOW[1]
    ]
    if breaks:
        longest = max(
            breaks,
            key=lambda item: (
                (item.end_time.hour * 60 + item.end_time.minute)
                - (item.start_time.hour * 60 + item.start_time.minute)
            ),
        )
        lunch = (longest.start_time, longest.end_time)
    return opens, closes, lunch


def default_days(session, organisation, agenda_items=()) -> list[DayTimes]:
    """The times of each day of ``session`` before any coordinator change: the
    organisation's half-days clipped to the session, or the day agenda when it has one."""
    zone = ZoneInfo(organisation.time_zone)
    lunch = (organisation.morning_ends, organisation.afternoon_starts)
    by_day: dict[int, list] = {}
    for item in agenda_items:
        by_day.setdefault(item.day, []).append(item)
    result = []
    for index, (day, opens, closes) in enumerate(daily_hours(session, zone, organisation), 1):
        agenda = _agenda_times(by_day.get(index, []))
        day_lunch = lunch
        if agenda is not None:
            opens, closes = agenda[0], agenda[1]
            day_lunch = agenda[2] or lunch
        result.append(split_day(day, opens, closes, day_lunch))
    return result


@dataclass(frozen=True)
class Slot:
    """One half-day of a session on the wall clock: ``half`` is « morning » or
    « afternoon »."""

    day: date
    half: str
    starts: time
    ends: time

    @property
    def hours(self) -> float:
        return (
            (self.ends.hour - self.starts.hour) * 60 + self.ends.minute - self.starts.minute
        ) / 60


def session_slots(session) -> list[Slot]:
    """The half-days of ``session``, in order: its ``SessionDay`` rows (reads
    ``session.days.all()``: prefetch ``days`` when looping over sessions), or the default
    times when it has none; empty for a session without a date."""
    if session.starts_at is None or session.ends_at is None:
        return []
    rows = sorted(session.days.all(), key=lambda row: row.day) if session.pk else []
    if not rows:
        rows = default_days(session, session.organisation)
    result = []
    for row in rows:
        if row.morning_starts is not None and row.morning_ends is not None:
            result.append(Slot(row.day, "morning", row.morning_starts, row.morning_ends))
        if row.afternoon_starts is not None and row.afternoon_ends is not None:
            result.append(Slot(row.day, "afternoon", row.afternoon_starts, row.afternoon_ends))
    return result


def times_by_day(session) -> list[tuple[date, str]]:
    """[(day, "9 h 30 – 12 h 15 · 13 h 45 – 17 h 45")]: each day of ``session`` with
    the times of its half-days (``session_slots``), in order."""
    from sillon.formatting import format_time

    by_day: dict[date, list[Slot]] = {}
    for slot in session_slots(session):
        by_day.setdefault(slot.day, []).append(slot)
    return [
        (
            day,
            " · ".join(f"{format_time(slot.starts)} – {format_time(slot.ends)}" for slot in slots),
        )
        for day, slots in sorted(by_day.items())
    ]


def describe_days(session) -> list[dict]:
    """[{"label": "J1 — mercredi 9 décembre", "times": "9 h 30 – 12 h 15 · 13 h 45 –
    17 h 45"}] for the session page: the times of each day."""
    from sillon.formatting import format_day

    return [
        {"label": f"J{number} — {format_day(day, year=False)}", "times": times}
        for number, (day, times) in enumerate(times_by_day(session), 1)
    ]
