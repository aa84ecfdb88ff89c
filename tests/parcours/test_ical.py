from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope
from icalendar import Calendar

from parcours import services
from parcours.models import CalendarFeed, Session
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    SessionFactory,
    SessionKindFactory,
    TeamMemberFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")
pytestmark = pytest.mark.django_db


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def coordinator_membership():
    return MembershipFactory(coordinator=True)


@pytest.fixture
def world(coordinator_membership):
    organisation = coordinator_membership.organisation
    with scope(organisation=organisation.pk):
        built = build_programme(
            organisation=organisation,
            teams=2,
            start_date=date(2026, 1, 1),
            end_date=date(2028, 6, 30),
        )
        built.coordinator = coordinator_membership.user
        built.member = built.teams[0].members.first().user
        built.other_member = built.teams[1].members.first().user
        yield built


def feed_url_for(user):
    return reverse("calendar_feed", kwargs={"token": services.calendar_feed_for(user).token})


def fetch_feed(client, user) -> Calendar:
    response = client.get(feed_url_for(user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(session: Session) -> str:
    return f"{session.uid}@sillon"


def test_feed_holds_exactly_the_sessions_the_person_is_expected_at(world):
    other_org = OrganisationFactory(name="Autre organisation")
    with scope(organisation=world.organisation.pk):
        cohort = SessionFactory(programme=world.programme, kind=world.kind, title="Formation J1")
        own = SessionFactory(
            programme=world.programme,
            kind=world.individual_kind,
            title="Accompagnement de mon équipe",
            audience=Session.Audience.TEAM,
            teams=[world.teams[0]],
        )
        foreign_team = SessionFactory(
            programme=world.programme,
            kind=world.individual_kind,
            title="Accompagnement d'une autre équipe",
            audience=Session.Audience.TEAM,
            teams=[world.teams[1]],
        )
        draft = SessionFactory(programme=ProgrammeFactory(organisation=world.organisation))
    with scope(organisation=other_org.pk):
        elsewhere = build_programme(organisation=other_org, teams=1)
        other_cohort = SessionFactory(programme=elsewhere.programme, kind=elsewhere.kind)
        # The same person is also in a team of the other organisation.
        TeamMemberFactory(team=elsewhere.teams[0], user=world.member)
        also_mine = SessionFactory(
            programme=elsewhere.programme,
            kind=elsewhere.individual_kind,
            audience=Session.Audience.TEAM,
            teams=[elsewhere.teams[0]],
            title="Séance dans l'autre organisation",
        )
        not_mine = SessionFactory(
            programme=elsewhere.programme,
            kind=elsewhere.individual_kind,
            audience=Session.Audience.TEAM,
            teams=[build_programme(organisation=other_org, teams=1).teams[0]],
        )

    calendar = fetch_feed(Client(), world.member)

    events = events_by_uid(calendar)
    assert uid(cohort) in events
    assert uid(own) in events
    assert uid(also_mine) in events
    # The member's cohort in the other organisation is expected at its cohort session.
    assert uid(other_cohort) in events
    assert uid(foreign_team) not in events
    assert uid(draft) not in events
    assert uid(not_mine) not in events
    assert str(calendar["PRODID"]) == "-//Sillon//Parcours//FR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "X-WR-CALNAME" in calendar
    event = events[uid(cohort)]
    assert str(event["SUMMARY"]) == "Formation J1"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "https://visio.exemple.fr/salle-sillon" in str(event["DESCRIPTION"])
    assert "Formation" in event.categories
    assert str(event["ORGANIZER"]) == f"mailto:{world.organisation.contact_email}"
    assert event["ORGANIZER"].params["CN"] == world.organisation.name
    assert str(event["URL"]).endswith(
        reverse(
            "parcours:session_detail",
            kwargs={"organisation_slug": world.organisation.slug, "session_id": cohort.pk},
        )
    )


def test_local_times_survive_the_october_2026_dst_change(world):
    with scope(organisation=world.organisation.pk):
        before = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=paris(2026, 10, 23, 9, 30),
            ends_at=paris(2026, 10, 23, 12, 30),
        )
        after = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=paris(2026, 10, 26, 9, 30),
            ends_at=paris(2026, 10, 26, 12, 30),
        )

    calendar = fetch_feed(Client(), world.member)

    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Paris"]
    assert timezones[0].walk("DAYLIGHT") and timezones[0].walk("STANDARD")
    events = events_by_uid(calendar)
    friday, monday = events[uid(before)], events[uid(after)]
    assert friday["DTSTART"].params["TZID"] == "Europe/Paris"
    assert b"DTSTART;TZID=Europe/Paris:20261023T093000" in friday.to_ical()
    assert b"DTSTART;TZID=Europe/Paris:20261026T093000" in monday.to_ical()
    assert friday.start.astimezone(PARIS).time().isoformat() == "09:30:00"
    assert monday.start.astimezone(PARIS).time().isoformat() == "09:30:00"
    assert friday.start.astimezone(UTC).time().isoformat() == "07:30:00"
    assert monday.start.astimezone(UTC).time().isoformat() == "08:30:00"
    # A client that only reads the VTIMEZONE (not the TZID name) gets the offsets right.
    described = timezones[0].to_tz(lookup_tzid=False)
    assert datetime(2026, 10, 23, 9, 30, tzinfo=described).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 10, 26, 9, 30, tzinfo=described).utcoffset() == timedelta(hours=1)


