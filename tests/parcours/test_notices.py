"""Convocations, change and cancellation notices, and the calendar sent on publication
(Celery runs eagerly and on-commit callbacks run in tests, see tests/conftest.py)."""

from datetime import date, datetime
from email.message import MIMEPart
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scope
from icalendar import Calendar

from parcours import services, tasks
from parcours.models import Session
from tests.factories import MembershipFactory, build_programme

PARIS = ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def make_world(*, published: bool):
    coordinator = MembershipFactory(coordinator=True)
    organisation = coordinator.organisation
    trainer = MembershipFactory(
        organisation=organisation, trainer=True, user__first_name="Camille"
    ).user
    with scope(organisation=organisation.pk):
        world = build_programme(
            organisation=organisation,
            teams=2,
            published=published,
            name="Gouvernance des PAT",
            start_date=date(2026, 6, 1),
            end_date=date(2028, 6, 30),
        )
        world.coordinator = coordinator.user
        world.trainer = trainer
        world.members = {
            team.pk: {member.role.name: member.user for member in team.members.all()}
            for team in world.teams
        }
    return world


@pytest.fixture
def world():
    return make_world(published=True)


@pytest.fixture
def draft_world():
    return make_world(published=False)


def all_members(world):
    return {user for team in world.members.values() for user in team.values()}


def new_session(world, **fields):
    values = {
        "title": "Formation J1",
        "kind": world.kind,
        "format": "visio",
        "visio_url": "https://visio.exemple.fr/formation",
        "starts_at": paris(2027, 3, 4, 9, 30),
        "ends_at": paris(2027, 3, 4, 12, 30),
        "objectives": "Construire une culture commune.",
    }
    values.update(fields)
    facilitators = values.pop("facilitators", [world.trainer])
    teams = values.pop("teams", [])
    with scope(organisation=world.organisation.pk):
        return services.create_session(
            programme=world.programme,
            acting_user=world.coordinator,
            facilitators=facilitators,
            teams=teams,
            **values,
        )


def calendar_parts(message) -> list[MIMEPart]:
    return [part for part in message.attachments if isinstance(part, MIMEPart)]


