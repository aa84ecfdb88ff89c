"""Convocations, change and cancellation notices, and the calendar sent on publication:
the parcours services write them to the outbox (``parcours.notices``) in their
transaction (Celery runs eagerly and on-commit callbacks run in tests, see
tests/conftest.py, so the outbox is delivered to ``mailoutbox``)."""

from datetime import date, datetime
from email.message import MIMEPart
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from notifications import services as notification_services
from notifications.models import Category, Channel, Notification, OutboxMessage
from parcours import notices, services
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
    assert "ne peuvent pas être désactivés" not in message.body
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
    assert "ne peuvent pas être désactivés" in message.body  # the footer says why
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


def announce(session, notice, details=None):
    with scope(organisation=session.organisation_id):
        notices.send_session_notice(session, notice, details or {})


def test_a_convocation_for_a_session_cancelled_since_is_not_sent(world, mailoutbox):
    session = new_session(world)
    with scope(organisation=world.organisation.pk):
        services.cancel_session(session=session, acting_user=world.coordinator)
    mailoutbox.clear()
    with scopes_disabled():
        written = OutboxMessage.objects.count()

    announce(session, "convocation")
    announce(session, "change", {"changed": ["place"], "previous": {"place": "Lille"}})

    assert mailoutbox == []
    with scopes_disabled():
        assert OutboxMessage.objects.count() == written


def test_a_session_already_over_gets_no_notice(world, mailoutbox):
    with time_machine.travel(paris(2027, 3, 1, 12, 0), tick=False):
        session = new_session(world)
    mailoutbox.clear()

    with (
        time_machine.travel(paris(2027, 3, 4, 13, 0), tick=False),
        scope(organisation=world.organisation.pk),
    ):
        services.update_session(
            session=session, acting_user=world.coordinator, place="Arras", format="hybride"
        )
        services.cancel_session(session=session, acting_user=world.coordinator)

    assert mailoutbox == []


