"""The session's own page, signed in: an open session with a published event is
registered to through the event (its workshops, places, waiting lists, confirmation),
never around it; a session without one keeps « Je m'inscris »; each person counts once,
whichever way they registered."""

import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import strip_tags
from django_scopes import scope, scopes_disabled

from inscriptions import services
from inscriptions.models import Registrant
from parcours import services as parcours
from parcours.models import SessionRegistration, WorkshopRegistration
from tests.factories import TeamMemberFactory
from tests.inscriptions.conftest import person
from tests.inscriptions.test_manage import client_for, manage_url


@pytest.fixture
def member(world):
    """A participant of the programme: they see its open sessions."""
    with scopes_disabled():
        return TeamMemberFactory(team__cohort=world.cohort).user


def session_url(world, name="session_detail"):
    return reverse(f"parcours:{name}", args=[world.organisation.slug, world.session.pk])


def event_url(world, name, *args):
    return reverse(f"inscriptions:{name}", args=[world.organisation.slug, world.event.slug, *args])


def page(client, world) -> str:
    return html.unescape(client.get(session_url(world)).content.decode())


def register_as(world, user, first, second, confirm=True) -> Registrant:
    someone = person(1)
    someone.email = user.email
    someone.workshops = {world.first.pk: first, world.second.pk: second}
    with scope(organisation=world.organisation.pk):
        (registrant,) = services.register(event=world.event, people=[someone])
        if confirm:
            registrant = services.confirm(registrant=registrant)
    return registrant


def test_a_member_sees_the_event_and_their_status(world, member):
    client = client_for(member)
    body = page(client, world)
    assert "Je m'inscris" not in body
    assert event_url(world, "register") in body and "Inscription en ligne jusqu'au" in body
    assert "inscrites · 50 places restantes" in body

    registrant = register_as(world, member, world.stories_1, world.other_2, confirm=False)
    body = page(client, world)
    assert "Votre inscription est à confirmer." in body and member.email in body
    assert event_url(world, "resend") in body

    # Someone else takes the only place of « Atelier complet »; the member asks for it.
    register_as(
        world, TeamMemberFactory(team__cohort=world.cohort).user, world.full_1, world.other_2
    )
    with scope(organisation=world.organisation.pk):
        services.confirm(registrant=registrant)
        services.change_workshops(
            registrant=registrant,
            workshops={world.first.pk: world.full_1, world.second.pk: world.other_2},
        )
    body = page(client, world)
    assert "Vous êtes inscrit·e." in body and "Votre inscription est à confirmer." not in body
    text = " ".join(strip_tags(body).split())
    assert "Premier temps d'ateliers : Atelier complet liste d'attente" in text
    assert "Second temps d'ateliers : Santé mentale" in body
    assert event_url(world, "personal", registrant.token) in body
    assert "2 personnes inscrites · 48 places restantes" in body
    # The workshops are chosen with the event, not from the agenda.
    assert "Choisir cet atelier" not in body


def test_the_old_endpoint_does_not_register_around_the_event(world, member):
    client = client_for(member)
    response = client.post(session_url(world, "session_register"), {"action": "register"})
    assert response.status_code == 302
    body = page(client, world)
    assert "Les inscriptions à cette séance se font en ligne" in body
    with scopes_disabled():
        assert not SessionRegistration.objects.filter(session=world.session).exists()
        assert not Registrant.objects.exists()
    # htmx: the panel again, with the event's way in.
    response = client.post(
        session_url(world, "session_register"),
        {"action": "register"},
        headers={"HX-Request": "true"},
    )
    fragment = html.unescape(response.content.decode())
    assert "<html" not in fragment and event_url(world, "register") in fragment

    # Registered through the event: neither unregistering nor a workshop around it.
    registrant = register_as(world, member, world.stories_1, world.other_2)
    client.post(session_url(world, "session_register"), {"action": "unregister"})
    choose = reverse(
        "parcours:workshop_choose",
        args=[world.organisation.slug, world.session.pk, world.stories_2.pk],
    )
    response = client.post(choose, follow=True)
    assert "se choisissent avec son inscription en ligne" in html.unescape(
        response.content.decode()
    )
    with scopes_disabled():
        assert SessionRegistration.objects.filter(session=world.session, user=member).exists()
        registrant.refresh_from_db()
        assert registrant.is_confirmed
        held = WorkshopRegistration.objects.filter(user=member).values_list("workshop", flat=True)
        assert sorted(held) == sorted([world.stories_1.pk, world.other_2.pk])


