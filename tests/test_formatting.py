from datetime import date, datetime
from zoneinfo import ZoneInfo

from sillon.formatting import format_day, format_month, format_period

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")


def test_days_are_written_the_french_way():
    assert format_day(date(2026, 10, 16)) == "vendredi 16 octobre 2026"
    assert format_day(date(2028, 6, 1)) == "jeudi 1er juin 2028"
    assert format_day(date(2026, 8, 3), weekday=False, year=False) == "3 août"
    assert format_month(date(2026, 12, 9)) == "décembre 2026"


def test_periods_are_shown_in_the_organisation_time_zone():
    # 07:30 UTC on 16 October 2026 is 9 h 30 in Paris (summer time).
    start = datetime(2026, 10, 16, 7, 30, tzinfo=UTC)
    end = datetime(2026, 10, 16, 10, 30, tzinfo=UTC)
    assert format_period(start, end, "Europe/Paris") == (
        "vendredi 16 octobre 2026, 9 h 30 – 12 h 30"
    )
    # After the DST change, 08:30 UTC is 9 h 30 too.
    start = datetime(2026, 10, 26, 8, 30, tzinfo=UTC)
    end = datetime(2026, 10, 26, 10, 0, tzinfo=UTC)
    assert format_period(start, end, PARIS) == "lundi 26 octobre 2026, 9 h 30 – 11 h"


def test_multi_day_and_all_day_periods():
    assert (
        format_period(
            datetime(2026, 12, 9, tzinfo=PARIS),
            datetime(2026, 12, 11, tzinfo=PARIS),
            PARIS,
            all_day=True,
        )
        == "du mercredi 9 décembre au jeudi 10 décembre 2026"
    )
    assert (
        format_period(
            datetime(2026, 12, 9, tzinfo=PARIS),
            datetime(2026, 12, 10, tzinfo=PARIS),
            PARIS,
            all_day=True,
        )
        == "mercredi 9 décembre 2026 (journée entière)"
    )
    assert (
        format_period(
            datetime(2026, 12, 9, 9, tzinfo=PARIS), datetime(2026, 12, 10, 17, tzinfo=PARIS), PARIS
        )
        == "du mercredi 9 décembre 2026, 9 h au jeudi 10 décembre 2026, 17 h"
    )


def test_durations_count_hours_and_half_days():
    from types import SimpleNamespace

    from sillon.formatting import (
        format_days,
        format_duration,
        format_hours,
        format_session_duration,
    )

    def slots(*hours, days=None):
        days = days or [date(2026, 12, 9)] * len(hours)
        return [
            SimpleNamespace(day=day, hours=value) for day, value in zip(days, hours, strict=True)
        ]

    assert format_hours(3) == "3 h"
    assert format_hours(7.25) == "7 h 15"
    assert format_days(1) == "0,5 j"
    assert format_days(2) == "1 jour"
    assert format_days(3) == "1,5 jour"
    assert format_days(4) == "2 jours"
    assert format_session_duration("Visio", slots(3)) == "Visio · 3 h"
    assert format_session_duration("Présentiel", slots(3.5), in_person=True) == (
        "Présentiel · 0,5 j · 3 h 30"
    )
    two_days = slots(3.5, 3.5, 3.5, 3.5, days=[date(2026, 12, 9)] * 2 + [date(2026, 12, 10)] * 2)
    assert format_session_duration("Présentiel", two_days, in_person=True) == (
        "Présentiel · 2 jours · 14 h"
    )
    assert format_duration(slots(3.25, 4)) == "1 jour · 7 h 15"
    # No date yet: the format alone.
    assert format_session_duration("Visio", []) == "Visio"
