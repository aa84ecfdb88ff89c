"""Internal sessions (comité pédagogique…): for coordinators and trainers only, never
seen by team members or observers, never in their calendars or feeds."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from parcours import services
from parcours.models import Session
from parcours.selectors import expected_participants
from tests.factories import MembershipFactory, OrganisationFactory, _aware, build_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    organisation = OrganisationFactory(slug="hdf")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    trainer = MembershipFactory(organisation=organisation, trainer=True).user
    observer = MembershipFactory(organisation=organisation, observer=True).user
    day = timezone.localdate() + timedelta(days=15)
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=1)
        with scopes_disabled():
            member = parcours.teams[0].members.first().user
        internal = services.create_session(
            programme=parcours.programme,
            acting_user=coordinator,
            kind=parcours.kind,
            title="Comité pédagogique",
            format="visio",
            visio_url="https://visio.exemple.fr/copeda",
            starts_at=_aware(day, 14),
            ends_at=_aware(day, 16),
            audience=Session.Audience.INTERNAL,
            facilitators=[trainer],
        )
    return {
        "organisation": organisation,
        "coordinator": coordinator,
        "trainer": trainer,
        "observer": observer,
        "member": member,
        "parcours": parcours,
        "internal": internal,
    }


def _detail(world):
    return reverse(
        "parcours:session_detail", args=[world["organisation"].slug, world["internal"].pk]
    )


def _timeline(world):
    return reverse(
        "parcours:timeline", args=[world["organisation"].slug, world["parcours"].programme.pk]
    )


@pytest.mark.parametrize("who", ["coordinator", "trainer"])
def test_staff_see_an_internal_session(client, world, who):
    client.force_login(world[who])
    page = client.get(_detail(world))
    assert page.status_code == 200
    assert "Interne (équipe d&#x27;animation)" in page.content.decode()
    assert "Comité pédagogique" in client.get(_timeline(world)).content.decode()


@pytest.mark.parametrize("who", ["member", "observer"])
def test_team_members_and_observers_never_see_it(client, world, who):
    client.force_login(world[who])
    assert client.get(_detail(world)).status_code == 404
    assert "Comité pédagogique" not in client.get(_timeline(world)).content.decode()


def test_it_is_in_no_team_member_feed_or_convocation(client, world):
    with scope(organisation=world["organisation"].pk):
        expected = set(expected_participants(world["internal"]))
        member_feed = services.calendar_feed_for(world["member"])
        trainer_feed = services.calendar_feed_for(world["trainer"])
    assert expected == {world["trainer"]}

    def titles(feed):
        content = client.get(reverse("calendar_feed", args=[feed.token])).content
        return [str(event["summary"]) for event in Calendar.from_ical(content).walk("VEVENT")]

    assert "Comité pédagogique" not in titles(member_feed)
    assert "Comité pédagogique" in titles(trainer_feed)
    client.force_login(world["member"])
    assert "Comité pédagogique" not in client.get(reverse("my_calendar")).content.decode()
