"""Session reminders: J-7 and J-1 on the organisation's wall clock, quiet hours, each
reminder claimed once in the log before its message is written, whatever the number of
scans, and a moved, cancelled or switched-off session's reminders."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from notifications import services as notification_services
from notifications.models import Category, Channel, OutboxMessage, ReminderLog
from notifications.reminder_services import save_reminder_setting
from notifications.reminders import registered_rules
from notifications.scan import LOOKBACK, scan, upcoming
from parcours import services as parcours_services
from parcours.models import SessionRegistration
from parcours.reminders import SessionReminderRule, occasion
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    UserFactory,
    build_programme,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
KIND = "session.reminder"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_parcours(**kwargs):
    with scopes_disabled():
        parcours = build_programme(
            teams=2,
            members_per_team=3,
            start_date=date(2026, 1, 1),
            end_date=date(2027, 12, 31),
            **kwargs,
        )
        parcours.coordinator = MembershipFactory(
            organisation=parcours.organisation, coordinator=True
        ).user
        parcours.members = sorted(
            (member.user for team in parcours.teams for member in team.members.all()),
            key=lambda user: user.pk,
        )
    return parcours


@pytest.fixture
def parcours(db):
    return make_parcours()


def make_session(parcours, starts_at, **kwargs):
    with scopes_disabled():
        return SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            **kwargs,
        )


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def reminders(**filters):
    with scopes_disabled():
        return list(
            OutboxMessage.objects.filter(kind=KIND, **filters)
            .order_by("pk")
            .values_list("recipient_id", "subject", "status")
        )


def due_at(starts_at, offset):
    return SessionReminderRule.due_at(starts_at, offset, PARIS)


# --- Exactly once -----------------------------------------------------------------------


def test_j7_and_j1_are_sent_once_each_to_each_member(parcours):
    session = make_session(parcours, paris(2026, 10, 26, 9, 0))
    j7, j1 = utc(2026, 10, 19, 7, 0), utc(2026, 10, 25, 8, 0)

    assert scan_at(j7 - timedelta(minutes=5)).claimed == 0
    first = scan_at(j7)
    assert (first.planned, first.claimed, first.written) == (6, 6, 6)
    assert scan_at(j7 + timedelta(minutes=5)).claimed == 0
    assert scan_at(j7 + timedelta(hours=1)).claimed == 0
    assert len(mail.outbox) == 6
    assert scan_at(j1).claimed == 6
    assert scan_at(j1 + timedelta(minutes=5)).claimed == 0

    sent = reminders()
    assert len(sent) == 12
    assert sorted(recipient for recipient, _subject, _status in sent) == sorted(
        [user.pk for user in parcours.members] * 2
    )
    assert {status for *_rest, status in sent} == {OutboxMessage.Status.SENT}
    assert len(mail.outbox) == 12
    message = mail.outbox[0]
    assert message.subject == f"Rappel : {session.title} — lundi 26 octobre 2026"
    assert "lundi 26 octobre 2026, 9 h – 12 h" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/seances/{session.pk}/" in message.body or str(session.pk) in message.body
    with scopes_disabled():
        logs = ReminderLog.objects.filter(object_id=session.pk)
        assert logs.count() == 12
        assert set(logs.values_list("occasion", flat=True)) == {
            occasion(7, session.starts_at),
            occasion(1, session.starts_at),
        }
        assert set(logs.values_list("status", flat=True)) == {ReminderLog.Status.QUEUED}
        assert not logs.filter(message__isnull=True).exists()


def test_in_app_notification_links_to_the_session(parcours):
    session = make_session(parcours, paris(2026, 10, 26, 9, 0))
    scan_at(utc(2026, 10, 25, 8, 0))
    member = parcours.members[0]
    with scope(organisation=parcours.organisation.pk):
        notification = member.notifications.get()
    assert notification.kind == KIND
    assert notification.category == Category.REMINDERS
    assert notification.url.endswith(f"/{session.pk}/")


def test_facilitators_and_registered_people_are_reminded_role_filter_applies(parcours):
    facilitator = UserFactory()
    session = make_session(
        parcours,
        paris(2026, 10, 26, 9, 0),
        facilitators=[facilitator],
        expected_presence="role",
        expected_role=parcours.roles[0],
    )
    with scopes_disabled():
        registered = UserFactory()
        inactive = UserFactory(is_active=False)
        for user in (registered, inactive):
            SessionRegistration.objects.create(
                organisation=parcours.organisation, session=session, user=user
            )
        elected = {
            member.user_id
            for team in parcours.teams
            for member in team.members.filter(role=parcours.roles[0])
        }
    scan_at(utc(2026, 10, 25, 8, 0))
    assert {recipient for recipient, *_ in reminders()} == elected | {
        facilitator.pk,
        registered.pk,
    }


def test_team_sessions_remind_only_their_team(parcours):
    team = parcours.teams[1]
    make_session(parcours, paris(2026, 10, 26, 9, 0), audience="team", teams=[team])
    scan_at(utc(2026, 10, 25, 8, 0))
    with scopes_disabled():
        expected = set(team.members.values_list("user_id", flat=True))
    assert {recipient for recipient, *_ in reminders()} == expected


# --- Time: DST and quiet hours ------------------------------------------------------------


def test_dst_j1_of_monday_26_october_arrives_sunday_9am_paris():
    starts_at = paris(2026, 10, 26, 9, 0)  # CET, 08:00 UTC
    assert due_at(starts_at, 1) == utc(2026, 10, 25, 8, 0)  # Sunday 09:00 CET
    assert due_at(starts_at, 1).astimezone(PARIS) == paris(2026, 10, 25, 9, 0)
    # J-7 on the other side of the change keeps 09:00 local (CEST = 07:00 UTC).
    assert due_at(starts_at, 7) == utc(2026, 10, 19, 7, 0)
    # Spring: a Monday 30 March 2026 09:00 session (CEST), J-7 on 23 March (CET).
    assert due_at(paris(2026, 3, 30, 9, 0), 7) == utc(2026, 3, 23, 8, 0)


def test_dst_scan_sends_the_j1_on_sunday_at_9_paris_time(parcours):
    make_session(parcours, paris(2026, 10, 26, 9, 0))
    assert scan_at(utc(2026, 10, 25, 7, 59)).claimed == 0  # 08:59 in Paris
    assert scan_at(utc(2026, 10, 25, 8, 0)).claimed == 6
    with scopes_disabled():
        due = set(ReminderLog.objects.values_list("due_at", flat=True))
    assert due == {utc(2026, 10, 25, 8, 0)}


def test_quiet_hours_hold_reminders_until_7am():
    # 07:30 session: its J-1 is the day before at 07:30.
    assert due_at(paris(2026, 11, 10, 7, 30), 1) == paris(2026, 11, 9, 7, 30)
    # 20:30 session: the day before at 20:30, before the quiet hours.
    assert due_at(paris(2026, 11, 10, 20, 30), 1) == paris(2026, 11, 9, 20, 30)
    # 23:00 session: the day before at 23:00 is quiet → held to 07:00 the next morning.
    assert due_at(paris(2026, 11, 10, 23, 0), 1) == paris(2026, 11, 10, 7, 0)
    # 06:30 session: the day before at 06:30 → 07:00 that same day.
    assert due_at(paris(2026, 11, 10, 6, 30), 1) == paris(2026, 11, 9, 7, 0)
    # Never after the session starts (a same-day reminder of a 06:00 session).
    assert due_at(paris(2026, 11, 10, 6, 0), 0) == paris(2026, 11, 10, 6, 0)


def test_scan_holds_a_night_reminder_until_7am(parcours):
    make_session(parcours, paris(2026, 11, 10, 23, 0))
    assert scan_at(paris(2026, 11, 9, 23, 0)).claimed == 0
    assert scan_at(paris(2026, 11, 10, 3, 0)).claimed == 0
    assert scan_at(paris(2026, 11, 10, 7, 0)).claimed == 6
    with scopes_disabled():
        assert set(ReminderLog.objects.values_list("due_at", flat=True)) == {
            paris(2026, 11, 10, 7, 0)
        }


def test_nothing_is_sent_once_the_session_started(parcours):
    # A same-day reminder of a 06:00 session would be held past its start: never sent.
    with scope(organisation=parcours.organisation.pk):
        save_reminder_setting(
            programme=parcours.programme,
            rule_code="session",
            enabled=True,
            offsets=[0],
            acting_user=parcours.coordinator,
        )
    make_session(parcours, paris(2026, 11, 10, 6, 0))
    assert scan_at(paris(2026, 11, 10, 6, 0)).claimed == 0
    assert scan_at(paris(2026, 11, 10, 7, 0)).claimed == 0
    assert reminders() == []


def test_a_missed_scan_catches_up_from_where_the_last_one_stopped(parcours):
    make_session(parcours, paris(2026, 10, 26, 9, 0))
    # The server was down from 08:00 to 12:00 UTC on Sunday.
    assert scan_at(utc(2026, 10, 25, 12, 0)).claimed == 6
    # Down for longer than the first look-back: the J-1 is still worth sending (its
    # session has not started), so it goes, late, once.
    make_session(parcours, paris(2026, 10, 27, 9, 0))
    late = scan_at(utc(2026, 10, 26, 8, 0) + LOOKBACK + timedelta(minutes=5))
    assert (late.start, late.claimed) == (utc(2026, 10, 25, 12, 0), 6)
    assert scan_at(utc(2026, 10, 26, 14, 10)).claimed == 0


# --- Changes --------------------------------------------------------------------------------


def test_a_moved_session_gets_a_new_j7_and_no_duplicate_for_the_old_date(parcours):
    session = make_session(parcours, paris(2026, 10, 26, 9, 0))
    assert scan_at(utc(2026, 10, 19, 7, 0)).claimed == 6  # J-7 of 26 October
    new_start = paris(2026, 11, 2, 9, 0)  # one week later
    with (
        time_machine.travel(utc(2026, 10, 19, 10, 0), tick=False),
        scope(organisation=parcours.organisation.pk),
    ):
        parcours_services.update_session(
            session=session,
            acting_user=parcours.coordinator,
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=3),
        )
    # The old J-1 (25 October) is not due any more, the old J-7 is not sent again.
    assert scan_at(utc(2026, 10, 25, 8, 0)).claimed == 0
    assert scan_at(utc(2026, 10, 19, 7, 0)).claimed == 0
    # The new J-7 (26 October, 09:00 CET) and J-1 (1 November) go out once due.
    assert scan_at(utc(2026, 10, 26, 8, 0)).claimed == 6
    assert scan_at(utc(2026, 10, 26, 8, 5)).claimed == 0
    assert scan_at(utc(2026, 11, 1, 8, 0)).claimed == 6
    with scopes_disabled():
        occasions = sorted(set(ReminderLog.objects.values_list("occasion", flat=True)))
    assert occasions == sorted(
        [
            occasion(7, paris(2026, 10, 26, 9, 0)),
            occasion(7, new_start),
            occasion(1, new_start),
        ]
    )
    assert len(reminders()) == 18


def test_a_cancelled_session_stops_its_reminders(parcours):
    session = make_session(parcours, paris(2026, 10, 26, 9, 0))
    assert scan_at(utc(2026, 10, 19, 7, 0)).claimed == 6
    with (
        time_machine.travel(utc(2026, 10, 20, 10, 0), tick=False),
        scope(organisation=parcours.organisation.pk),
    ):
        parcours_services.cancel_session(
            session=session, acting_user=parcours.coordinator, reason="Intempéries"
        )
    assert scan_at(utc(2026, 10, 25, 8, 0)).planned == 0
    assert len(reminders()) == 6


def test_tentative_sessions_and_draft_programmes_get_no_reminder(db):
    draft = make_parcours(published=False)
    make_session(draft, paris(2026, 10, 26, 9, 0))
    published = make_parcours()
    make_session(published, paris(2026, 10, 26, 9, 0), status="tentative")
    assert scan_at(utc(2026, 10, 25, 8, 0)).planned == 0


def test_a_programme_with_the_rule_switched_off_gets_nothing(parcours):
    make_session(parcours, paris(2026, 10, 26, 9, 0))
    with scope(organisation=parcours.organisation.pk):
        save_reminder_setting(
            programme=parcours.programme,
            rule_code="session",
            enabled=False,
            offsets=[7, 1],
            acting_user=parcours.coordinator,
        )
    assert scan_at(utc(2026, 10, 19, 7, 0)).planned == 0
    assert scan_at(utc(2026, 10, 25, 8, 0)).planned == 0
    assert reminders() == []


def test_changed_offsets_change_the_upcoming_list(parcours):
    session = make_session(parcours, paris(2026, 10, 26, 9, 0))
    organisation = parcours.organisation
    with (
        time_machine.travel(utc(2026, 10, 15, 12, 0), tick=False),
        scope(organisation=organisation.pk),
    ):
        days = upcoming(organisation)
        assert [(day.day, [item.offset_label for item in day.items]) for day in days] == [
            (date(2026, 10, 19), ["J-7"]),
            (date(2026, 10, 25), ["J-1"]),
        ]
        assert len(days[0].items[0].recipients) == 6
        assert days[0].items[0].url.endswith(f"/{session.pk}/")
        save_reminder_setting(
            programme=parcours.programme,
            rule_code="session",
            enabled=True,
            offsets=[3],
            acting_user=parcours.coordinator,
        )
        days = upcoming(organisation)
    assert [(day.day, [item.offset_label for item in day.items]) for day in days] == [
        (date(2026, 10, 23), ["J-3"])
    ]
    assert days[0].items[0].due_at == paris(2026, 10, 23, 9, 0)


def test_upcoming_leaves_out_what_was_claimed_and_who_turned_reminders_off(parcours):
    make_session(parcours, paris(2026, 10, 26, 9, 0))
    notification_services.set_preference(
        user=parcours.members[0], category=Category.REMINDERS, channel=Channel.OFF
    )
    with time_machine.travel(utc(2026, 10, 19, 7, 0), tick=False):
        scan()
        with scope(organisation=parcours.organisation.pk):
            days = upcoming(parcours.organisation)
    assert [item.offset_label for day in days for item in day.items] == ["J-1"]
    assert len(days[0].items[0].recipients) == 5


def test_a_member_who_turned_reminders_off_gets_nothing(parcours):
    make_session(parcours, paris(2026, 10, 26, 9, 0))
    silent = parcours.members[0]
    notification_services.set_preference(
        user=silent, category=Category.REMINDERS, channel=Channel.OFF
    )
    result = scan_at(utc(2026, 10, 25, 8, 0))
    assert (result.claimed, result.written, result.skipped) == (6, 5, 1)
    assert silent.pk not in {recipient for recipient, *_ in reminders()}
    assert silent.email not in {address for message in mail.outbox for address in message.to}
    with scopes_disabled():
        log = ReminderLog.objects.get(recipient=silent)
        assert log.status == ReminderLog.Status.SKIPPED
        assert not silent.notifications.exists()
    assert scan_at(utc(2026, 10, 25, 8, 5)).claimed == 0


def test_other_organisations_reminders_are_theirs(parcours):
    other = make_parcours()
    make_session(parcours, paris(2026, 10, 26, 9, 0))
    make_session(other, paris(2026, 10, 26, 9, 0))
    assert scan_at(utc(2026, 10, 25, 8, 0)).claimed == 12
    with scopes_disabled():
        for each in (parcours, other):
            logs = ReminderLog.objects.filter(organisation=each.organisation)
            assert set(logs.values_list("recipient_id", flat=True)) == {
                user.pk for user in each.members
            }
            assert set(
                OutboxMessage.objects.filter(organisation=each.organisation).values_list(
                    "recipient_id", flat=True
                )
            ) == {user.pk for user in each.members}


# --- Two scans at the same time ---------------------------------------------------------------


def test_two_scans_with_the_same_now_claim_each_reminder_once(parcours):
    make_session(parcours, paris(2026, 10, 26, 9, 0))
    now = utc(2026, 10, 25, 8, 0)
    with time_machine.travel(now, tick=False):
        first, second = scan(now), scan(now)
    assert (first.claimed, second.claimed) == (6, 0)
    assert len(reminders()) == 6
    assert len(mail.outbox) == 6


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_in_threads_claim_each_reminder_once():
    """On PostgreSQL, two scans run at once in two threads (two connections): the
    unique row of the log lets only one of them write each message. On SQLite, which
    serialises writers, the same scans run one after the other."""
    parcours = make_parcours()
    for hour in (10, 11, 12, 13, 14):
        make_session(parcours, paris(2026, 10, 26, hour, 0))
    now = utc(2026, 10, 25, 13, 0)  # 14:00 in Paris: the five J-1 are due
    results = []
    errors = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)

        def run():
            try:
                barrier.wait(timeout=10)
                results.append(scan(now))
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    else:
        results = [scan(now), scan(now)]
    assert not errors, errors
    assert sorted(result.claimed for result in results)[-1] <= 30
    assert sum(result.claimed for result in results) == 30
    assert sum(result.written for result in results) == 30
    with scopes_disabled():
        assert ReminderLog.objects.count() == 30
        assert OutboxMessage.objects.filter(kind=KIND).count() == 30
        assert ReminderLog.objects.filter(status=ReminderLog.Status.QUEUED).count() == 30
    assert len(mail.outbox) == 30


# --- Queries ----------------------------------------------------------------------------------


def _sessions_around(parcours, count, *, now):
    """One session whose J-1 is due at ``now``, and ``count - 1`` others in the coming
    weeks (loaded by the scan, none due)."""
    make_session(parcours, now + timedelta(days=1))
    for index in range(count - 1):
        make_session(parcours, now + timedelta(days=8 + index, hours=index % 5))


def _scan_queries(now) -> int:
    with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as context:
        result = scan(now)
    assert result.claimed == 6
    return len(context.captured_queries)


@pytest.mark.django_db
def test_scan_query_count_does_not_grow_with_the_sessions():
    counts = []
    for size in (5, 50):
        parcours = make_parcours()
        # Each programme its own day, so the scans do not see each other's sessions.
        now = paris(2026, 11, 2, 9, 0) + timedelta(days=100 * len(counts))
        _sessions_around(parcours, size, now=now)
        counts.append(_scan_queries(now))
    assert counts[0] == counts[1], counts


def test_planning_query_count_does_not_grow_with_the_due_sessions(parcours):
    rule = registered_rules()["session"]
    counts = []
    base = paris(2026, 11, 10, 9, 0)
    for size in (5, 50):
        for index in range(size - (5 if counts else 0)):
            make_session(parcours, base + timedelta(minutes=index))
        with CaptureQueriesContext(connection) as context:
            planned = rule.due(base - timedelta(days=1, hours=1), base - timedelta(hours=23))
        assert len(planned) == size * 6
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8


def test_scan_query_count_does_not_grow_with_the_sessions_and_people_due(parcours, monkeypatch):
    """5 then 50 sessions all due at the same moment, 6 people each: same query count.
    (Delivery is another task, on the worker: left out here.)"""
    from notifications import tasks

    monkeypatch.setattr(tasks.deliver_message, "delay", lambda *args, **kwargs: None)
    counts = []
    base = paris(2026, 11, 10, 9, 0)
    for size in (5, 50):
        now = base + timedelta(days=20 * len(counts))
        for index in range(size):
            make_session(parcours, now + timedelta(days=1) - timedelta(minutes=index))
        with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as context:
            result = scan(now)
        assert result.claimed == size * 6
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts
