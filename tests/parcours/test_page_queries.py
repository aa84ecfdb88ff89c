"""Query bounds of the pages people open every day (issue 19): the session page, with
everything its panels show, and an organisation's home for a team member. Each is
requested with one share of data, then three: the count must not move and stays at or
under ``MAX_QUERIES_PER_PAGE``."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from parcours.models import SessionRegistration, TeamMember
from tests.factories import (
    AgendaItemFactory,
    CampaignFactory,
    DatePollFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    WorkshopFactory,
    WorkshopRegistrationFactory,
    _aware,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    organisation = OrganisationFactory(slug="hdf")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    trainer = MembershipFactory(organisation=organisation, trainer=True).user
    observer = MembershipFactory(organisation=organisation, observer=True).user
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=1)
        start = timezone.localdate() + timedelta(days=10)
        # Two days, a cohort audience, a poll, a campaign, an agenda with workshops.
        session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            starts_at=_aware(start, 9, 30),
            ends_at=_aware(start + timedelta(days=1), 17),
            facilitators=[trainer],
            tentative=True,
        )
        DatePollFactory(session=session)
        CampaignFactory(programme=parcours.programme, session=session)
        member = TeamMember.objects.filter(team=parcours.teams[0]).first().user
    return {
        "organisation": organisation,
        "parcours": parcours,
        "session": session,
        "coordinator": coordinator,
        "trainer": trainer,
        "observer": observer,
        "member": member,
    }


def _grow_session(world, count):
    """``count`` more of everything the session page lists or checks."""
    parcours, session = world["parcours"], world["session"]
    with scope(organisation=world["organisation"].pk):
        for _ in range(count):
            team = TeamFactory(cohort=parcours.cohort)
            for role in parcours.roles:
                TeamMemberFactory(team=team, role=role)
            session.facilitators.add(
                MembershipFactory(organisation=world["organisation"], trainer=True).user
            )
            SessionRegistration.objects.create(
                organisation=world["organisation"], session=session, user=UserFactory()
            )
            round_ = AgendaItemFactory(session=session, workshops=True, day=1)
            workshop = WorkshopFactory(round=round_)
            WorkshopRegistrationFactory(workshop=workshop, round=round_, user=UserFactory())
            CampaignFactory(programme=parcours.programme, session=session)


@pytest.mark.parametrize("who", ["coordinator", "trainer", "observer", "member"])
def test_session_page_queries_do_not_grow(client, world, who):
    client.force_login(world[who])
    url = reverse("parcours:session_detail", args=["hdf", world["session"].pk])
    assert_constant_queries(client, url, lambda count: _grow_session(world, count), sizes=(1, 3))


def test_session_page_knows_who_is_expected(client, world):
    """What the page computes from the rows it loads once (facilitators, the teams'
    members, registrations) says the same as ``selectors.is_expected``."""
    session = world["session"]
    url = reverse("parcours:session_detail", args=["hdf", session.pk])
    for who in ("trainer", "member"):
        client.force_login(world[who])
        assert client.get(url).context["expected"] is True
    client.force_login(world["observer"])
    assert client.get(url).context["expected"] is False
    with scope(organisation=world["organisation"].pk):
        SessionRegistration.objects.create(
            organisation=world["organisation"], session=session, user=world["observer"]
        )
    assert client.get(url).context["expected"] is True


def test_team_member_home_queries_do_not_grow(client, world):
    """The upcoming sessions of the home page are written in the organisation's time
    zone without reading the organisation once per session."""
    parcours = world["parcours"]
    client.force_login(world["member"])

    def add_sessions(count):
        with scope(organisation=world["organisation"].pk):
            for index in range(count):
                day = timezone.localdate() + timedelta(days=3 + index)
                SessionFactory(
                    programme=parcours.programme,
                    kind=parcours.kind,
                    starts_at=_aware(day, 9, 30),
                    ends_at=_aware(day, 12, 30),
                )

    assert_constant_queries(
        client, reverse("organisations:home", args=["hdf"]), add_sessions, sizes=(1, 3)
    )
