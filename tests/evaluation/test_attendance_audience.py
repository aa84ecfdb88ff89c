"""A campaign for a session's participants follows attendance: once the sheet is
recorded it reaches those present or late (invitations, reminders, non-respondents,
the rate's denominator); an « à chaud » waits for the sheet, then goes to the
attendees, or at the end of the wait to the registered with a flag; invitations go
exactly once."""

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluation import selectors
from evaluation.models import Campaign
from evaluation.services import campaigns as campaign_services
from evaluation.targets import default_sheet_wait, targets
from organisations.models import AuditEntry
from tests.evaluation.attendance_world import (
    at,
    build_world,
    hot_campaign,
    invited,
    record_sheet,
    scan_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_three_present_one_absent_reaches_three(world, client):
    campaign = hot_campaign(world)
    record_sheet(world, at(2027, 1, 12, 17))
    present = sorted(person.pk for person in world.people[:3])
    absent = world.people[3]
    with scope(organisation=world.organisation):
        found = targets([campaign])
        assert sorted(user.pk for user in found.people[campaign.pk]) == present
        assert found.expected(campaign) == 3
        assert sorted(selectors.target_people(campaign).values_list("pk", flat=True)) == present
        assert not selectors.is_respondent(campaign, absent)
        assert selectors.is_respondent(campaign, world.people[1])  # late counts as came
    # The invitation at the opening goes to the three who came, once.
    assert scan_at(at(2027, 1, 12, 17, 45)).claimed == 3
    assert scan_at(at(2027, 1, 12, 17, 50)).claimed == 0
    assert invited() == present
    # Reminders and « Relancer » follow the same audience.
    with (
        time_machine.travel(at(2027, 1, 20, 10), tick=False),
        scope(organisation=world.organisation),
    ):
        recipients = selectors.non_respondents(campaign)["recipients"]
        assert sorted(user.pk for user in recipients) == present
        assert (
            campaign_services.remind_non_respondents(
                campaign=campaign, acting_user=world.coordinator
            )
            == 3
        )
    assert scan_at(at(2027, 1, 23, 18)).claimed == 3  # J-3 before the closing
    assert absent.pk not in invited("evaluation.closing")
    # The absent person cannot answer; the campaign page counts « 0 sur 3 ».
    with time_machine.travel(at(2027, 1, 20, 10), tick=False):
        client.force_login(absent)
        answer = reverse("evaluation:answer", args=[world.organisation.slug, campaign.pk])
        assert client.get(answer).status_code == 404
        client.force_login(world.coordinator)
        detail = reverse("evaluation:campaign_detail", args=[world.organisation.slug, campaign.pk])
        page = client.get(detail).content.decode()
    assert "0 sur 3" in page
    assert "feuille d&#x27;émargement" in page or "feuille d'émargement" in page


def test_a_guest_on_the_sheet_is_asked_too(world):
    campaign = hot_campaign(world)
    guest = world.observer  # someone not expected, recorded present
    record_sheet(world, at(2027, 1, 12, 17), statuses=("present",))
    from tests.factories import AttendanceFactory

    with scopes_disabled(), time_machine.travel(at(2027, 1, 12, 17), tick=False):
        AttendanceFactory(session=world.session, user=guest, day=world.session.starts_at.date())
    with scope(organisation=world.organisation):
        people = set(selectors.target_people(campaign).values_list("pk", flat=True))
    assert people == {world.people[0].pk, guest.pk}


def test_waiting_then_the_sheet_invites_the_attendees_once(world):
    campaign = hot_campaign(world)
    # The session ended: no sheet yet, nobody is invited.
    assert scan_at(at(2027, 1, 12, 17, 45)).claimed == 0
    assert scan_at(at(2027, 1, 12, 20, 0)).claimed == 0
    with (
        time_machine.travel(at(2027, 1, 12, 20), tick=False),
        scope(organisation=world.organisation),
    ):
        assert selectors.awaiting_sheet(campaign)
        assert not selectors.is_respondent(campaign, world.people[0])
    # The trainer records the sheet the next morning: the next scan invites the three.
    record_sheet(world, at(2027, 1, 13, 8, 10))
    assert scan_at(at(2027, 1, 13, 8, 15)).claimed == 3
    assert scan_at(at(2027, 1, 13, 9, 0)).claimed == 0
    assert scan_at(at(2027, 1, 13, 9, 5)).claimed == 0
    assert invited() == sorted(person.pk for person in world.people[:3])
    with scopes_disabled():
        assert not Campaign.objects.get(pk=campaign.pk).audience_fallback


def test_no_sheet_by_the_limit_goes_to_the_registered_with_the_flag(world, client):
    campaign = hot_campaign(world)
    assert scan_at(at(2027, 1, 13, 8, 55)).claimed == 0
    assert scan_at(at(2027, 1, 13, 9, 0)).claimed == 4
    with scopes_disabled():
        campaign.refresh_from_db()
        assert campaign.audience_fallback
        assert (
            AuditEntry.objects.filter(action="evaluation.campaign.audience_fallback").count() == 1
        )
    # A sheet recorded later changes nobody's invitation nor the audience.
    record_sheet(world, at(2027, 1, 13, 10))
    assert scan_at(at(2027, 1, 13, 10, 5)).claimed == 0
    assert invited() == sorted(person.pk for person in world.people)
    with scope(organisation=world.organisation):
        assert selectors.target_people(campaign).count() == 4
        assert targets([campaign]).expected(campaign) == 4
    with time_machine.travel(at(2027, 1, 13, 11), tick=False):
        client.force_login(world.coordinator)
        page = client.get(
            reverse("evaluation:campaign_detail", args=[world.organisation.slug, campaign.pk])
        ).content.decode()
    assert "Envoyée aux inscrit·es : aucune feuille" in page, page[page.find("<main") :][:3000]


def test_the_default_wait_is_the_next_morning_at_nine(world):
    with scopes_disabled():
        assert default_sheet_wait(world.session, "Europe/Paris") == at(2027, 1, 13, 9)
    with (
        time_machine.travel(at(2027, 1, 5, 12), tick=False),
        scope(organisation=world.organisation),
    ):
        campaign = campaign_services.create_campaign(
            programme=world.programme,
            acting_user=world.coordinator,
            questionnaire=world.form.questionnaire,
            title="À chaud",
            moment="hot",
            audience="session",
            session=world.session,
            opens_at=world.session.ends_at,
            closes_at=at(2027, 1, 26, 18),
        )
    assert campaign.sheet_wait_until == at(2027, 1, 13, 9)


def test_a_wait_ending_before_the_session_is_refused(world):
    from django.core.exceptions import ValidationError

    with scope(organisation=world.organisation), pytest.raises(ValidationError) as error:
        campaign_services.create_campaign(
            programme=world.programme,
            acting_user=world.coordinator,
            questionnaire=world.form.questionnaire,
            title="À chaud",
            audience="session",
            session=world.session,
            opens_at=world.session.ends_at,
            closes_at=at(2027, 1, 26, 18),
            sheet_wait_until=at(2027, 1, 11, 9),
        )
    assert "sheet_wait_until" in error.value.message_dict


def test_an_automatic_campaign_waits_until_the_next_morning(world):
    from evaluation.services.campaigns import save_automatic_campaign

    with (
        time_machine.travel(at(2027, 1, 5, 12), tick=False),
        scope(organisation=world.organisation),
    ):
        save_automatic_campaign(
            programme=world.programme,
            acting_user=world.coordinator,
            session_kind=world.kind,
            questionnaire=world.form.questionnaire,
        )
        campaign = Campaign.objects.get(session=world.session, automatic_rule__isnull=False)
    assert campaign.sheet_wait_until == at(2027, 1, 13, 9)


def test_team_mode_reaches_teams_with_an_attendee(world):
    from tests.factories import TeamFactory, TeamMemberFactory

    with scopes_disabled():
        other = TeamFactory(cohort=world.cohort)
        TeamMemberFactory(team=other, role=world.roles[0])
    campaign = hot_campaign(world, mode="team")
    record_sheet(world, at(2027, 1, 12, 17))
    with scope(organisation=world.organisation):
        assert list(selectors.target_teams(campaign).values_list("pk", flat=True)) == [
            world.teams[0].pk
        ]
        assert targets([campaign]).teams[campaign.pk] == [world.teams[0].pk]
