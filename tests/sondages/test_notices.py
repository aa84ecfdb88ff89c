"""Date poll messages: « Choisissez vos disponibilités » to every voter when polls open,
« Nouveaux créneaux proposés » to those who answered, and the reminder H-48 before the
closing to those who have not answered yet (once, out of the quiet hours, never for a
decided or cancelled poll, in a constant number of queries)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from notifications.models import Notification, OutboxMessage, ReminderLog, ReminderSetting
from notifications.reminders import registered_rules
from notifications.scan import scan, upcoming
from parcours.models import Session, TeamMember
from sillon.mail import absolute_url
from sondages.models import DatePoll
from sondages.notices import send_polls_opened, send_slots_added, voters_by_poll
from tests.factories import (
    DatePollFactory,
    MembershipFactory,
    SessionFactory,
    SlotFactory,
    TeamMemberFactory,
    UserFactory,
    VoteFactory,
    build_programme,
)

PARIS = ZoneInfo("Europe/Paris")
CREATED = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
CLOSES = datetime(2026, 12, 1, 18, 0, tzinfo=PARIS)  # a Tuesday
H48 = datetime(2026, 11, 29, 18, 0, tzinfo=PARIS)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def world(db):
    with scopes_disabled():
        built = build_programme(
            teams=2, members_per_team=3, start_date=date(2026, 1, 1), end_date=date(2027, 12, 31)
        )
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.team_users = [
            sorted(member.user.pk for member in team.members.all()) for team in built.teams
        ]
    return built


def team_session(world, team, **kwargs):
    with scopes_disabled():
        return SessionFactory(
            programme=world.programme,
            kind=world.individual_kind,
            title=f"Rencontre individuelle nº1 — {team.name}",
            audience=Session.Audience.TEAM,
            teams=[team],
            tentative=True,
            **kwargs,
        )


def make_poll(world, session, *, closes_at=CLOSES, created=CREATED, **kwargs):
    with scopes_disabled(), time_machine.travel(created, tick=False):
        poll = DatePollFactory(session=session, closes_at=closes_at, slots=0, **kwargs)
        SlotFactory(poll=poll, starts_at=paris(2026, 12, 8, 9, 30), format="visio")
        SlotFactory(poll=poll, starts_at=paris(2026, 12, 10, 14, 0), format="presentiel")
    return poll


@pytest.fixture
def poll(world):
    return make_poll(world, team_session(world, world.teams[0]))


def open_polls(world, polls):
    """What the service does: the notice, inside its transaction and the tenant scope."""
    with (
        time_machine.travel(CREATED, tick=False),
        scope(organisation=world.organisation.pk),
        transaction.atomic(),
    ):
        send_polls_opened(polls, acting_user=world.coordinator)


def sent(kind):
    with scopes_disabled():
        return list(
            OutboxMessage.objects.filter(kind=kind)
            .order_by("recipient_id")
            .values_list("recipient_id", "subject")
        )


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def poll_url(world, poll):
    return reverse("sondages:poll_detail", args=[world.organisation.slug, poll.pk])


# --- Opening -------------------------------------------------------------------------


def test_opening_asks_each_voter_with_the_slots_the_closing_and_the_link(world, poll):
    open_polls(world, [poll])
    messages = sent("poll.open")
    assert [recipient for recipient, _subject in messages] == world.team_users[0]
    title = f"Rencontre individuelle nº1 — {world.teams[0].name}"
    assert {subject for _recipient, subject in messages} == {
        f"Choisissez vos disponibilités : {title}"
    }
    assert len(mail.outbox) == 3
    body = mail.outbox[0].body
    assert "mardi 8 décembre 2026, 9 h 30 – 12 h 30 (visio)" in body
    assert "jeudi 10 décembre 2026, 14 h – 17 h (présentiel)" in body
    assert "Réponses attendues avant le mardi 1er décembre 2026 à 18 h." in body
    assert f"Donner mes disponibilités : {absolute_url(poll_url(world, poll))}" in body
    html = mail.outbox[0].alternatives[0][0]
    assert "Donner mes disponibilités" in html
    assert "mardi 8 décembre 2026, 9 h 30 – 12 h 30 (visio)" in html
    with scopes_disabled():
        notices = Notification.objects.filter(kind="poll.open")
        assert sorted(notices.values_list("user_id", flat=True)) == world.team_users[0]
        assert {notice.url for notice in notices} == {poll_url(world, poll)}
        assert {notice.category for notice in notices} == {"requests"}


def test_nobody_outside_the_voters(world, poll):
    with scopes_disabled():
        team = world.teams[0]
        TeamMemberFactory(team=team, former=True)
        TeamMemberFactory(team=team, user=UserFactory(is_active=False))
        trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
        poll.session.facilitators.set([trainer])
    open_polls(world, [poll])
    recipients = [recipient for recipient, _subject in sent("poll.open")]
    assert recipients == world.team_users[0]
    assert world.coordinator.pk not in recipients and trainer.pk not in recipients


def test_a_one_role_session_asks_only_that_role_and_a_cohort_session_everyone(world):
    with scopes_disabled():
        role = world.roles[1]
        one_role = team_session(
            world,
            world.teams[1],
            expected_presence=Session.Presence.ONE_ROLE,
            expected_role=role,
        )
        cohort = SessionFactory(programme=world.programme, kind=world.kind, tentative=True)
        expected_role_people = list(
            TeamMember.objects.filter(team=world.teams[1], role=role).values_list(
                "user_id", flat=True
            )
        )
    polls = [make_poll(world, one_role), make_poll(world, cohort)]
    with scopes_disabled():
        polls = list(
            DatePoll.objects.filter(pk__in=[p.pk for p in polls]).select_related("session")
        )
    voters = voters_by_poll(polls)
    assert [user.pk for user in voters[polls[0].pk]] == expected_role_people
    assert [user.pk for user in voters[polls[1].pk]] == sorted(
        world.team_users[0] + world.team_users[1]
    )


def test_polls_for_every_team_each_link_to_their_own_poll(world):
    polls = [make_poll(world, team_session(world, team)) for team in world.teams]
    open_polls(world, polls)
    with scopes_disabled():
        for poll, users in zip(polls, world.team_users, strict=True):
            urls = set(
                OutboxMessage.objects.filter(kind="poll.open", recipient_id__in=users).values_list(
                    "url", flat=True
                )
            )
            assert urls == {poll_url(world, poll)}


def test_opening_queries_do_not_grow_with_the_polls(world):
    counts = []
    for size in (2, 8):
        with scopes_disabled():
            for index in range(size):
                TeamMemberFactory(team=world.teams[index % 2])
        polls = [make_poll(world, team_session(world, world.teams[i % 2])) for i in range(size)]
        # The messages are written in the caller's transaction (delivered after it).
        with (
            scope(organisation=world.organisation.pk),
            transaction.atomic(),
            CaptureQueriesContext(connection) as context,
        ):
            created = send_polls_opened(polls)
        assert len(created) > size
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts


def test_nothing_for_the_polls_of_a_draft_programme(db):
    with scopes_disabled():
        world = build_programme(teams=1, published=False)
        world.coordinator = MembershipFactory(
            organisation=world.organisation, coordinator=True
        ).user
    draft_poll = make_poll(world, team_session(world, world.teams[0]))
    open_polls(world, [draft_poll])
    assert sent("poll.open") == []


# --- Slots added ---------------------------------------------------------------------


def test_added_slots_are_announced_to_those_who_answered(world, poll):
    with scopes_disabled():
        answered = world.teams[0].members.order_by("pk").first().user
        new_slot = SlotFactory(poll=poll, starts_at=paris(2026, 12, 15, 9, 0), format="visio")
    with scope(organisation=world.organisation.pk), transaction.atomic():
        send_slots_added(
            poll=poll,
            slots=[new_slot],
            recipients=[answered],
            acting_user=world.coordinator,
        )
    title = f"Rencontre individuelle nº1 — {world.teams[0].name}"
    assert sent("poll.slots_added") == [(answered.pk, f"Nouveaux créneaux proposés : {title}")]
    body = mail.outbox[0].body
    assert "Nouveaux créneaux :" in body
    assert "mardi 15 décembre 2026, 9 h – 12 h (visio)" in body
    assert "8 décembre" not in body  # only the new slots
    assert poll_url(world, poll) in body


# --- The reminder before the closing -------------------------------------------------


def test_the_reminder_goes_once_48_hours_before_the_closing(world, poll):
    assert scan_at(H48 - timedelta(minutes=5)).claimed == 0
    assert scan_at(H48).claimed == 3
    assert scan_at(H48 + timedelta(minutes=5)).claimed == 0
    reminders = sent("poll.closing")
    assert [recipient for recipient, _subject in reminders] == world.team_users[0]
    title = f"Rencontre individuelle nº1 — {world.teams[0].name}"
    assert reminders[0][1] == (
        f"Rappel : choisissez vos disponibilités avant le mardi 1er décembre 2026 à 18 h — {title}"
    )
    message = mail.outbox[0]
    assert poll_url(world, poll) in message.body
    assert "mardi 8 décembre 2026, 9 h 30 – 12 h 30 (visio)" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    with scopes_disabled():
        assert set(ReminderLog.objects.values_list("rule", "occasion")) == {
            ("date_poll_closing", "H-48@2026-12-01T17:00:00+00:00")
        }


def test_not_to_those_who_answered(world, poll):
    with scopes_disabled():
        first = poll.slots.order_by("pk").first()
        answered = world.team_users[0][:2]
        for user_id in answered:
            VoteFactory(slot=first, user_id=user_id, answer="no")
    assert scan_at(H48).claimed == 1
    assert [recipient for recipient, _subject in sent("poll.closing")] == world.team_users[0][2:]


@pytest.mark.parametrize("status", [DatePoll.Status.DECIDED, DatePoll.Status.CANCELLED])
def test_nothing_once_the_poll_is_decided_or_cancelled(world, poll, status):
    with scopes_disabled():
        DatePoll.objects.filter(pk=poll.pk).update(status=status)
    assert scan_at(H48).planned == 0
    assert sent("poll.closing") == []


def test_nothing_for_a_cancelled_session_or_a_closed_poll(world, poll):
    with scopes_disabled():
        Session.objects.filter(pk=poll.session_id).update(status=Session.Status.CANCELLED)
    assert scan_at(H48).planned == 0
    with scopes_disabled():
        Session.objects.filter(pk=poll.session_id).update(status=Session.Status.TENTATIVE)
    assert scan_at(CLOSES + timedelta(hours=1)).planned == 0


def test_nothing_in_the_night_the_reminder_waits_until_7(world):
    night = make_poll(world, team_session(world, world.teams[0]), closes_at=paris(2026, 12, 1, 23))
    assert night.closes_at == paris(2026, 12, 1, 23)
    assert scan_at(paris(2026, 11, 29, 23, 5)).claimed == 0
    assert scan_at(paris(2026, 11, 30, 6, 55)).claimed == 0
    assert scan_at(paris(2026, 11, 30, 7, 0)).claimed == 3
    assert scan_at(paris(2026, 11, 30, 7, 5)).claimed == 0


def test_no_reminder_due_before_the_poll_was_opened(world):
    # Opened 40 hours before its closing: its H-48 fell before the opening message.
    late = make_poll(
        world, team_session(world, world.teams[0]), created=CLOSES - timedelta(hours=40)
    )
    assert late.pk
    assert scan_at(CLOSES - timedelta(hours=40, minutes=-5)).planned == 0


def test_h48_follows_the_wall_clock_across_the_change_of_time(world):
    # Closing Tuesday 27 October 2026 at 18:00; the clocks go back on Sunday the 25th.
    make_poll(
        world,
        team_session(world, world.teams[0]),
        closes_at=paris(2026, 10, 27, 18),
        created=paris(2026, 10, 20, 10),
    )
    assert scan_at(paris(2026, 10, 25, 17, 55)).claimed == 0
    assert scan_at(paris(2026, 10, 25, 18, 0)).claimed == 3


def test_moving_the_closing_makes_a_new_reminder(world, poll):
    assert scan_at(H48).claimed == 3
    with scopes_disabled():
        DatePoll.objects.filter(pk=poll.pk).update(closes_at=paris(2026, 12, 4, 18))
    assert scan_at(paris(2026, 12, 2, 18)).claimed == 3
    with scopes_disabled():
        assert ReminderLog.objects.filter(rule="date_poll_closing").count() == 6


def test_offsets_are_hours_adjustable_in_the_settings_page(client, world, poll):
    client.force_login(world.coordinator)
    url = reverse("parcours:reminder_settings", args=[world.organisation.slug, world.programme.pk])
    with time_machine.travel(CREATED, tick=False):
        page = client.get(url).content.decode()
        assert "heures avant la clôture" in page
        response = client.post(
            url, {"date_poll_closing_enabled": "on", "date_poll_closing_offsets": "24, 6"}
        )
    assert response.status_code == 302
    with scopes_disabled():
        setting = ReminderSetting.objects.get(rule="date_poll_closing")
    assert setting.offsets == [24, 6]
    assert scan_at(H48).planned == 0
    assert scan_at(paris(2026, 11, 30, 18)).claimed == 3
    assert scan_at(paris(2026, 12, 1, 12)).claimed == 3
    with scopes_disabled():
        occasions = set(ReminderLog.objects.values_list("occasion", flat=True))
    assert {occasion.split("@")[0] for occasion in occasions} == {"H-24", "H-6"}


def test_the_coordinator_sees_it_in_the_upcoming_list(world, poll):
    with time_machine.travel(paris(2026, 11, 28, 12), tick=False), scopes_disabled():
        days = upcoming(world.organisation)
    items = [item for day in days for item in day.items]
    assert len(items) == 1
    item = items[0]
    assert item.offset_label == "H-48"
    assert item.title == poll.session.title
    assert item.when == "Clôture le mardi 1er décembre 2026 à 18 h"
    assert len(item.recipients) == 3
    rule = registered_rules()["date_poll_closing"]
    described = rule.describe([poll.pk])[poll.pk]
    assert described.label == poll.session.title
    assert described.url == poll_url(world, poll)


def test_planning_query_count_does_not_grow_with_the_polls(world):
    rule = registered_rules()["date_poll_closing"]
    counts = []
    made = 0
    for size in (5, 50):
        while made < size:
            team = world.teams[made % 2]
            if made % 3 == 2:
                with scopes_disabled():
                    session = SessionFactory(
                        programme=world.programme, kind=world.kind, tentative=True
                    )
            else:
                session = team_session(world, team)
            created = make_poll(world, session)
            if made % 4 == 0:
                with scopes_disabled():
                    VoteFactory(slot=created.slots.first(), user_id=world.team_users[0][0])
            made += 1
        with CaptureQueriesContext(connection) as context:
            planned = rule.due(H48 - timedelta(minutes=5), H48)
        assert len(planned) > size
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8
