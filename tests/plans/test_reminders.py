"""The reminders of the action plans: before a follow-up séance (J-7, the séance's teams
update their plan), an action late (its owner, once a month), the coordinators' weekly
digest (only when something changed). Each sent once, to the right people only, on the
organisation's wall clock, and planned in a constant number of queries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from notifications import services as notification_services
from notifications.models import Category, Channel, OutboxMessage, ReminderLog
from notifications.reminder_services import save_reminder_setting
from notifications.reminders import registered_rules
from notifications.scan import scan, upcoming
from parcours.models import Session, TeamMember
from plans.models import ActionPlan
from plans.reminders import RULES, LateActionRule, add_months
from plans.services import actions as action_services
from plans.services import common as common_services
from plans.services import stages as stage_services
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TeamMemberFactory,
    UserFactory,
    build_programme,
)
from tests.plans.factories import (
    ActionFactory,
    ActionPlanFactory,
    ActionUpdateFactory,
    FollowUpSessionFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
FOLLOW_UP = "plans.follow_up_reminder"
LATE = "plans.action_late"
DIGEST = "plans.weekly_digest"


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def sent(kind):
    with scopes_disabled():
        return sorted(
            OutboxMessage.objects.filter(kind=kind).values_list("recipient_id", flat=True)
        )


def messages(kind):
    with scopes_disabled():
        return list(OutboxMessage.objects.filter(kind=kind).order_by("pk"))


def members_of(*teams):
    with scopes_disabled():
        return sorted(
            TeamMember.objects.current()
            .filter(team__in=teams)
            .values_list("user_id", flat=True)
            .distinct()
        )


def first_member(team):
    with scopes_disabled():
        return TeamMember.objects.filter(team=team).order_by("pk").first().user


@pytest.fixture
def world():
    with scopes_disabled():
        built = build_programme(teams=3, start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.trainer = MembershipFactory(organisation=built.organisation, trainer=True).user
    return built


def follow_up_session(world, starts_at, *, teams=None):
    with scopes_disabled():
        session = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            title="Suivi des plans d'action",
            audience=Session.Audience.TEAMS if teams else Session.Audience.COHORT,
            teams=teams,
        )
    with scope(organisation=world.organisation.pk):
        common_services.mark_follow_up(
            session=session, follow_up=True, acting_user=world.coordinator
        )
    return session


def test_the_rules_are_registered():
    assert {"plans_follow_up", "plans_action_late", "plans_weekly_digest"} <= set(
        registered_rules()
    )
    assert {rule.code for rule in RULES} == {
        "plans_follow_up",
        "plans_action_late",
        "plans_weekly_digest",
    }


# --- Before a follow-up séance ------------------------------------------------------------


def test_the_seance_teams_are_asked_to_update_their_plan_at_j_minus_7_once(world):
    chosen = world.teams[:2]
    session = follow_up_session(world, paris(2026, 11, 19, 9, 30), teams=chosen)
    due = paris(2026, 11, 12, 9, 30)
    scan_at(due - timedelta(minutes=5))
    assert sent(FOLLOW_UP) == []
    scan_at(due + timedelta(minutes=1))
    assert sent(FOLLOW_UP) == members_of(*chosen)
    scan_at(due + timedelta(minutes=30))
    scan_at(due + timedelta(days=1))
    assert sent(FOLLOW_UP) == members_of(*chosen)
    message = next(m for m in messages(FOLLOW_UP) if m.recipient_id == first_member(chosen[0]).pk)
    assert "Mettez à jour votre plan d'action" in message.subject
    assert session.title in message.body_text
    path = f"/programmes/{world.programme.pk}/equipes/{chosen[0].pk}/plan/"
    assert path in message.body_text and path in message.url


def test_a_cohort_wide_seance_asks_every_team_and_not_those_who_left(world):
    leaving = first_member(world.teams[2])
    with scopes_disabled():
        TeamMember.objects.filter(user=leaving).update(left_at=paris(2026, 10, 1, 12, 0))
    follow_up_session(world, paris(2026, 11, 19, 9, 30))
    scan_at(paris(2026, 11, 12, 9, 31))
    expected = members_of(*world.teams)
    assert leaving.pk not in expected
    assert sent(FOLLOW_UP) == expected


def test_a_seance_not_marked_follow_up_reminds_nothing_about_plans(world):
    with scopes_disabled():
        SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=paris(2026, 11, 19, 9, 30),
            ends_at=paris(2026, 11, 19, 12, 30),
        )
    scan_at(paris(2026, 11, 12, 9, 31))
    assert sent(FOLLOW_UP) == []


def test_the_j7_follows_the_paris_wall_clock_across_the_dst_change(world):
    # Thursday 29 October 2026 09:00 (winter time): its J-7 is Thursday 22 October 09:00
    # summer time, 07:00 UTC, not 08:00 UTC.
    follow_up_session(world, paris(2026, 10, 29, 9, 0), teams=world.teams[:1])
    scan_at(datetime(2026, 10, 22, 6, 58, tzinfo=UTC))
    assert sent(FOLLOW_UP) == []
    scan_at(datetime(2026, 10, 22, 7, 1, tzinfo=UTC))
    assert sent(FOLLOW_UP) == members_of(world.teams[0])
    scan_at(datetime(2026, 10, 22, 8, 1, tzinfo=UTC))
    assert sent(FOLLOW_UP) == members_of(world.teams[0])


def test_a_switched_off_rule_and_a_person_who_turned_reminders_off(world):
    follow_up_session(world, paris(2026, 11, 19, 9, 30), teams=world.teams[:1])
    silent = first_member(world.teams[0])
    notification_services.set_preference(
        user=silent, category=Category.REMINDERS, channel=Channel.OFF
    )
    scan_at(paris(2026, 11, 12, 9, 31))
    assert silent.pk not in sent(FOLLOW_UP)
    assert sent(FOLLOW_UP) == [pk for pk in members_of(world.teams[0]) if pk != silent.pk]
    with scopes_disabled():
        log = ReminderLog.objects.get(recipient=silent, rule="plans_follow_up")
    assert log.status == ReminderLog.Status.SKIPPED
    # The same rule switched off for the programme: the next séance gets nothing.
    with scope(organisation=world.organisation.pk):
        save_reminder_setting(
            programme=world.programme,
            rule_code="plans_follow_up",
            enabled=False,
            offsets=[7],
            acting_user=world.coordinator,
        )
    follow_up_session(world, paris(2026, 12, 10, 9, 30), teams=world.teams[1:2])
    scan_at(paris(2026, 12, 3, 9, 31))
    assert not set(sent(FOLLOW_UP)) & set(members_of(world.teams[1]))


def test_the_upcoming_page_lists_the_follow_up_reminder(world):
    follow_up_session(world, paris(2026, 11, 19, 9, 30), teams=world.teams[:1])
    with (
        time_machine.travel(paris(2026, 11, 5, 10, 0), tick=False),
        scope(organisation=world.organisation.pk),
    ):
        days = upcoming(world.organisation)
    items = [item for day in days for item in day.items if item.rule.code == "plans_follow_up"]
    assert [item.offset_label for item in items] == ["J-7"]
    assert items[0].title == "Suivi des plans d'action"
    assert len(items[0].recipients) == 3


# --- Actions late -----------------------------------------------------------------------


def late_action(world, team, *, due_on=date(2026, 3, 10), **kwargs):
    owner = first_member(team)
    with scopes_disabled():
        plan = ActionPlanFactory(team=team)
        return ActionFactory(
            plan=plan,
            owner=owner,
            in_progress=True,
            starts_on=due_on - timedelta(days=30),
            due_on=due_on,
            **kwargs,
        )


def test_the_owner_of_a_late_action_is_reminded_once_a_month(world):
    action = late_action(world, world.teams[0])
    owner = action.owner
    # Not late on its deadline; the day after, at 09:00.
    scan_at(paris(2026, 3, 10, 9, 1))
    assert sent(LATE) == []
    scan_at(paris(2026, 3, 11, 9, 1))
    assert sent(LATE) == [owner.pk]
    scan_at(paris(2026, 3, 11, 15, 0))
    scan_at(paris(2026, 3, 20, 9, 1))
    assert sent(LATE) == [owner.pk]
    scan_at(paris(2026, 4, 11, 9, 1))
    scan_at(paris(2026, 4, 11, 9, 30))
    assert sent(LATE) == [owner.pk, owner.pk]
    with scopes_disabled():
        occasions = sorted(
            ReminderLog.objects.filter(rule="plans_action_late").values_list("occasion", flat=True)
        )
    assert occasions == ["retard-2026-03", "retard-2026-04"]
    message = messages(LATE)[0]
    assert action.title in message.subject
    assert "en retard d'un jour" in message.body_text
    assert f"/actions/{action.pk}/" in message.url
    assert "en retard de 32 jours" in messages(LATE)[1].body_text


def test_no_late_reminder_once_done_nor_to_an_owner_who_left(world):
    done = late_action(world, world.teams[0])
    left = late_action(world, world.teams[1])
    with scopes_disabled():
        type(done).objects.filter(pk=done.pk).update(status="done", progress=100)
        TeamMember.objects.filter(team=world.teams[1], user=left.owner).update(
            left_at=paris(2026, 3, 1, 12, 0)
        )
    scan_at(paris(2026, 3, 11, 9, 1))
    assert sent(LATE) == []


def test_the_first_late_reminder_waits_the_chosen_number_of_days(world):
    late_action(world, world.teams[0])
    with scope(organisation=world.organisation.pk):
        save_reminder_setting(
            programme=world.programme,
            rule_code="plans_action_late",
            enabled=True,
            offsets=[7],
            acting_user=world.coordinator,
        )
    scan_at(paris(2026, 3, 11, 9, 1))
    assert sent(LATE) == []
    scan_at(paris(2026, 3, 17, 9, 1))
    assert len(sent(LATE)) == 1


def test_monthly_moments_clamp_to_the_end_of_the_month():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    found = LateActionRule.monthly(
        date(2027, 1, 31),
        paris(2027, 2, 27, 12, 0),
        paris(2027, 3, 1, 12, 0),
        PARIS,
    )
    assert [day for day, *_rest in found] == [date(2027, 2, 28)]


# --- The weekly digest ------------------------------------------------------------------


def activity(world, moment):
    """An action created and one updated, a stage submitted and validated, at ``moment``."""
    team = world.teams[0]
    member = first_member(team)
    with time_machine.travel(moment, tick=False), scope(organisation=world.organisation.pk):
        plan = stage_services.team_plan(team=team)
        action = action_services.create_action(
            plan=plan, acting_user=member, title="Réunir le COPIL élargi"
        )
        action_services.post_update(
            action=action, acting_user=member, progress=20, status="in_progress", note="Lancé."
        )
        stage_services.save_draft(
            plan=plan,
            stage="intention",
            body="## Contexte\n\nTexte.",
            acting_user=member,
            revision=None,
        )
        version = stage_services.submit_stage(plan=plan, stage="intention", acting_user=member)
        stage_services.review_version(
            version=version, acting_user=world.trainer, decision="validated"
        )
    return action


def test_the_coordinators_get_the_week_of_the_plans_once(world):
    other = MembershipFactory(organisation=world.organisation, trainer=True).user
    activity(world, paris(2026, 11, 18, 15, 0))  # Wednesday of week 47
    monday = paris(2026, 11, 23, 8, 0)
    scan_at(monday - timedelta(minutes=5))
    assert sent(DIGEST) == []
    scan_at(monday + timedelta(minutes=1))
    assert sent(DIGEST) == [world.coordinator.pk]
    assert other.pk not in sent(DIGEST)
    scan_at(monday + timedelta(hours=2))
    assert sent(DIGEST) == [world.coordinator.pk]
    with scopes_disabled():
        log = ReminderLog.objects.get(rule="plans_weekly_digest")
    assert log.occasion == "2026-W47"
    message = messages(DIGEST)[0]
    assert "la semaine du 16 novembre 2026" in message.subject
    body = message.body_text
    assert "Actions créées" in body and "Réunir le COPIL élargi" in body
    assert "Actions mises à jour" in body and "(en cours, 20 %)" in body
    assert "Étapes soumises" in body and "Fiche d'intention v1" in body
    assert "Étapes validées" in body


def test_no_digest_for_a_week_where_nothing_changed(world):
    activity(world, paris(2026, 11, 18, 15, 0))
    scan_at(paris(2026, 11, 23, 8, 1))
    assert len(sent(DIGEST)) == 1
    # Week 48: nothing happened.
    scan_at(paris(2026, 11, 30, 8, 1))
    assert len(sent(DIGEST)) == 1


def test_a_coordinator_who_turned_team_news_off_gets_no_digest(world):
    notification_services.set_preference(
        user=world.coordinator, category=Category.TEAM_NEWS, channel=Channel.OFF
    )
    activity(world, paris(2026, 11, 18, 15, 0))
    scan_at(paris(2026, 11, 23, 8, 1))
    assert sent(DIGEST) == []


# --- Query counts -----------------------------------------------------------------------


def grow(world, size, day):
    """``size`` late actions (each with an update of last week) and follow-up séances, all
    due around ``day``."""
    with scopes_disabled():
        for index in range(size):
            team = world.teams[index % 3]
            owner = UserFactory()
            TeamMemberFactory(team=team, user=owner)
            plan = ActionPlan.objects.filter(team=team).first() or ActionPlanFactory(team=team)
            action = ActionFactory(
                plan=plan,
                owner=owner,
                in_progress=True,
                starts_on=date(2026, 1, 1),
                due_on=day.date() - timedelta(days=1),
            )
            ActionUpdateFactory(action=action, created_at=day - timedelta(days=3))
            starts_at = day + timedelta(days=7, minutes=index)
            session = SessionFactory(
                programme=world.programme,
                kind=world.kind,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3),
                audience=Session.Audience.TEAMS,
                teams=[team],
            )
            FollowUpSessionFactory(session=session)


def test_planning_query_count_does_not_grow_with_the_data(world):
    # Monday 9 February 2026: the digest of week 6, the J-7 of séances on the 16th and
    # the first reminder of actions due on the 8th are all due around 09:00.
    day = paris(2026, 2, 9, 9, 0)
    counts = []
    for size in (3, 30):
        grow(world, size - (3 if counts else 0), day)
        with CaptureQueriesContext(connection) as context:
            planned = [
                reminder
                for rule in RULES
                for reminder in rule.due(day - timedelta(hours=2), day + timedelta(hours=1))
            ]
        assert {reminder.rule for reminder in planned} == {rule.code for rule in RULES}
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15