def test_all_day_sessions_are_dates_with_an_exclusive_end(world):
    with scope(organisation=world.organisation.pk):
        seminar = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            all_day=True,
            starts_at=paris(2026, 12, 9, 0, 0),
            ends_at=paris(2026, 12, 11, 0, 0),
        )

    event = events_by_uid(fetch_feed(Client(), world.member))[uid(seminar)]

    assert event.start == date(2026, 12, 9)
    assert event.end == date(2026, 12, 11)
    assert b"DTSTART;VALUE=DATE:20261209" in event.to_ical()


def test_a_moved_session_keeps_its_uid_and_increments_sequence(world):
    with scope(organisation=world.organisation.pk):
        session = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=paris(2027, 3, 4, 9, 30),
            ends_at=paris(2027, 3, 4, 12, 30),
        )
    client = Client()
    first = events_by_uid(fetch_feed(client, world.member))[uid(session)]
    assert first["SEQUENCE"] == 0

    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session,
            acting_user=world.coordinator,
            starts_at=paris(2027, 3, 11, 14, 0),
            ends_at=paris(2027, 3, 11, 17, 0),
        )

    moved = events_by_uid(fetch_feed(client, world.member))[uid(session)]
    assert moved["SEQUENCE"] == 1
    assert moved.start == paris(2027, 3, 11, 14, 0)


def test_a_non_significant_edit_keeps_the_sequence(world):
    with scope(organisation=world.organisation.pk):
        session = SessionFactory(programme=world.programme, kind=world.kind)
        services.update_session(
            session=session, acting_user=world.coordinator, objectives="Nouveaux objectifs"
        )

    event = events_by_uid(fetch_feed(Client(), world.member))[uid(session)]

    assert event["SEQUENCE"] == 0
    assert "Nouveaux objectifs" in str(event["DESCRIPTION"])


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(world):
    with scope(organisation=world.organisation.pk):
        session = SessionFactory(programme=world.programme, kind=world.kind, title="COPIL")
        services.cancel_session(
            session=session, acting_user=world.coordinator, reason="Salle indisponible"
        )

    event = events_by_uid(fetch_feed(Client(), world.member))[uid(session)]

    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "Salle indisponible" in str(event["DESCRIPTION"])


def test_a_tentative_session_is_marked_to_be_confirmed(world):
    with scope(organisation=world.organisation.pk):
        session = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            tentative=True,
            title="Formation J2",
            date_note="Options : 9-10 ou 10-11 décembre",
        )

    event = events_by_uid(fetch_feed(Client(), world.member))[uid(session)]

    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(event["SUMMARY"]) == "[À confirmer] Formation J2"
    assert "Options : 9-10 ou 10-11 décembre" in str(event["DESCRIPTION"])


def test_a_renewed_token_revokes_the_old_address(world):
    client = Client()
    old_url = feed_url_for(world.member)

    feed = services.renew_calendar_feed(user=world.member)

    assert client.get(old_url).status_code == 404
    new_url = reverse("calendar_feed", kwargs={"token": feed.token})
    assert client.get(new_url).status_code == 200
    assert client.get(reverse("calendar_feed", kwargs={"token": "inconnu"})).status_code == 404


