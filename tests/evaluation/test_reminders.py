"""Questionnaire reminders: the opening notice to every respondent (once, out of the
quiet hours), J-3 before closing to those who have not answered yet, nothing for
cancelled or draft campaigns, a constant number of queries to plan them."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluation import selectors, services
from evaluation.answer_values import AnswerValue
from evaluation.models import Campaign
from notifications.models import OutboxMessage
from notifications.reminders import registered_rules
from notifications.scan import scan
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    build_programme,
    build_satisfaction_questionnaire,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def world(db):
    with scopes_disabled():
        built = build_programme(
            teams=2, members_per_team=3, start_date=date(2026, 1, 1), end_date=date(2027, 12, 31)
        )
        built.trainer = MembershipFactory(organisation=built.organisation, trainer=True).user
        built.form = build_satisfaction_questionnaire(organisation=built.organisation)
        built.members = sorted(
            member.user.pk for team in built.teams for member in team.members.all()
        )
    return built


def campaign(world, opens_at, closes_at, **kwargs):
    with scopes_disabled():
        return CampaignFactory(
            programme=world.programme,
            version=world.form.version,
            opens_at=opens_at,
            closes_at=closes_at,
            **kwargs,
        )


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def sent(kind):
    with scopes_disabled():
        return list(
            OutboxMessage.objects.filter(kind=kind)
            .order_by("pk")
            .values_list("recipient_id", "subject")
        )


def test_the_opening_notice_goes_once_to_every_respondent(world):
    opened = campaign(world, paris(2026, 11, 30, 9), paris(2026, 12, 18, 18), title="Bilan T1")
    assert scan_at(paris(2026, 11, 30, 8, 55)).claimed == 0
    first = scan_at(paris(2026, 11, 30, 9, 0))
    assert first.claimed == 6
    assert scan_at(paris(2026, 11, 30, 9, 5)).claimed == 0
    notices = sent("evaluation.open")
    assert sorted(recipient for recipient, _subject in notices) == world.members
    assert notices[0][1] == "Questionnaire à remplir : Bilan T1"
    message = mail.outbox[0]
    answer = reverse("evaluation:answer", args=[world.organisation.slug, opened.pk])
    assert answer in message.body
    assert "18 décembre 2026 à 18 h" in message.body


def test_assessors_are_told_and_land_on_their_list(world):
    assessment = campaign(
        world,
        paris(2026, 11, 30, 9),
        paris(2026, 12, 18, 18),
        mode=Campaign.Mode.ASSESS_TEAM,
        assessors=[world.trainer],
    )
    assert scan_at(paris(2026, 11, 30, 9)).claimed == 1
    assert sent("evaluation.open")[0][0] == world.trainer.pk
    path = reverse("evaluation:assess_list", args=[world.organisation.slug, assessment.pk])
    assert path in mail.outbox[0].body


def test_nothing_in_the_night_the_notice_waits_until_7(world):
    campaign(world, paris(2026, 11, 30, 23, 0), paris(2026, 12, 18, 18))
    assert scan_at(paris(2026, 11, 30, 23, 5)).claimed == 0
    assert scan_at(paris(2026, 12, 1, 6, 55)).claimed == 0
    assert scan_at(paris(2026, 12, 1, 7, 0)).claimed == 6


def test_a_moved_opening_gets_a_new_notice(world):
    moved = campaign(world, paris(2026, 11, 30, 9), paris(2026, 12, 18, 18))
    scan_at(paris(2026, 11, 30, 9))
    with scopes_disabled():
        Campaign.objects.filter(pk=moved.pk).update(opens_at=paris(2026, 12, 2, 9))
    assert scan_at(paris(2026, 12, 2, 9)).claimed == 6


def test_closing_reminder_j3_only_to_who_has_not_answered(world):
    open_campaign = campaign(world, paris(2026, 11, 1, 9), paris(2026, 12, 18, 18))
    with scope(organisation=world.organisation.pk):
        people = list(selectors.target_people(open_campaign))
        with time_machine.travel(paris(2026, 12, 1, 10)):
            for person in people[:4]:
                response = services.start_response(campaign=open_campaign, acting_user=person)
                services.save_answers(
                    response=response,
                    values=[AnswerValue(question=world.form.scale, number=4)],
                    acting_user=person,
                )
                services.submit_response(response=response, acting_user=person)
    assert scan_at(paris(2026, 12, 15, 17, 55)).claimed == 0
    assert scan_at(paris(2026, 12, 15, 18, 0)).claimed == 2
    assert scan_at(paris(2026, 12, 15, 18, 5)).claimed == 0
    reminded = {recipient for recipient, _subject in sent("evaluation.closing")}
    assert reminded == {person.pk for person in people[4:]}


def test_anonymous_closing_reminder_uses_the_participations(world):
    anonymous = campaign(world, paris(2026, 11, 1, 9), paris(2026, 12, 18, 18), anonymous=True)
    with scope(organisation=world.organisation.pk):
        people = list(selectors.target_people(anonymous))
        with time_machine.travel(paris(2026, 12, 1, 10)):
            services.save_anonymous_draft(
                campaign=anonymous,
                user=people[0],
                values=[AnswerValue(question=world.form.scale, number=3)],
            )
            services.submit_anonymous(campaign=anonymous, user=people[0])
    assert scan_at(paris(2026, 12, 15, 18, 0)).claimed == 5
    reminded = {recipient for recipient, _subject in sent("evaluation.closing")}
    assert people[0].pk not in reminded


def test_cancelled_draft_and_closed_campaigns_plan_nothing(world):
    campaign(world, paris(2026, 11, 30, 9), paris(2026, 12, 18, 18), status="cancelled")
    campaign(world, paris(2026, 11, 30, 9), paris(2026, 12, 18, 18), draft=True)
    campaign(world, paris(2026, 11, 1, 9), paris(2026, 11, 30, 9, 30))
    assert scan_at(paris(2026, 11, 30, 9, 0)).planned == 0
    assert scan_at(paris(2026, 12, 15, 18, 0)).planned == 0


@pytest.mark.parametrize("code", ["campaign_open", "campaign_closing"])
def test_planning_query_count_does_not_grow_with_the_campaigns(world, code):
    rule = registered_rules()[code]
    opens_at, closes_at = paris(2026, 11, 30, 9), paris(2026, 12, 18, 18)
    due = opens_at if code == "campaign_open" else paris(2026, 12, 15, 18)
    counts = []
    for size in (5, 50):
        for index in range(size - (5 if counts else 0)):
            kind = index % 3
            with scopes_disabled():
                extra = {}
                if kind == 1:
                    extra = {"mode": Campaign.Mode.TEAM}
                elif kind == 2:
                    extra = {"mode": Campaign.Mode.ASSESS_TEAM, "assessors": [world.trainer]}
                campaign(world, opens_at, closes_at, **extra)
        with CaptureQueriesContext(connection) as context:
            planned = rule.due(due - timedelta(minutes=5), due)
        assert len(planned) > size
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12
