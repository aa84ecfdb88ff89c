"""Calendar arithmetic on months and days, in the organisation's wall-clock time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def shift_datetime(moment: datetime, days: int, zone: ZoneInfo) -> datetime:
    """``moment`` moved by ``days`` days keeping its local wall-clock time: a 9 h 30
    session stays at 9 h 30 whatever the DST changes in between."""
    local = moment.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=zone)


def shift_month(month: date, days: int) -> date:
    """The first day of the month ``month`` falls into once moved by ``days`` days."""
    return (month + timedelta(days=days)).replace(day=1)