def test_a_notice_carries_the_current_sequence(world, mailoutbox):
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
    # Exactly one change notice per person per change, each with its own SEQUENCE.
    people = len(all_members(world)) + 1
    changes = [m for m in mailoutbox if m.subject.startswith("Changement")]
    assert len(changes) == 2 * people
    assert sorted(attached_calendar(m).walk("VEVENT")[0]["SEQUENCE"] for m in changes) == (
        [1] * people + [2] * people
    )
    mailoutbox.clear()

    # An announcement made with an older ``session`` object reads the session as it is.
    session.sequence = 1
    announce(
        session,
        "change",
        {
            "changed": ["starts_at", "ends_at"],
            "previous": {
                "starts_at": paris(2027, 3, 4, 9, 30).isoformat(),
                "ends_at": paris(2027, 3, 4, 12, 30).isoformat(),
                "all_day": False,
            },
        },
    )

    assert len(mailoutbox) == people
    event = attached_calendar(mailoutbox[0]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 2


# --- The outbox ----------------------------------------------------------------------


def test_notices_are_outbox_rows_and_in_app_notifications(world, mailoutbox):
    session = new_session(world)

    people = all_members(world) | {world.trainer}
    with scopes_disabled():
        messages = list(OutboxMessage.objects.filter(organisation=world.organisation))
        notifications = list(Notification.objects.filter(organisation=world.organisation))
    assert sorted(m.to_email for m in messages) == sorted(p.email for p in people)
    path = f"/{world.organisation.slug}/seances/{session.pk}/"
    for message in messages:
        assert message.kind == "session.convocation"
        assert message.category == Category.CONVOCATIONS
        assert message.status == OutboxMessage.Status.SENT
        assert message.url == path
        (attachment,) = message.attachments
        assert attachment["filename"] == "invitation.ics"
        assert attachment["mimetype"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert sorted(n.user_id for n in notifications) == sorted(p.pk for p in people)
    assert {(n.kind, n.url, n.read_at) for n in notifications} == {
        ("session.convocation", path, None)
    }
    assert notifications[0].title.startswith("Convocation : Formation J1")


def test_notices_are_written_in_the_services_transaction(world, mailoutbox):
    session = new_session(world)
    mailoutbox.clear()
    with scopes_disabled():
        before = OutboxMessage.objects.count(), Notification.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        with scope(organisation=world.organisation.pk):
            services.cancel_session(session=session, acting_user=world.coordinator)
            new_session(world, title="Formation J2")
            with scopes_disabled():  # written, not yet committed
                assert OutboxMessage.objects.count() > before[0]
        raise RuntimeError("the page fails after the services")

    with scopes_disabled():
        assert (OutboxMessage.objects.count(), Notification.objects.count()) == before
        assert not Session.objects.filter(title="Formation J2").exists()
    assert mailoutbox == []


def test_convocations_follow_the_preference_but_changes_and_cancellations_do_not(world, mailoutbox):
    with scope(organisation=world.organisation.pk):
        team = world.teams[0]
    quiet = world.members[team.pk]["Élu·e référent·e"]
    notification_services.set_preference(
        user=quiet, category=Category.CONVOCATIONS, channel=Channel.OFF
    )

    session = new_session(world)
    assert quiet.email not in recipients(mailoutbox)
    with scope(organisation=world.organisation.pk):
        services.update_session(
            session=session,
            acting_user=world.coordinator,
            format="presentiel",
            visio_url="",
            place="Arras",
        )
        services.cancel_session(session=session, acting_user=world.coordinator)

    subjects = sorted(m.subject for m in mailoutbox if m.to == [quiet.email])
    assert subjects == ["Annulation : Formation J1", "Changement : Formation J1"]
    with scope(organisation=world.organisation.pk):
        kinds = sorted(Notification.objects.filter(user=quiet).values_list("kind", flat=True))
    assert kinds == ["session.cancellation", "session.change"]


def test_a_person_without_an_e_mail_address_is_told_in_the_app(world, mailoutbox):
    with scope(organisation=world.organisation.pk):
        team = world.teams[0]
    person = world.members[team.pk]["Élu·e référent·e"]
    person.email = ""
    person.save(update_fields=["email"])

    session = new_session(world)

    assert len(mailoutbox) == len(all_members(world))  # the others and the trainer
    with scope(organisation=world.organisation.pk):
        notification = Notification.objects.get(user=person)
        assert not OutboxMessage.objects.filter(recipient=person).exists()
    assert notification.kind == "session.convocation"
    assert notification.url.endswith(f"/seances/{session.pk}/")


def test_publishing_writes_one_calendar_message_per_person(draft_world, mailoutbox):
    new_session(draft_world)
    new_session(
        draft_world,
        title="Formation J2",
        starts_at=paris(2027, 4, 1, 9, 30),
        ends_at=paris(2027, 4, 1, 12, 30),
    )

    with scope(organisation=draft_world.organisation.pk):
        services.publish_programme(
            programme=draft_world.programme, acting_user=draft_world.coordinator
        )
        messages = list(OutboxMessage.objects.all())
    people = all_members(draft_world) | {draft_world.trainer}
    assert sorted(m.to_email for m in messages) == sorted(p.email for p in people)
    assert {m.kind for m in messages} == {"programme.calendar"}
    assert {m.url for m in messages} == {
        f"/{draft_world.organisation.slug}/programmes/{draft_world.programme.pk}/"
    }
    assert {a["filename"] for m in messages for a in m.attachments} == {"calendrier.ics"}


def test_publishing_without_notice_sends_nothing(draft_world, mailoutbox):
    new_session(draft_world)

    with scope(organisation=draft_world.organisation.pk):
        services.publish_programme(
            programme=draft_world.programme, acting_user=draft_world.coordinator, notify=False
        )
        assert not OutboxMessage.objects.exists()
        assert not Notification.objects.exists()
    assert mailoutbox == []