def attached_calendar(message) -> Calendar:
    (part,) = calendar_parts(message)
    assert part.get_content_type() == "text/calendar"
    return Calendar.from_ical(part.get_content())


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_publishing_sends_each_participant_one_calendar(draft_world, mailoutbox):
    world = draft_world
    with scope(organisation=world.organisation.pk):
        team, other_team = world.teams
        officer_role = world.roles[1]
    cohort = new_session(world, title="Lancement du parcours")
    own = new_session(
        world,
        title="Accompagnement individuel n°1",
        kind=world.individual_kind,
        audience=Session.Audience.TEAM,
        teams=[team],
        starts_at=paris(2027, 4, 1, 14, 0),
        ends_at=paris(2027, 4, 1, 16, 0),
    )
    officers = new_session(
        world,
        title="Groupe de travail des chargé·es de mission",
        expected_presence=Session.Presence.ONE_ROLE,
        expected_role=officer_role,
        starts_at=paris(2027, 5, 6, 9, 30),
        ends_at=paris(2027, 5, 6, 12, 30),
    )
    to_confirm = new_session(
        world,
        title="Formation J2",
        status=Session.Status.TENTATIVE,
        date_note="Options : 9-10 ou 10-11 décembre",
        starts_at=paris(2027, 12, 9, 9, 30),
        ends_at=paris(2027, 12, 9, 17, 0),
    )
    assert mailoutbox == []  # a draft programme convenes nobody

    with scope(organisation=world.organisation.pk):
        services.publish_programme(programme=world.programme, acting_user=world.coordinator)

    expected_people = all_members(world) | {world.trainer}
    assert recipients(mailoutbox) == sorted(person.email for person in expected_people)
    by_recipient = {message.to[0]: message for message in mailoutbox}
    elected = world.members[team.pk]["Élu·e référent·e"]
    message = by_recipient[elected.email]
    assert message.subject == "Votre calendrier du parcours Gouvernance des PAT"
    calendar = attached_calendar(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert uids == {f"{cohort.uid}@sillon", f"{own.uid}@sillon"}
    assert "Formation J2" in message.body  # listed as "à confirmer", not in the .ics
    assert "Dates à confirmer" in html_of(message)
    officer = world.members[other_team.pk]["Chargé·e de mission"]
    uids = {
        str(event["UID"]) for event in attached_calendar(by_recipient[officer.email]).walk("VEVENT")
    }
    assert uids == {f"{cohort.uid}@sillon", f"{officers.uid}@sillon"}
    assert str(own.uid) not in by_recipient[officer.email].body
    trainer_calendar = attached_calendar(by_recipient[world.trainer.email])
    assert len(trainer_calendar.walk("VEVENT")) == 3
    assert f"{to_confirm.uid}@sillon" not in {
        str(event["UID"]) for event in trainer_calendar.walk("VEVENT")
    }
    html = html_of(message)
    assert world.organisation.name in html
    assert world.organisation.brand_colour in html
    assert "Bonjour" in message.body and "Bonjour" in html


def test_a_new_session_convenes_exactly_the_expected_people(world, mailoutbox):
    with scope(organisation=world.organisation.pk):
        team, other_team = world.teams
        officer_role = world.roles[1]

    session = new_session(
        world,
        title="Atelier des chargé·es de mission",
        audience=Session.Audience.TEAMS,
        teams=[team],
        expected_presence=Session.Presence.ONE_ROLE,
        expected_role=officer_role,
    )

    officer = world.members[team.pk]["Chargé·e de mission"]
    assert recipients(mailoutbox) == sorted([officer.email, world.trainer.email])
    assert world.members[other_team.pk]["Chargé·e de mission"].email not in recipients(mailoutbox)
    by_recipient = {message.to[0]: message for message in mailoutbox}
    message = by_recipient[officer.email]
    assert message.subject == "Convocation : Atelier des chargé·es de mission — jeudi 4 mars 2027"
    assert "jeudi 4 mars 2027, 9 h 30 – 12 h 30" in message.body
    assert "https://visio.exemple.fr/formation" in message.body
    assert "Présence attendue : Chargé·e de mission." in message.body
    assert "Construire une culture commune." in message.body
    assert f"/seances/{session.pk}/" in message.body
    assert "https://visio.exemple.fr/formation" in html_of(message)
    assert "Vous intervenez à cette séance." in by_recipient[world.trainer.email].body
    (part,) = calendar_parts(message)
    assert part.get_param("method") == "REQUEST"
    assert b"BEGIN:VCALENDAR\r\n" in part.get_payload(decode=True)  # RFC 5545 line ends
    event = attached_calendar(message).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{session.uid}@sillon"
    assert event["SEQUENCE"] == 0
    assert str(event["ATTENDEE"]) == f"mailto:{officer.email}"


def test_moving_a_session_sends_one_change_notice_per_person(world, mailoutbox):
    session = new_session(world, format="presentiel", visio_url="", place="Hôtel de Région, Lille")
    mailoutbox.clear()

    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session,
            acting_user=world.coordinator,
            starts_at=paris(2027, 3, 11, 14, 0),
            ends_at=paris(2027, 3, 11, 17, 0),
            place="Maison de l'agriculture, Arras",
        )

    expected_people = all_members(world) | {world.trainer}
    assert recipients(mailoutbox) == sorted(person.email for person in expected_people)
    message = mailoutbox[0]
    assert message.subject == "Changement : Formation J1"
    assert "jeudi 4 mars 2027, 9 h 30 – 12 h 30" in message.body
    assert "jeudi 11 mars 2027, 14 h – 17 h" in message.body
    assert "Hôtel de Région, Lille" in message.body
    assert "Maison de l'agriculture, Arras" in message.body
    assert "Avant" in html_of(message) and "Désormais" in html_of(message)
    event = attached_calendar(message).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{session.uid}@sillon"
    assert event["SEQUENCE"] == 1
    assert event.start == paris(2027, 3, 11, 14, 0)