def test_the_feed_runs_a_constant_number_of_queries(world):
    url = feed_url_for(world.member)

    def add_sessions(count):
        with scope(organisation=world.organisation.pk):
            for _ in range(count):
                SessionFactory(programme=world.programme, kind=world.kind, in_person=True)

    queries = assert_constant_queries(Client(), url, add_sessions, sizes=(5, 50))
    assert queries <= 3


def session_ics_url(session):
    return reverse(
        "parcours:session_ics",
        kwargs={"organisation_slug": session.organisation.slug, "session_id": session.pk},
    )


def test_session_download_for_an_expected_person_has_the_visio_link(world):
    with scope(organisation=world.organisation.pk):
        session = SessionFactory(
            programme=world.programme, kind=world.kind, title="Webinaire : la gouvernance"
        )
    client = Client()
    client.force_login(world.member)

    response = client.get(session_ics_url(session))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="webinaire-la-gouvernance.ics"'
    )
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == uid(session)
    assert "https://visio.exemple.fr/salle-sillon" in response.content.decode()


def test_session_download_hides_the_visio_link_from_a_person_not_expected(world):
    with scope(organisation=world.organisation.pk):
        elected = world.teams[0].members.get(role=world.roles[0]).user
        officers_only = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            expected_presence=Session.Presence.ONE_ROLE,
            expected_role=world.roles[1],
        )
    client = Client()
    client.force_login(elected)

    response = client.get(session_ics_url(officers_only))

    assert response.status_code == 200  # the whole cohort sees the session…
    assert "visio.exemple.fr" not in response.content.decode()  # …not its link
    assert "Visio" in str(Calendar.from_ical(response.content).walk("VEVENT")[0]["LOCATION"])


def test_session_download_is_404_for_strangers_and_other_teams(world):
    stranger = MembershipFactory(coordinator=True).user
    with scope(organisation=world.organisation.pk):
        individual = SessionFactory(
            programme=world.programme,
            kind=world.individual_kind,
            audience=Session.Audience.TEAM,
            teams=[world.teams[1]],
        )
    client = Client()
    client.force_login(stranger)
    assert client.get(session_ics_url(individual)).status_code == 404
    client.force_login(world.member)
    assert client.get(session_ics_url(individual)).status_code == 404


def test_feed_settings_page_creates_the_address_only_on_request(world, settings):
    settings.SITE_URL = "https://sillon.exemple.fr"
    client = Client()
    client.force_login(world.member)
    url = reverse("calendar_feed_settings")

    page = client.get(url)
    assert page.status_code == 200
    assert "Activer mon abonnement" in page.content.decode()
    assert not CalendarFeed.objects.filter(user=world.member).exists()

    client.post(url, {"action": "activate"})
    feed = CalendarFeed.objects.get(user=world.member)
    page = client.get(url).content.decode()
    assert f'href="webcal://sillon.exemple.fr/ical/{feed.token}.ics"' in page
    assert f'value="https://sillon.exemple.fr/ical/{feed.token}.ics"' in page
    assert "Google Agenda" in page and "Outlook" in page and "Apple Calendrier" in page

    client.post(url, {"action": "renew"})
    feed.refresh_from_db()
    assert feed.token not in page
    assert f"/ical/{feed.token}.ics" in client.get(url).content.decode()


def test_feed_settings_requires_login():
    response = Client().get(reverse("calendar_feed_settings"))
    assert response.status_code == 302


def test_session_download_of_another_kind_of_organisation_time_zone():
    organisation = OrganisationFactory(time_zone="Indian/Reunion")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    with scope(organisation=organisation.pk):
        programme = ProgrammeFactory(organisation=organisation, published=True)
        session = SessionFactory(
            programme=programme,
            kind=SessionKindFactory(programme=programme),
            starts_at=datetime(2027, 2, 3, 9, 0, tzinfo=ZoneInfo("Indian/Reunion")),
            ends_at=datetime(2027, 2, 3, 11, 0, tzinfo=ZoneInfo("Indian/Reunion")),
        )
    client = Client()
    client.force_login(coordinator)

    content = client.get(session_ics_url(session)).content

    assert b"DTSTART;TZID=Indian/Reunion:20270203T090000" in content
    assert [str(tz["TZID"]) for tz in Calendar.from_ical(content).walk("VTIMEZONE")] == [
        "Indian/Reunion"
    ]