def test_a_session_without_a_published_event_still_registers_directly(world, member):
    with scopes_disabled():
        world.event.published = False
        world.event.save()
    client = client_for(member)
    assert "Je m'inscris" in page(client, world)
    response = client.post(
        session_url(world, "session_register"), {"action": "register"}, follow=True
    )
    assert "Vous êtes inscrit·e à « Séminaire des directions »" in html.unescape(
        response.content.decode()
    )
    with scopes_disabled():
        assert SessionRegistration.objects.filter(session=world.session, user=member).exists()


def test_each_person_counts_once_whichever_way_they_registered(world, member):
    """A person registered directly before the event was published holds a place on the
    session page, the dashboard and the export; completing their registration through
    the event does not count them twice."""
    with scope(organisation=world.organisation.pk):
        parcours.register_to_session(session=world.session, user=member)
    register_as(
        world, TeamMemberFactory(team__cohort=world.cohort).user, world.stories_1, world.other_2
    )
    client = client_for(member)
    body = page(client, world)
    assert "2 personnes inscrites · 48 places restantes" in body
    assert "Vous êtes inscrit·e à la séance." in body and "Compléter mon inscription" in body

    coordinator = client_for(world.coordinator)
    dashboard = html.unescape(coordinator.get(manage_url(world, "dashboard")).content.decode())
    assert "<strong>2</strong> confirmées" in dashboard and "<strong>48</strong>" in dashboard
    assert "Inscrit·es depuis la page de la séance" in dashboard and member.email in dashboard
    export = coordinator.get(manage_url(world, "export"), {"format": "csv"})
    assert (
        member.email
        in b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    )

    # Completing through the event, signed in: pre-filled, confirmed at once, still once.
    form = html.unescape(client.get(event_url(world, "register")).content.decode())
    assert f'value="{member.email}"' in form
    mail.outbox.clear()
    response = client.post(
        event_url(world, "register"),
        {
            "first_name": member.first_name or "Prénom",
            "last_name": member.last_name or "Nom",
            "email": member.email,
            "structure": "Commune du Val",
            "function": "DGS",
            f"round_{world.first.pk}": str(world.stories_1.pk),
            f"round_{world.second.pk}": str(world.stories_2.pk),
        },
    )
    # The same workshop twice is refused, as on the public page.
    assert response.status_code == 200
    assert "Vous avez déjà choisi « Histoires de territoire »" in html.unescape(
        response.content.decode()
    )
    response = client.post(
        event_url(world, "register"),
        {
            "first_name": member.first_name or "Prénom",
            "last_name": member.last_name or "Nom",
            "email": member.email,
            "structure": "Commune du Val",
            "function": "DGS",
            f"round_{world.first.pk}": str(world.stories_1.pk),
            f"round_{world.second.pk}": str(world.other_2.pk),
        },
    )
    with scopes_disabled():
        registrant = Registrant.objects.get(email=member.email)
    assert registrant.is_confirmed and registrant.user == member
    assert response["Location"] == event_url(world, "personal", registrant.token)
    assert any(message.attachments for message in mail.outbox)  # the .ics, no link to click
    body = page(client, world)
    assert "2 personnes inscrites · 48 places restantes" in body and "Vous êtes inscrit·e." in body
    dashboard = html.unescape(coordinator.get(manage_url(world, "dashboard")).content.decode())
    assert "<strong>2</strong> confirmées" in dashboard
    assert "Inscrit·es depuis la page de la séance" not in dashboard


def test_a_place_taken_before_the_event_opened_can_still_be_given_up(world, member):
    with scopes_disabled():
        world.event.published = False
        world.event.save()
    client = client_for(member)
    client.post(session_url(world, "session_register"), {"action": "register"})
    with scopes_disabled():
        world.event.published = True
        world.event.save()
    body = page(client, world)
    assert "Vous êtes inscrit·e à la séance." in body and "Me désinscrire" in body
    response = client.post(
        session_url(world, "session_register"), {"action": "unregister"}, follow=True
    )
    assert "Votre inscription est annulée." in html.unescape(response.content.decode())
    with scopes_disabled():
        assert not SessionRegistration.objects.filter(session=world.session, user=member).exists()
    # Giving up is all the session page allows: registering again goes through the event.
    client.post(session_url(world, "session_register"), {"action": "register"})
    with scopes_disabled():
        assert not SessionRegistration.objects.filter(session=world.session, user=member).exists()
    assert event_url(world, "register") in page(client, world)