def test_switching_to_visio_names_the_new_format_and_link(world, mailoutbox):
    session = new_session(world, format="presentiel", visio_url="", place="Hôtel de Région, Lille")
    mailoutbox.clear()

    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session,
            acting_user=world.coordinator,
            format="visio",
            place="",
            visio_url="https://visio.exemple.fr/nouvelle-salle",
        )

    body = mailoutbox[0].body
    assert "Format :" in body and "Présentiel" in body and "Visio" in body
    assert "https://visio.exemple.fr/nouvelle-salle" in body


def test_editing_objectives_sends_nothing(world, mailoutbox):
    session = new_session(world)
    mailoutbox.clear()

    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session, acting_user=world.coordinator, objectives="D'autres objectifs."
        )

    assert mailoutbox == []


def test_cancelling_sends_a_cancellation_with_the_cancelled_event(world, mailoutbox):
    session = new_session(world)
    mailoutbox.clear()

    with scope(organisation=world.organisation.pk):
        services.cancel_session(
            session=session, acting_user=world.coordinator, reason="Intervenante malade"
        )

    assert len(mailoutbox) == len(all_members(world)) + 1
    message = mailoutbox[0]
    assert message.subject == "Annulation : Formation J1"
    assert "Intervenante malade" in message.body
    assert "est annulée" in html_of(message)
    (part,) = calendar_parts(message)
    assert part.get_param("method") == "CANCEL"
    calendar = attached_calendar(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_confirming_a_tentative_session_sends_the_convocations(world, mailoutbox):
    session = new_session(world, status=Session.Status.TENTATIVE)
    assert mailoutbox == []

    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session, acting_user=world.coordinator, status=Session.Status.SCHEDULED
        )

    assert len(mailoutbox) == len(all_members(world)) + 1
    assert all(message.subject.startswith("Convocation : ") for message in mailoutbox)
    event = attached_calendar(mailoutbox[0]).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_sessions_of_a_draft_programme_send_nothing(draft_world, mailoutbox):
    session = new_session(draft_world)
    with scope(organisation=draft_world.organisation.pk):
        services.update_session(
            session=session,
            acting_user=draft_world.coordinator,
            starts_at=paris(2027, 3, 11, 9, 30),
            ends_at=paris(2027, 3, 11, 12, 30),
        )
        services.cancel_session(session=session, acting_user=draft_world.coordinator)

    assert mailoutbox == []


def test_a_convocation_for_a_session_cancelled_since_is_not_sent(world, mailoutbox):
    session = new_session(world)
    with scope(organisation=world.organisation.pk):
        services.cancel_session(session=session, acting_user=world.coordinator)
    mailoutbox.clear()

    sent = tasks.send_session_notices.delay(
        world.organisation.pk, session.pk, "convocation", sequence=0, details={}
    ).get()

    assert sent == 0
    assert mailoutbox == []


def test_a_stale_change_notice_is_still_sent_with_the_current_sequence(world, mailoutbox):
    session = new_session(world)
    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session,
            acting_user=world.coordinator,
            starts_at=paris(2027, 3, 11, 9, 30),
            ends_at=paris(2027, 3, 11, 12, 30),
        )
        services.update_session(
            session=session,
            acting_user=world.coordinator,
            starts_at=paris(2027, 3, 18, 9, 30),
            ends_at=paris(2027, 3, 18, 12, 30),
        )
    mailoutbox.clear()

    tasks.send_session_notices.delay(
        world.organisation.pk,
        session.pk,
        "change",
        sequence=1,
        details={
            "changed": ["starts_at", "ends_at"],
            "previous": {
                "starts_at": paris(2027, 3, 4, 9, 30).isoformat(),
                "ends_at": paris(2027, 3, 4, 12, 30).isoformat(),
                "all_day": False,
            },
        },
    )

    assert len(mailoutbox) == len(all_members(world)) + 1
    event = attached_calendar(mailoutbox[0]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 2
