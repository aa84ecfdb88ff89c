"""The coordinator's « Rappels » page plans every rule of one organisation: the reminder
settings of its programmes are read once for all the rules (issue 19), and say the same
as each rule reading its own."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scopes_disabled

from evaluation.models import Campaign
from notifications.models import ReminderSetting
from notifications.reminders import registered_rules, settings_preloaded
from tests.factories import (
    CampaignFactory,
    SessionFactory,
    build_programme,
    build_satisfaction_questionnaire,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def test_preloaded_settings_are_each_rules_own(django_assert_num_queries):
    with scopes_disabled():
        chosen = build_programme()
        other = build_programme(organisation=chosen.organisation)
        ReminderSetting.objects.create(
            organisation=chosen.organisation,
            programme=chosen.programme,
            rule="session",
            enabled=True,
            offsets=[1, 3, 3],
        )
        ReminderSetting.objects.create(
            organisation=chosen.organisation,
            programme=chosen.programme,
            rule="engagement_pending",
            enabled=False,
            offsets=[7],
        )
    rules = registered_rules().values()
    programmes = [chosen.programme.pk, other.programme.pk]
    one_by_one = {rule.code: rule.settings_for(programmes) for rule in rules}
    with django_assert_num_queries(1), settings_preloaded(chosen.organisation.pk):
        preloaded = {rule.code: rule.settings_for(programmes) for rule in rules}
    assert preloaded == one_by_one
    assert preloaded["session"][chosen.programme.pk] == (True, [3, 1])
    assert preloaded["engagement_pending"][chosen.programme.pk] == (False, [7])
    assert preloaded["session"][other.programme.pk] == (True, [7, 1])


def test_rules_planning_together_plan_what_each_plans_alone():
    """On the page the rules share what they load (the campaigns of both questionnaire
    rules and their targets, the teams and registrations of sessions): the plan is the
    one each rule makes alone, as the scan does."""
    start = datetime(2026, 10, 15, 9, 0, tzinfo=PARIS)
    end = start + timedelta(days=14)
    with scopes_disabled():
        world = build_programme(teams=2, members_per_team=2)
        form = build_satisfaction_questionnaire(organisation=world.organisation)
        session = SessionFactory(
            programme=world.programme, starts_at=start + timedelta(days=5, hours=1)
        )
        for opens_at, closes_at in [
            (start + timedelta(days=1), start + timedelta(days=20)),
            (start - timedelta(days=3), start + timedelta(days=4)),
            (start + timedelta(days=2), start + timedelta(days=6)),
        ]:
            CampaignFactory(
                programme=world.programme,
                version=form.version,
                opens_at=opens_at,
                closes_at=closes_at,
            )
        CampaignFactory(
            programme=world.programme,
            version=form.version,
            opens_at=start + timedelta(days=1),
            closes_at=start + timedelta(days=9),
            audience=Campaign.Audience.SESSION,
            session=session,
        )
    rules = registered_rules().values()

    def plan():
        return sorted(
            (r.key, r.due_at, r.expires_at)
            for rule in rules
            for r in rule.due(start, end, organisation_id=world.organisation.pk)
        )

    alone = plan()
    with settings_preloaded(world.organisation.pk):
        together = plan()
    assert together == alone
    assert {key[0] for key, *_rest in alone} >= {"session", "campaign_open", "campaign_closing"}
