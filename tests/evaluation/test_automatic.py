"""Automatic « à chaud » campaigns: created with each scheduled session of the kind,
moved with it while not open, cancelled with it, left alone once answered."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from evaluation import services
from evaluation.answer_values import AnswerValue
from evaluation.models import AutomaticCampaign, Campaign, Moment
from evaluation.services import campaigns as campaign_services
from parcours import services as parcours_services
from tests.factories import MembershipFactory, build_programme, build_satisfaction_questionnaire

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():
    with scopes_disabled():
        built = build_programme(teams=2, start_date=date(2026, 1, 1), end_date=date(2027, 12, 31))
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.form = build_satisfaction_questionnaire(organisation=built.organisation)
    return built


def rule(world, **overrides):
    fields = {
        "programme": world.programme,
        "acting_user": world.coordinator,
        "session_kind": world.kind,
        "questionnaire": world.form.questionnaire,
        "open_days": 10,
        "anonymous": True,
        "enabled": True,
    }
    fields.update(overrides)
    with scope(organisation=world.organisation.pk):
        return campaign_services.save_automatic_campaign(**fields)


def new_session(world, starts_at, kind=None, **fields):
    with scope(organisation=world.organisation.pk):
        return parcours_services.create_session(
            programme=world.programme,
            acting_user=world.coordinator,
            kind=kind or world.kind,
            title="Formation gouvernance",
            format="visio",
            visio_url="https://visio.exemple.fr/x",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            **fields,
        )


def campaigns_of(world, session):
    with scope(organisation=world.organisation.pk):
        return list(Campaign.objects.filter(session=session))


def test_a_new_session_of_the_kind_gets_its_launched_hot_campaign(world):
    automatic = rule(world)
    session = new_session(world, paris(2026, 12, 9, 9, 30))
    [campaign] = campaigns_of(world, session)
    assert campaign.automatic_rule == automatic
    assert campaign.title == "Évaluation à chaud — Formation gouvernance"
    assert (campaign.moment, campaign.audience, campaign.mode) == (
        Moment.HOT,
        Campaign.Audience.SESSION,
        Campaign.Mode.PERSON,
    )
    assert campaign.anonymous and campaign.status == Campaign.Status.LAUNCHED
    assert campaign.version == world.form.version
    assert campaign.opens_at == session.ends_at
    assert campaign.closes_at == session.ends_at + timedelta(days=10)
    # Another kind, a tentative session: nothing.
    other_kind = new_session(world, paris(2026, 12, 10, 9), kind=world.individual_kind)
    tentative = new_session(world, paris(2026, 12, 11, 9), status="tentative")
    assert campaigns_of(world, other_kind) == campaigns_of(world, tentative) == []


def test_saving_a_rule_creates_the_campaigns_of_coming_sessions_only(world):
    coming = new_session(world, paris(2026, 12, 9, 9, 30))
    long_past = new_session(world, paris(2026, 9, 1, 9, 30))
    automatic = rule(world)
    assert len(campaigns_of(world, coming)) == 1
    assert campaigns_of(world, long_past) == []
    rule(world, automatic=automatic, open_days=20)  # changes it, still one campaign
    [campaign] = campaigns_of(world, coming)
    assert campaign.closes_at == coming.ends_at + timedelta(days=20)


def test_a_moved_session_moves_its_campaign_until_it_opens(world):
    rule(world)
    session = new_session(world, paris(2026, 12, 9, 9, 30))
    with scope(organisation=world.organisation.pk):
        parcours_services.update_session(
            session=session,
            acting_user=world.coordinator,
            starts_at=paris(2026, 12, 16, 14),
            ends_at=paris(2026, 12, 16, 17),
        )
    [campaign] = campaigns_of(world, session)
    assert campaign.opens_at == paris(2026, 12, 16, 17)
    assert campaign.closes_at == paris(2026, 12, 26, 17)


def test_a_cancelled_session_cancels_its_campaign(world):
    rule(world)
    session = new_session(world, paris(2026, 12, 9, 9, 30))
    with scope(organisation=world.organisation.pk):
        parcours_services.cancel_session(session=session, acting_user=world.coordinator)
    [campaign] = campaigns_of(world, session)
    assert campaign.status == Campaign.Status.CANCELLED


def test_an_answered_campaign_is_not_moved_but_is_cancelled_with_its_session(world):
    rule(world)
    session = new_session(world, paris(2026, 11, 24, 6))
    [campaign] = campaigns_of(world, session)
    assert campaign.is_open
    with scope(organisation=world.organisation.pk):
        person = world.teams[0].members.first().user
        services.save_anonymous_draft(
            campaign=campaign,
            user=person,
            values=[AnswerValue(question=world.form.scale, number=4)],
        )
        services.submit_anonymous(campaign=campaign, user=person)
        parcours_services.update_session(
            session=session,
            acting_user=world.coordinator,
            starts_at=paris(2026, 12, 1, 9),
            ends_at=paris(2026, 12, 1, 12),
        )
        campaign.refresh_from_db()
        assert campaign.opens_at == paris(2026, 11, 24, 9)
        parcours_services.cancel_session(session=session, acting_user=world.coordinator)
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.CANCELLED
        assert campaign.responses.count() == 1


def test_disabling_or_deleting_the_rule_withdraws_campaigns_not_yet_open(world):
    automatic = rule(world)
    coming = new_session(world, paris(2026, 12, 9, 9, 30))
    rule(world, automatic=automatic, enabled=False)
    assert campaigns_of(world, coming) == []
    rule(world, automatic=automatic, enabled=True)
    assert len(campaigns_of(world, coming)) == 1
    open_now = new_session(world, paris(2026, 11, 24, 6))
    with scope(organisation=world.organisation.pk):
        campaign_services.delete_automatic_campaign(
            automatic=AutomaticCampaign.objects.get(), acting_user=world.coordinator
        )
        assert not AutomaticCampaign.objects.exists()
    assert campaigns_of(world, coming) == []
    [kept] = campaigns_of(world, open_now)
    assert kept.automatic_rule is None and kept.is_open


def test_a_campaign_cancelled_by_hand_stays_cancelled(world):
    rule(world)
    session = new_session(world, paris(2026, 12, 9, 9, 30))
    [campaign] = campaigns_of(world, session)
    with scope(organisation=world.organisation.pk):
        campaign_services.cancel_campaign(campaign=campaign, acting_user=world.coordinator)
        parcours_services.update_session(
            session=session,
            acting_user=world.coordinator,
            starts_at=paris(2026, 12, 10, 9),
            ends_at=paris(2026, 12, 10, 12),
        )
    [campaign] = campaigns_of(world, session)
    assert campaign.status == Campaign.Status.CANCELLED


def test_rule_validation(world):
    with scopes_disabled():
        unpublished = build_satisfaction_questionnaire(
            organisation=world.organisation, published=False
        )
    for overrides, field, text in (
        ({"open_days": 0}, "open_days", "entre 1 et 90"),
        ({"open_days": 91}, "open_days", "entre 1 et 90"),
        ({"questionnaire": unpublished.questionnaire}, "questionnaire", "version publiée"),
    ):
        with pytest.raises(ValidationError) as caught:
            rule(world, **overrides)
        assert text in caught.value.message_dict[field][0]
    rule(world)
    with pytest.raises(ValidationError) as caught:
        rule(world)
    assert "déjà son évaluation" in caught.value.message_dict["session_kind"][0]
    with scope(organisation=world.organisation.pk):
        assert AutomaticCampaign.objects.count() == 1
