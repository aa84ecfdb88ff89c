"""Reminders that catch up: the scan starts where the last one stopped (its mark), so
what fell due while it was down goes out at the next run, once, as long as it is still
worth sending (a J-1 of a session under way is not); a J-7 overtaken by the J-1 is not
sent with it; a deadline closer than its offsets gets one reminder halfway; an opening
notice missed (launched late, scans down) goes once; a reminder caught up in the night
waits for the morning."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from evaluation.models import Campaign
from evaluation.services.campaigns import launch_campaign
from notifications.models import OutboxMessage, ReminderLog, ScanMark
from notifications.reminders import (
    MAX_CATCH_UP,
    deadline_schedule,
    late_moment,
)
from notifications.scan import LOOKBACK, MARK, scan, window_start
from tests.factories import (
    CampaignFactory,
    DatePollFactory,
    MembershipFactory,
    SessionFactory,
    SlotFactory,
    build_programme,
    build_satisfaction_questionnaire,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


@pytest.fixture
def world(db):
    with scopes_disabled(), time_machine.travel(paris(2026, 11, 2, 10), tick=False):
        built = build_programme(
            teams=2, members_per_team=3, start_date=date(2026, 1, 1), end_date=date(2027, 12, 31)
        )
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.form = build_satisfaction_questionnaire(organisation=built.organisation)
        built.members = sorted(
            member.user.pk for team in built.teams for member in team.members.all()
        )
        built.team_users = sorted(member.user.pk for member in built.teams[0].members.all())
    return built


def session(world, starts_at, **kwargs):
    with scopes_disabled():
        return SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            **kwargs,
        )


def poll(world, *, created, closes_at):
    with scopes_disabled(), time_machine.travel(created, tick=False):
        made = DatePollFactory(
            session=SessionFactory(
                programme=world.programme,
                kind=world.individual_kind,
                audience="team",
                teams=[world.teams[0]],
                tentative=True,
            ),
            closes_at=closes_at,
            slots=0,
        )
        SlotFactory(poll=made, starts_at=paris(2026, 12, 8, 9, 30))
    return made


def campaign(world, opens_at, closes_at, **kwargs):
    with scopes_disabled():
        return CampaignFactory(
            programme=world.programme,
            version=world.form.version,
            opens_at=opens_at,
            closes_at=closes_at,
            **kwargs,
        )


def logged() -> dict[tuple[str, int], set[int]]:
    """{(rule, object id): {recipient ids}} of the reminder log."""
    found: dict[tuple[str, int], set[int]] = {}
    with scopes_disabled():
        for rule, object_id, recipient in ReminderLog.objects.values_list(
            "rule", "object_id", "recipient_id"
        ):
            found.setdefault((rule, object_id), set()).add(recipient)
    return found


def messages_per_person() -> dict[tuple[str, int, str], int]:
    """{(kind, recipient, page): number of messages}."""
    counts: dict[tuple[str, int, str], int] = {}
    with scopes_disabled():
        for key in OutboxMessage.objects.values_list("kind", "recipient_id", "url"):
            counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.fixture
def due_in_the_gap(world):
    """Monday 9 November 2026: reminders of every rule fall due between 03:00 and 18:00
    on Monday, and on Tuesday."""
    return {
        # J-7 due Monday 09:00.
        "j7": session(world, paris(2026, 11, 16, 9)),
        # J-1 due Monday 14:00; the session starts Tuesday 14:00.
        "starts_tuesday": session(world, paris(2026, 11, 10, 14)),
        # J-1 due Tuesday 10:00.
        "j1_tuesday": session(world, paris(2026, 11, 11, 10)),
        # H-48 due Monday 12:00.
        "poll": poll(world, created=paris(2026, 11, 2, 10), closes_at=paris(2026, 11, 11, 12)),
        # The opening notice due Monday 11:00.
        "opens": campaign(world, paris(2026, 11, 9, 11), paris(2026, 11, 27, 18), title="Bilan"),
        # J-3 before the closing due Monday 18:00 (opened a week before: its opening
        # notice is older than the catch-up and not sent now).
        "closes": campaign(world, paris(2026, 11, 1, 9), paris(2026, 11, 12, 18)),
    }


def test_a_scan_at_3_then_at_18_sends_every_reminder_due_between_once(world, due_in_the_gap):
    due = due_in_the_gap
    assert scan_at(paris(2026, 11, 9, 3, 0)).claimed == 0
    result = scan_at(paris(2026, 11, 9, 18, 0))
    assert result.start == paris(2026, 11, 9, 3, 0)  # the mark, not 18:00 - 6 h
    assert logged() == {
        ("session", due["j7"].pk): set(world.members),
        ("session", due["starts_tuesday"].pk): set(world.members),
        ("date_poll_closing", due["poll"].pk): set(world.team_users),
        ("campaign_open", due["opens"].pk): set(world.members),
        ("campaign_closing", due["closes"].pk): set(world.members),
    }
    assert result.claimed == result.written == 6 + 6 + 3 + 6 + 6
    # The next scans find nothing more: each reminder went once.
    assert scan_at(paris(2026, 11, 9, 18, 5)).claimed == 0
    assert scan_at(paris(2026, 11, 9, 18, 10)).claimed == 0
    assert set(messages_per_person().values()) == {1}


def test_a_scan_down_from_monday_3_to_tuesday_18_catches_up_all_but_the_started_session(
    world, due_in_the_gap
):
    due = due_in_the_gap
    assert scan_at(paris(2026, 11, 9, 3, 0)).claimed == 0
    result = scan_at(paris(2026, 11, 10, 18, 0))
    assert result.expired == 6  # the J-1 of the session that started at 14:00
    assert logged() == {
        ("session", due["j7"].pk): set(world.members),
        ("session", due["j1_tuesday"].pk): set(world.members),
        ("date_poll_closing", due["poll"].pk): set(world.team_users),
        ("campaign_open", due["opens"].pk): set(world.members),
        ("campaign_closing", due["closes"].pk): set(world.members),
    }
    assert scan_at(paris(2026, 11, 10, 18, 5)).claimed == 0
    assert set(messages_per_person().values()) == {1}
    with scopes_disabled():
        assert ScanMark.objects.get(name=MARK).reached_at == paris(2026, 11, 10, 18, 5)


def test_a_week_down_sends_the_j1_not_the_j7_it_overtook(world):
    overtaken = session(world, paris(2026, 11, 11, 10))  # J-7 Wednesday 4, J-1 Tuesday 10
    scan_at(paris(2026, 11, 2, 3, 0))
    result = scan_at(paris(2026, 11, 10, 18, 0))
    assert result.start == paris(2026, 11, 10, 18, 0) - MAX_CATCH_UP
    with scopes_disabled():
        occasions = set(
            ReminderLog.objects.filter(object_id=overtaken.pk).values_list("occasion", flat=True)
        )
    assert [occasion.split("@")[0] for occasion in occasions] == ["J-1"]
    assert result.expired == 6


def test_a_reminder_caught_up_in_the_night_waits_for_the_morning(world):
    session(world, paris(2026, 11, 16, 9))  # J-7 due Monday 09:00
    scan_at(paris(2026, 11, 9, 3, 0))
    night = scan_at(paris(2026, 11, 9, 22, 30))
    assert (night.claimed, night.deferred) == (0, 6)
    assert scan_at(paris(2026, 11, 10, 6, 55)).claimed == 0
    assert scan_at(paris(2026, 11, 10, 7, 0)).claimed == 6
    assert scan_at(paris(2026, 11, 10, 7, 5)).claimed == 0


def test_a_reminder_due_just_before_the_quiet_hours_is_not_held_overnight(world):
    session(world, paris(2026, 11, 10, 20, 58))  # J-1 due Monday 20:58
    scan_at(paris(2026, 11, 9, 20, 55))
    assert scan_at(paris(2026, 11, 9, 21, 0)).claimed == 6


def test_the_window_starts_at_the_mark_within_bounds():
    now = paris(2026, 11, 9, 18)
    assert window_start(now, None) == now - LOOKBACK
    assert window_start(now, paris(2026, 11, 9, 3)) == paris(2026, 11, 9, 3)
    assert window_start(now, now - timedelta(days=30)) == now - MAX_CATCH_UP
    assert window_start(now, now + timedelta(hours=1)) == now - LOOKBACK  # clock went back


def test_the_mark_never_goes_back(world):
    scan_at(paris(2026, 11, 9, 18))
    scan_at(paris(2026, 11, 9, 12))
    with scopes_disabled():
        assert ScanMark.objects.get(name=MARK).reached_at == paris(2026, 11, 9, 18)


def test_the_mark_costs_the_same_queries_first_and_after(world):
    counts = []
    for moment in (paris(2026, 11, 9, 12), paris(2026, 11, 9, 12, 5)):
        with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as ctx:
            scan()
        counts.append(len([q for q in ctx.captured_queries if "scanmark" in q["sql"].lower()]))
    assert counts == [2, 2]


# --- A deadline closer than its offsets ------------------------------------------------


def test_a_poll_opened_30_hours_before_its_closing_gets_its_reminder(world):
    late = poll(world, created=paris(2026, 11, 9, 10), closes_at=paris(2026, 11, 10, 16))
    # Halfway (Monday 23:00) is in the quiet hours: Tuesday 07:00, well before 14:00.
    assert scan_at(paris(2026, 11, 9, 10, 5)).claimed == 0
    assert scan_at(paris(2026, 11, 10, 6, 55)).claimed == 0
    assert scan_at(paris(2026, 11, 10, 7, 0)).claimed == 3
    assert scan_at(paris(2026, 11, 10, 7, 5)).claimed == 0
    with scopes_disabled():
        (occasion,) = set(
            ReminderLog.objects.filter(object_id=late.pk).values_list("occasion", flat=True)
        )
        assert occasion.startswith("H-48@")
        assert OutboxMessage.objects.filter(kind="poll.closing").count() == 3


def test_a_poll_opened_late_while_the_scan_was_down_still_gets_it_once(world):
    poll(world, created=paris(2026, 11, 9, 10), closes_at=paris(2026, 11, 10, 16))
    scan_at(paris(2026, 11, 9, 10, 5))
    assert scan_at(paris(2026, 11, 10, 11, 0)).claimed == 3  # down from 10:05 to 11:00
    assert scan_at(paris(2026, 11, 10, 11, 5)).claimed == 0
    # After the closing, nothing.
    assert scan_at(paris(2026, 11, 10, 16, 30)).planned == 0


def test_the_late_moment():
    # Halfway, out of the quiet hours.
    assert late_moment(paris(2026, 11, 9, 10), paris(2026, 11, 10, 16), PARIS) == paris(
        2026, 11, 10, 7
    )
    # At least two hours before the closing, one hour after the opening.
    assert late_moment(paris(2026, 11, 9, 10), paris(2026, 11, 9, 13), PARIS) == paris(
        2026, 11, 9, 11
    )
    assert late_moment(paris(2026, 11, 9, 10), paris(2026, 11, 9, 12, 30), PARIS) is None
    # The morning would be too late: the evening before the quiet hours.
    assert late_moment(paris(2026, 11, 9, 19), paris(2026, 11, 10, 8), PARIS) == paris(
        2026, 11, 9, 20
    )


def test_a_deadline_schedule_chains_the_expiries_and_keeps_the_offsets_that_fit():
    closes = paris(2026, 11, 12, 18)
    moments = [(48, paris(2026, 11, 10, 18)), (6, paris(2026, 11, 12, 12))]
    assert deadline_schedule(moments, closes_at=closes, zone=PARIS) == [
        (48, paris(2026, 11, 10, 18), paris(2026, 11, 12, 12)),
        (6, paris(2026, 11, 12, 12), closes),
    ]
    # Opened after the H-48: only the H-6, no late one.
    opened = paris(2026, 11, 11, 9)
    assert deadline_schedule(moments, opened_at=opened, closes_at=closes, zone=PARIS) == [
        (6, paris(2026, 11, 12, 12), closes)
    ]


def test_a_campaign_shorter_than_its_closing_offset_gets_one_reminder_halfway(world):
    short = campaign(world, paris(2026, 11, 9, 9), paris(2026, 11, 11, 9))  # two days, J-3
    scan_at(paris(2026, 11, 9, 9))  # the opening notice
    assert scan_at(paris(2026, 11, 10, 8, 55)).claimed == 0
    assert scan_at(paris(2026, 11, 10, 9, 0)).claimed == 6
    with scopes_disabled():
        assert ReminderLog.objects.filter(rule="campaign_closing", object_id=short.pk).count() == 6


# --- Opening notices ----------------------------------------------------------------


def test_a_campaign_launched_hours_after_its_opening_gets_its_notice_once(world):
    late = campaign(world, paris(2026, 11, 9, 9), paris(2026, 11, 27, 18), draft=True)
    assert scan_at(paris(2026, 11, 9, 9, 0)).planned == 0  # a draft: nothing
    assert scan_at(paris(2026, 11, 9, 12, 0)).planned == 0
    with (
        time_machine.travel(paris(2026, 11, 9, 14, 0), tick=False),
        scope(organisation=world.organisation.pk),
    ):
        launch_campaign(campaign=late, acting_user=world.coordinator)
    assert scan_at(paris(2026, 11, 9, 14, 5)).claimed == 6
    assert scan_at(paris(2026, 11, 9, 14, 10)).claimed == 0
    assert scan_at(paris(2026, 11, 10, 9, 0)).claimed == 0
    with scopes_disabled():
        notices = OutboxMessage.objects.filter(kind="evaluation.open")
        assert sorted(notices.values_list("recipient_id", flat=True)) == world.members


def test_a_campaign_opened_while_the_scan_was_down_gets_its_notice_once(world):
    campaign(world, paris(2026, 11, 9, 9), paris(2026, 11, 27, 18))
    scan_at(paris(2026, 11, 9, 3, 0))
    assert scan_at(paris(2026, 11, 11, 15, 0)).claimed == 6
    assert scan_at(paris(2026, 11, 11, 15, 5)).claimed == 0


def test_an_opening_notice_is_not_sent_after_the_closing(world):
    campaign(world, paris(2026, 11, 9, 9), paris(2026, 11, 9, 18), draft=True)
    scan_at(paris(2026, 11, 9, 9))
    with scopes_disabled():
        Campaign.objects.update(status=Campaign.Status.LAUNCHED)
    assert scan_at(paris(2026, 11, 9, 19)).planned == 0
