"""French public holidays, to warn (never refuse) when a session or a poll slot falls on
one: « Le 14 juillet 2027 est un jour férié (Fête nationale). »

The dates come from the maintained ``holidays`` library (metropolitan France). An
organisation whose postal address is in Alsace or Moselle (57, 67, 68) also gets the
local holidays there (Vendredi saint, Saint-Étienne).
"""

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

from sillon.formatting import format_day, local

# Postal codes of the Alsace-Moselle départements, and the library's subdivision for each.
LOCAL_LAW_SUBDIVISIONS = {"57": "57", "67": "6AE", "68": "6AE"}
POSTAL_CODE = re.compile(r"\b(\d{2})\d{3}\b")
# A warning names at most this many holidays (a session of several weeks).
MAX_WARNINGS = 5


def subdivision_of(organisation) -> str | None:
    """The Alsace-Moselle subdivision when the organisation's address is there."""
    address = getattr(organisation, "address", "") or ""
    for match in POSTAL_CODE.finditer(address):
        if match.group(1) in LOCAL_LAW_SUBDIVISIONS:
            return LOCAL_LAW_SUBDIVISIONS[match.group(1)]
    return None


@lru_cache(maxsize=64)
def _calendar(year: int, subdivision: str | None) -> dict[date, str]:
    return dict(holidays.France(years=year, subdiv=subdivision, language="fr").items())


def holiday_name(day: date, *, organisation=None) -> str | None:
    """The French name of the public holiday on ``day``, or ``None``."""
    return _calendar(day.year, subdivision_of(organisation)).get(day)


def holiday_warnings(days, *, organisation=None) -> list[str]:
    """One French sentence per public holiday among ``days`` (dates), in order."""
    subdivision = subdivision_of(organisation)
    warnings = []
    for day in sorted(set(days)):
        name = _calendar(day.year, subdivision).get(day)
        if name:
            warnings.append(
                _("Le %(day)s est un jour férié (%(name)s).")
                % {"day": format_day(day, weekday=False), "name": name}
            )
        if len(warnings) == MAX_WARNINGS:
            break
    return warnings


def local_days(starts_at: datetime | None, ends_at: datetime | None, zone) -> list[date]:
    """The local days a period covers (none for an undated one)."""
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        return []
    first = local(starts_at, zone).date()
    last = local(ends_at - timedelta(microseconds=1), zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def period_holiday_warnings(starts_at, ends_at, *, organisation) -> list[str]:
    """The holidays a session or a slot (aware datetimes) falls on, in the organisation's
    time zone."""
    return holiday_warnings(
        local_days(starts_at, ends_at, organisation.time_zone), organisation=organisation
    )
