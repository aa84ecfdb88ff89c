"""Speakers linked to people: a trainer or an outside speaker (an account found or made
without a password) on an agenda item; each gets their own items in their convocation
and .ics (the items' times, « toute la journée » as a DATE), and no « Je m'inscris »."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from accounts.models import User
from notifications.models import OutboxMessage
from notifications.scan import scan
from parcours import services
from parcours.models import AgendaItem, Programme, Session
from parcours.reminders import SessionReminderRule
from parcours.services.speakers import set_item_speakers
from tests.factories import AgendaItemFactory, MembershipFactory, UserFactory
from tests.parcours.manage import conftest as manage
from tests.parcours.manage.conftest import url
from tests.parcours.test_notices import attached_calendar, make_world, new_session

pytestmark = pytest.mark.django_db
coordinator_client = manage.coordinator_client  # the manage tests' fixture
world = manage.world  # the manage tests' fixture

ITEM = {
    "day": "1",
    "start_time": "10:00",
    "end_time": "11:00",
    "kind": "plenary",
    "title": "Retour d'expérience",
    "description": "",
    "speakers": "",
    "room": "",
}


def test_a_trainer_and_an_outside_speaker_are_linked_from_the_form(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:agenda_edit", world, session_id=world.session.pk),
        {
            **ITEM,
            "speaker_people": [world.trainer.pk],
            "outside_name": "Alix Durand",
            "outside_email": "alix.durand@exemple.fr",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        item = AgendaItem.objects.get(title="Retour d'expérience")
        outside = User.objects.get(email="alix.durand@exemple.fr")
        assert set(item.speaker_people.all()) == {world.trainer, outside}
    assert not outside.has_usable_password()
    assert (outside.first_name, outside.last_name) == ("Alix", "Durand")
    page = coordinator_client.get(
        url("parcours:session_detail", world, session_id=world.session.pk)
    ).content.decode()
    assert "Alix Durand" in page


def test_an_outside_name_without_e_mail_is_refused_and_nothing_saved(coordinator_client, world):
    response = coordinator_client.post(
        url("parcours:agenda_edit", world, session_id=world.session.pk),
        {**ITEM, "outside_name": "Alix Durand"},
    )
    assert response.context["form"].errors["outside_email"] == [
        "Indiquez l'adresse e-mail de l'intervenant·e."
    ]
    with scopes_disabled():
        assert not AgendaItem.objects.filter(title="Retour d'expérience").exists()


def test_a_stranger_cannot_be_linked_as_a_trainer(world):
    with scopes_disabled():
        item = AgendaItemFactory(session=world.session)
        stranger = MembershipFactory(organisation=world.organisation, observer=True).user
        with pytest.raises(ValidationError) as error:
            set_item_speakers(item=item, people=[stranger], acting_user=world.coordinator)
    assert "speaker_people" in error.value.message_dict


def test_a_speaker_is_not_offered_to_register_and_is_refused(client, world):
    with scopes_disabled():
        world.session.audience = Session.Audience.OPEN
        world.session.save()
        world.programme.status = Programme.Status.PUBLISHED
        world.programme.save()
        item = AgendaItemFactory(session=world.session)
        speaker = MembershipFactory(organisation=world.organisation, trainer=True).user
        set_item_speakers(item=item, people=[speaker], acting_user=world.coordinator)
    client.force_login(speaker)
    response = client.get(url("parcours:session_detail", world, session_id=world.session.pk))
    assert response.context["can_register"] is False
    assert "pas besoin de vous inscrire" in response.content.decode()
    with scopes_disabled(), pytest.raises(ValidationError):
        services.register_to_session(session=world.session, user=speaker)


def test_the_speakers_ics_holds_their_items_at_their_times(client, world):
    with scopes_disabled():
        world.programme.status = Programme.Status.PUBLISHED
        world.programme.save()
        talk = AgendaItemFactory(session=world.session, start_time="10:00", end_time="10:45")
        stand = AgendaItem.objects.create(
            organisation=world.organisation,
            session=world.session,
            all_day=True,
            title="Stand",
        )
        speaker = MembershipFactory(organisation=world.organisation, trainer=True).user
        for item in (talk, stand):
            set_item_speakers(item=item, people=[speaker], acting_user=world.coordinator)
    client.force_login(speaker)
    response = client.get(url("parcours:session_ics", world, session_id=world.session.pk))
    events = {
        str(e["SUMMARY"]).split(" — ")[0]: e
        for e in Calendar.from_ical(response.content).walk("VEVENT")
    }
    start = events[talk.title].decoded("DTSTART")
    assert isinstance(start, datetime) and (start.hour, start.minute) == (10, 0)
    assert events[talk.title].decoded("DTEND").minute == 45
    assert events["Stand"].decoded("DTSTART") == date(2027, 3, 10)
    assert not isinstance(events["Stand"].decoded("DTSTART"), datetime)


def test_a_linked_outside_speaker_is_convened_with_their_items(mailoutbox):
    world = make_world(published=True)
    session = new_session(world, title="Séminaire")
    mailoutbox.clear()
    with scope(organisation=world.organisation.pk):
        item = AgendaItemFactory(
            session=session, start_time="10:00", end_time="11:00", title="Table ronde"
        )
        UserFactory(email="alix.durand@exemple.fr")  # an account found, not made again
        set_item_speakers(
            item=item,
            people=[],
            acting_user=world.coordinator,
            outside_email="alix.durand@exemple.fr",
        )
    (message,) = mailoutbox
    assert message.to == ["alix.durand@exemple.fr"]
    assert "Vos interventions" in message.body
    assert "10 h – 11 h — Table ronde" in message.body
    assert "Vous intervenez à cette séance." in message.body
    (event,) = attached_calendar(message).walk("VEVENT")
    assert event.decoded("DTSTART").hour == 10


def test_the_session_ics_of_someone_else_is_the_whole_session(client, world):
    client.force_login(world.coordinator)
    response = client.get(url("parcours:session_ics", world, session_id=world.session.pk))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART").hour == 9


def test_a_linked_speaker_gets_the_j7_and_j1_reminders_with_their_items(mailoutbox):
    world = make_world(published=True)
    session = new_session(world, title="Séminaire")
    with scope(organisation=world.organisation.pk):
        item = AgendaItemFactory(
            session=session, start_time="10:00", end_time="11:00", title="Table ronde"
        )
        set_item_speakers(
            item=item,
            people=[],
            acting_user=world.coordinator,
            outside_email="alix.durand@exemple.fr",
        )
    zone = ZoneInfo("Europe/Paris")
    for offset in (7, 1):
        due = SessionReminderRule.due_at(session.starts_at, offset, zone)
        for later in (timedelta(minutes=5), timedelta(hours=2)):  # scanned twice: once
            with time_machine.travel(due + later, tick=False):
                scan()
        with scopes_disabled():
            sent = OutboxMessage.objects.filter(
                kind="session.reminder", to_email="alix.durand@exemple.fr"
            )
            assert sent.count() == (1 if offset == 7 else 2)
            text = sent.order_by("-pk").first().body_text
        assert "Vos interventions :" in text
        assert "10 h – 11 h — Table ronde" in text
        # The other people expected are reminded without the speaker's items.
        with scopes_disabled():
            others = OutboxMessage.objects.filter(kind="session.reminder").exclude(
                to_email="alix.durand@exemple.fr"
            )
            assert others.exists()
            assert all("Table ronde" not in message.body_text for message in others)
