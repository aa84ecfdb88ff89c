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
