"""Signatures pending: each current member whose signature is missing is reminded 3 days
after joining the team (or after the version was published, when later), then weekly,
three times at most, each reminder once, until they sign or leave the team; a new version
asking for signatures starts a new series."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from notifications.models import OutboxMessage, ReminderLog
from notifications.reminders import registered_rules
from notifications.scan import scan
from parcours import engagement_status as selectors
from parcours import services
from parcours.models import Programme, TeamMember
from tests.factories import MembershipFactory, SessionFactory, build_programme

PARIS = ZoneInfo("Europe/Paris")
KIND = "engagement.pending"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def world(db):
    with scopes_disabled():
        built = build_programme(teams=2, start_date=date(2026, 6, 1), end_date=date(2028, 6, 30))
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.members = list(
            TeamMember.objects.filter(team__in=built.teams).select_related("user").order_by("pk")
        )
        TeamMember.objects.filter(team__in=built.teams).update(joined_at=paris(2026, 6, 1, 10))
        for index, member in enumerate(built.members):
            member.user.first_name, member.user.last_name = "Camille", f"Membre{index}"
            member.user.save()
        built.launch = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="Lancement",
            starts_at=paris(2026, 10, 16, 9, 30),
            ends_at=paris(2026, 10, 16, 12, 30),
        )
    return built


def joined(world, moment, members=None):
    with scopes_disabled():
        TeamMember.objects.filter(pk__in=[m.pk for m in members or world.members]).update(
            joined_at=moment
        )


def occasions():
    with scopes_disabled():
        return set(ReminderLog.objects.values_list("occasion", flat=True))


def publish(world, moment, body="Je m'engage.", requires_resignature=True):
    with time_machine.travel(moment, tick=False), scope(organisation=world.organisation.pk):
        return services.publish_engagement_text(
            programme=world.programme,
            acting_user=world.coordinator,
            body=body,
            key_sessions=[world.launch],
            requires_resignature=requires_resignature,
        )


def sign(world, member):
    with scope(organisation=world.organisation.pk):
        text = selectors.current_engagement_text(world.programme)
        services.sign_engagement(
            member=member,
            acting_user=member.user,
            typed_name=member.user.get_full_name(),
            consent=True,
            ip_address="203.0.113.9",
            user_agent="test",
            text_id=text.pk,
            text_hash=text.digest(),
        )


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def reminded():
    with scopes_disabled():
        return sorted(
            OutboxMessage.objects.filter(kind=KIND).values_list("recipient_id", flat=True)
        )


def test_the_rule_is_registered():
    assert "engagement_pending" in registered_rules()


def test_three_days_after_joining_then_weekly_three_times_at_most(world):
    publish(world, paris(2026, 6, 19, 10))
    signer = world.members[0]
    sign(world, signer)
    # The members joined before the publication: J+3 of the publication.
    assert scan_at(paris(2026, 6, 22, 9, 55)).claimed == 0
    assert scan_at(paris(2026, 6, 22, 10, 0)).claimed == 5
    assert scan_at(paris(2026, 6, 22, 10, 5)).claimed == 0
    others = sorted(member.user_id for member in world.members[1:])
    assert reminded() == others
    assert occasions() == {"v1@rappel-1"}
    message = next(m for m in mail.outbox if m.to == [world.members[1].user.email])
    assert message.subject.startswith("Rappel : votre engagement à signer")
    address = reverse(
        "parcours:engagement_sign",
        args=[world.organisation.slug, world.programme.pk, world.members[1].team_id],
    )
    assert address in message.body
    assert "Lancement : vendredi 16 octobre 2026, 9 h 30 – 12 h 30" in message.body
    # A week later, then another: the ones still missing, each under its own occasion.
    assert scan_at(paris(2026, 6, 29, 10)).claimed == 5
    assert scan_at(paris(2026, 7, 6, 10)).claimed == 5
    assert occasions() == {"v1@rappel-1", "v1@rappel-2", "v1@rappel-3"}
    # Three at most.
    assert scan_at(paris(2026, 7, 13, 10)).claimed == 0
    assert scan_at(paris(2026, 7, 20, 10)).claimed == 0
    assert len(reminded()) == 15


def test_a_newcomer_is_reminded_three_days_after_joining(world):
    publish(world, paris(2026, 6, 19, 10))
    newcomer = world.members[-1]
    for member in world.members[:-1]:
        sign(world, member)
    joined(world, paris(2026, 7, 1, 15, 20), [newcomer])
    assert scan_at(paris(2026, 6, 22, 10)).claimed == 0
    assert scan_at(paris(2026, 7, 4, 15, 15)).claimed == 0
    assert scan_at(paris(2026, 7, 4, 15, 20)).claimed == 1
    assert reminded() == [newcomer.user_id]
    assert scan_at(paris(2026, 7, 11, 15, 20)).claimed == 1
    assert occasions() == {"v1@rappel-1", "v1@rappel-2"}


def test_the_reminders_stop_after_signing_or_leaving_the_team(world):
    publish(world, paris(2026, 6, 19, 10))
    scan_at(paris(2026, 6, 22, 10))
    assert len(reminded()) == 6
    sign(world, world.members[1])
    with scopes_disabled():
        TeamMember.objects.filter(pk=world.members[2].pk).update(left_at=timezone.now())
    assert scan_at(paris(2026, 6, 29, 10)).claimed == 4
    with scopes_disabled():
        second = set(
            ReminderLog.objects.filter(occasion="v1@rappel-2").values_list(
                "recipient_id", flat=True
            )
        )
    assert world.members[1].user_id not in second
    assert world.members[2].user_id not in second


def test_nothing_once_everyone_signed(world):
    publish(world, paris(2026, 6, 19, 10))
    for member in world.members:
        sign(world, member)
    for day in (22, 29):
        assert scan_at(paris(2026, 6, day, 10)).claimed == 0
    assert reminded() == []


def test_quiet_hours_hold_a_reminder_until_seven(world):
    publish(world, paris(2026, 6, 19, 22, 30))
    assert scan_at(paris(2026, 6, 22, 22, 35)).claimed == 0
    assert scan_at(paris(2026, 6, 23, 7, 0)).claimed == 6


def test_the_same_wall_clock_time_across_the_change_to_winter_time(world):
    publish(world, paris(2026, 10, 1, 10))
    # Joined on Thursday 22 October 10:00 (UTC+2); J+3 is Sunday 25 October, the day
    # the clocks go back: 10:00 local (UTC+1), not 09:00.
    joined(world, paris(2026, 10, 22, 10))
    assert scan_at(paris(2026, 10, 25, 9, 0)).claimed == 0
    assert scan_at(paris(2026, 10, 25, 9, 59)).claimed == 0
    assert scan_at(paris(2026, 10, 25, 10, 0)).claimed == 6
    with scopes_disabled():
        due = set(ReminderLog.objects.values_list("due_at", flat=True))
    assert {moment.astimezone(PARIS).hour for moment in due} == {10}
    assert scan_at(paris(2026, 11, 1, 10)).claimed == 6


def test_a_new_version_asking_for_signatures_starts_a_new_series(world):
    publish(world, paris(2026, 6, 19, 10))
    for member in world.members:
        sign(world, member)
    assert scan_at(paris(2026, 6, 22, 10)).claimed == 0
    # A minor correction: the signatures still count, nobody is reminded.
    publish(
        world, paris(2026, 6, 29, 10), body="Je m'engage (corrigé).", requires_resignature=False
    )
    assert scan_at(paris(2026, 7, 2, 10)).claimed == 0
    publish(world, paris(2026, 7, 6, 10), body="Je m'engage, nouvelles dates.")
    assert scan_at(paris(2026, 7, 9, 10)).claimed == 6
    assert occasions() == {"v3@rappel-1"}


@pytest.mark.parametrize("status", [Programme.Status.DRAFT, Programme.Status.ARCHIVED])
def test_nothing_for_a_draft_or_archived_programme(world, status):
    publish(world, paris(2026, 6, 19, 10))
    with scopes_disabled():
        Programme.objects.filter(pk=world.programme.pk).update(status=status)
    assert scan_at(paris(2026, 6, 22, 10)).claimed == 0


def test_the_coordinators_manual_reminder_still_works(world):
    publish(world, paris(2026, 6, 19, 10))
    with scope(organisation=world.organisation.pk):
        count = services.remind_missing_signatories(
            programme=world.programme, acting_user=world.coordinator
        )
    assert count == 6


def test_planning_runs_a_constant_number_of_queries(world):
    rule = registered_rules()["engagement_pending"]
    publish(world, paris(2026, 6, 19, 10))
    start, end = paris(2026, 6, 22, 9), paris(2026, 6, 22, 11)
    with CaptureQueriesContext(connection) as few:
        assert len(rule.due(start, end)) == 6
    with scopes_disabled():
        more = build_programme(
            organisation=world.organisation,
            teams=4,
            start_date=date(2026, 6, 1),
            end_date=date(2028, 6, 30),
        )
        TeamMember.objects.filter(team__in=more.teams).update(joined_at=paris(2026, 6, 1, 10))
    with (
        scope(organisation=world.organisation.pk),
        time_machine.travel(paris(2026, 6, 19, 10), tick=False),
    ):
        services.publish_engagement_text(
            programme=more.programme,
            acting_user=world.coordinator,
            body="Autre engagement",
            key_sessions=[],
        )
    with CaptureQueriesContext(connection) as many:
        assert len(rule.due(start, end)) == 6 + 12
    assert len(few.captured_queries) == len(many.captured_queries)
