"""Registering, confirming, changing, cancelling, waiting lists."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from inscriptions import services
from inscriptions.models import Registrant
from parcours.models import SessionRegistration, TeamMember, TeamRole, WorkshopRegistration
from tests.inscriptions.conftest import person


def choices(world, first=None, second=None):
    return {world.first.pk: first or world.stories_1, world.second.pk: second or world.other_2}


def test_a_registration_waits_for_its_confirmation_link(scoped):
    world = scoped
    (registrant,) = services.register(event=world.event, people=[_with(person(1), choices(world))])
    assert registrant.status == Registrant.Status.PENDING
    assert not SessionRegistration.objects.filter(session=world.session).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["personne1@exemple.fr"]
    assert "Confirmez votre inscription" in message.subject
    assert registrant.token in message.body


def _with(someone, workshops):
    someone.workshops = workshops
    return someone


def test_confirming_registers_to_the_session_and_workshops_with_an_ics(scoped):
    world = scoped
    (registrant,) = services.register(event=world.event, people=[_with(person(1), choices(world))])
    mail.outbox.clear()
    services.confirm(registrant=registrant)
    registrant.refresh_from_db()
    assert registrant.is_confirmed and registrant.user.email == "personne1@exemple.fr"
    registration = SessionRegistration.objects.get(session=world.session, user=registrant.user)
    assert registration.structure == "Commune 1"
    assert registration.function == "Directeur·rice général·e des services"
    assert set(
        WorkshopRegistration.objects.filter(user=registrant.user).values_list("workshop", flat=True)
    ) == {world.stories_1.pk, world.other_2.pk}
    confirmation = next(m for m in mail.outbox if "Inscription confirmée" in m.subject)
    (attachment,) = confirmation.attachments
    assert attachment.get_filename() == "inscription.ics"
    text = attachment.get_payload(decode=True).decode()
    assert text.count("BEGIN:VEVENT") == 3  # the day and two workshops
    assert "Histoires de territoire" in text
    assert registrant.token in confirmation.body
    # Clicking twice changes nothing.
    services.confirm(registrant=registrant)
    assert SessionRegistration.objects.filter(session=world.session).count() == 1


def test_a_collective_becomes_a_team_with_the_fonctions_as_roles(scoped):
    world = scoped
    people = [_with(person(n), choices(world)) for n in (1, 2, 3)]
    people[2].function = "Directeur·rice du CCAS"
    people[2].structure = "CCAS de Val"
    registrants = services.register(
        event=world.event,
        people=people,
        collective_name="Collectif du Val",
        territory=world.territory,
    )
    for registrant in registrants:
        services.confirm(registrant=registrant)
    members = TeamMember.objects.current().select_related("team", "role")
    assert {member.team.name for member in members} == {"Collectif du Val"}
    assert members[0].team.territory == world.territory
    assert {member.role.name for member in members} == {
        "Directeur·rice général·e des services",
        "Directeur·rice du CCAS",
    }
    assert "CCAS de Val" in {member.structure for member in members}
    assert TeamRole.objects.filter(
        programme=world.programme, name="Directeur·rice du CCAS"
    ).exists()


def test_the_same_email_twice_is_refused(scoped):
    world = scoped
    services.register(event=world.event, people=[_with(person(1), choices(world))])
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.register(event=world.event, people=[_with(person(1), choices(world))])
    twice = [_with(person(1), choices(world)), _with(person(1), choices(world))]
    with pytest.raises(ValidationError, match="deux fois"):
        services.register(event=world.event, people=twice)


def test_forged_and_foreign_workshops_and_the_same_workshop_twice_are_refused(scoped):
    world = scoped
    # A workshop of the second round offered for the first.
    with pytest.raises(ValidationError) as error:
        services.register(
            event=world.event,
            people=[
                _with(person(1), {world.first.pk: world.other_2, world.second.pk: world.other_2})
            ],
        )
    assert "Choisissez un atelier de ce temps." in str(error.value)
    # « Histoires de territoire » in both rounds.
    with pytest.raises(ValidationError, match="déjà choisi"):
        services.register(
            event=world.event,
            people=[
                _with(
                    person(1), {world.first.pk: world.stories_1, world.second.pk: world.stories_2}
                )
            ],
        )
    # A round missing.
    with pytest.raises(ValidationError, match="Choisissez un atelier pour"):
        services.register(
            event=world.event, people=[_with(person(1), {world.first.pk: world.stories_1})]
        )
    assert not Registrant.objects.exists()


def test_a_full_workshop_puts_the_person_on_its_waiting_list_and_a_cancellation_promotes(scoped):
    world = scoped
    first, second = (
        services.register(
            event=world.event, people=[_with(person(n), choices(world, world.full_1))]
        )[0]
        for n in (1, 2)
    )
    first = services.confirm(registrant=first)
    second = services.confirm(registrant=second)
    waiting = second.choices.get(round=world.first)
    assert waiting.is_waiting
    assert not WorkshopRegistration.objects.filter(workshop=world.full_1, user=second.user).exists()
    mail.outbox.clear()
    services.cancel(registrant=first)
    waiting.refresh_from_db()
    assert not waiting.is_waiting
    assert WorkshopRegistration.objects.filter(workshop=world.full_1, user=second.user).exists()
    assert any("Une place s'est libérée" in m.subject for m in mail.outbox)
    assert not SessionRegistration.objects.filter(user=first.user).exists()


def test_changing_workshops_frees_the_old_place_for_the_waiting_list(scoped):
    world = scoped
    first, second = (
        services.register(
            event=world.event, people=[_with(person(n), choices(world, world.full_1))]
        )[0]
        for n in (1, 2)
    )
    first = services.confirm(registrant=first)
    second = services.confirm(registrant=second)
    services.change_workshops(registrant=first, workshops=choices(world))
    assert WorkshopRegistration.objects.filter(workshop=world.full_1, user=second.user).exists()
    assert WorkshopRegistration.objects.filter(workshop=world.stories_1, user=first.user).exists()
    first.refresh_from_db()
    assert first.changed_at and not first.changed_late


def test_after_the_deadline_nobody_registers_or_changes_but_a_coordinator_does(scoped):
    world = scoped
    (registrant,) = services.register(event=world.event, people=[_with(person(1), choices(world))])
    services.confirm(registrant=registrant)
    world.event.deadline = timezone.now() - timedelta(minutes=1)
    world.event.save()
    with pytest.raises(ValidationError, match="closes"):
        services.register(event=world.event, people=[_with(person(2), choices(world))])
    with pytest.raises(ValidationError, match="date limite"):
        services.change_workshops(registrant=registrant, workshops=choices(world, world.full_1))
    services.change_workshops(
        registrant=registrant,
        workshops=choices(world, world.full_1),
        acting_user=world.coordinator,
        by_coordinator=True,
    )
    registrant.refresh_from_db()
    assert registrant.changed_late
    (late,) = services.register(
        event=world.event,
        people=[_with(person(3), choices(world))],
        acting_user=world.coordinator,
        confirm_now=True,
    )
    assert late.status == Registrant.Status.CONFIRMED


def test_a_full_event_closes(scoped):
    world = scoped
    world.event.capacity = 1
    world.event.save()
    (registrant,) = services.register(event=world.event, people=[_with(person(1), choices(world))])
    services.confirm(registrant=registrant)
    with pytest.raises(ValidationError, match="complet"):
        services.register(event=world.event, people=[_with(person(2), choices(world))])


def test_resending_the_link(scoped):
    world = scoped
    (registrant,) = services.register(event=world.event, people=[_with(person(1), choices(world))])
    mail.outbox.clear()
    assert services.resend_link(event=world.event, email="PERSONNE1@exemple.fr")
    assert registrant.token in mail.outbox[0].body
    assert not services.resend_link(event=world.event, email="inconnu@exemple.fr")


def test_a_message_to_one_workshop(scoped):
    world = scoped
    for n, workshop in ((1, world.full_1), (2, world.stories_1)):
        (registrant,) = services.register(
            event=world.event, people=[_with(person(n), choices(world, workshop))]
        )
        services.confirm(registrant=registrant)
    mail.outbox.clear()
    count = services.send_event_message(
        event=world.event,
        acting_user=world.coordinator,
        subject="Salle changée",
        body="Rendez-vous salle B.",
        workshop=world.full_1,
    )
    assert count == 1
    assert [m.to for m in mail.outbox] == [["personne1@exemple.fr"]]
