"""Evaluation's part of a copy (``parcours.programme_copied``): campaigns copied as
drafts re-dated with their session, automatic rules on the new kinds; no response."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from evaluation.models import AutomaticCampaign, Campaign, Response
from parcours import services
from parcours.models import Session
from tests.evaluation.test_results import respond
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    SessionFactory,
    build_programme,
    build_satisfaction_questionnaire,
)
from tests.parcours.manage.conftest import PARIS, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    with scopes_disabled():
        world = build_programme(start_date=date(2026, 6, 1), end_date=date(2028, 6, 30))
        world.coordinator = MembershipFactory(
            organisation=world.organisation, coordinator=True
        ).user
        world.session = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=paris(2027, 3, 10, 9, 30),
            ends_at=paris(2027, 3, 10, 12, 30),
        )
        q = build_satisfaction_questionnaire(organisation=world.organisation)
        world.q = q
        world.session_campaign = CampaignFactory(
            programme=world.programme,
            version=q.version,
            hot=True,
            audience="session",
            session=world.session,
            opens_at=paris(2027, 3, 10, 12, 30),
            closes_at=paris(2027, 3, 17, 12, 30),
        )
        world.cohort_campaign = CampaignFactory(
            programme=world.programme,
            version=q.version,
            audience="teams",
            teams=[world.teams[0]],
            opens_at=paris(2027, 6, 1, 9),
            closes_at=paris(2027, 6, 15, 9),
        )
        respond(world.session_campaign, {q.scale: 4}, respondent=world.coordinator)
        AutomaticCampaign.objects.create(
            organisation=world.organisation,
            programme=world.programme,
            session_kind=world.kind,
            questionnaire=q.questionnaire,
        )
    return world


def test_a_programme_copy_takes_its_campaigns_as_drafts_re_dated(built):
    with scopes_disabled():
        result = services.copy_programme(
            programme=built.programme,
            acting_user=built.coordinator,
            name="Copie",
            start_date=date(2029, 6, 1),
        )
        copies = {c.title: c for c in Campaign.objects.filter(programme=result.programme)}
        shift = (date(2029, 6, 1) - date(2026, 6, 1)).days
        session_copy = copies[built.session_campaign.title]
        new_session = Session.objects.get(programme=result.programme)
        assert session_copy.session == new_session
        assert session_copy.status == Campaign.Status.DRAFT and session_copy.version is None
        assert session_copy.opens_at.astimezone(PARIS).date() == date(2027, 3, 10) + timedelta(
            days=shift
        )
        assert session_copy.opens_at.astimezone(PARIS).hour == 12
        cohort_copy = copies[built.cohort_campaign.title]
        assert cohort_copy.audience == Campaign.Audience.COHORT
        assert not cohort_copy.teams.exists()
        assert not Response.objects.filter(campaign__programme=result.programme).exists()
        rule = AutomaticCampaign.objects.get(programme=result.programme)
        assert rule.session_kind.programme == result.programme


def test_a_session_duplicated_to_a_new_date_takes_only_its_campaigns(built):
    with scopes_disabled():
        before = Campaign.objects.count()
        copy = services.duplicate_session(
            session=built.session, acting_user=built.coordinator, new_date=date(2027, 4, 14)
        )
        [campaign] = Campaign.objects.filter(session=copy)
        assert Campaign.objects.count() == before + 1
        assert campaign.status == Campaign.Status.DRAFT
        assert campaign.opens_at.astimezone(PARIS).date() == date(2027, 4, 14)
        assert AutomaticCampaign.objects.count() == 1
        assert campaign.opens_at > timezone.now()
