"""The staff's pages: the programme's events, opening one, the dashboard (trainers
read it), manual registration and edits, the export, a message; the programme tab."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from inscriptions import services
from inscriptions.models import Event, Registrant
from parcours.models import Session
from tests.factories import SessionFactory, TeamMemberFactory
from tests.inscriptions.conftest import person
from tests.querycount import assert_constant_queries
from tests.second_factor import login_past_second_factor


def manage_url(world, name, *args):
    return reverse(
        f"inscriptions:{name}",
        args=[world.organisation.slug, world.programme.pk, world.event.pk, *args],
    )


def client_for(user):
    client = Client()
    login_past_second_factor(client, user)
    return client


def register(world, number, confirm=True, collective=""):
    with scope(organisation=world.organisation.pk):
        someone = person(number)
        someone.workshops = {world.first.pk: world.stories_1, world.second.pk: world.other_2}
        registrants = services.register(
            event=world.event, people=[someone], collective_name=collective
        )
        if confirm:
            registrants = [services.confirm(registrant=r) for r in registrants]
        return registrants[0]


def test_the_dashboard_groups_people_and_workshops_in_constant_queries(world):
    client = client_for(world.coordinator)
    counter = iter(range(1000))

    def add(count):
        for _ in range(count):
            number = next(counter)
            register(world, number, collective="Collectif A" if number % 2 else "")

    assert_constant_queries(client, manage_url(world, "dashboard"), add, sizes=(3, 12))
    body = client.get(manage_url(world, "dashboard")).content.decode()
    assert "Collectif A" in body and "Inscriptions individuelles" in body
    assert "Par fonction" in body and "Histoires de territoire" in body


def test_trainers_read_participants_get_404(world):
    trainer = client_for(world.trainer)
    assert trainer.get(manage_url(world, "dashboard")).status_code == 200
    assert trainer.get(manage_url(world, "export")).status_code == 404
    with scopes_disabled():
        member = TeamMemberFactory(team__cohort=world.cohort)
    participant = Client()
    participant.force_login(member.user)
    assert participant.get(manage_url(world, "dashboard")).status_code == 404


def test_opening_an_event_for_an_open_session(world):
    with scopes_disabled():
        other = SessionFactory(
            programme=world.programme, kind=world.session.kind, title="Webinaire", audience="open"
        )
        cohort_session = SessionFactory(programme=world.programme, kind=world.session.kind)
    client = client_for(world.coordinator)
    create = reverse("inscriptions:create", args=[world.organisation.slug, world.programme.pk])
    data = {
        "session": other.pk,
        "slug": "webinaire",
        "deadline": "2020-01-01T12:00",
        "published": "on",
    }
    response = client.post(create, {**data, "session": cohort_session.pk})
    assert response.status_code == 200  # not « inscription libre »: not offered
    deadline = other.starts_at.strftime("%Y-%m-%dT08:00")
    response = client.post(create, {**data, "deadline": deadline})
    assert response.status_code == 302
    with scopes_disabled():
        event = Event.objects.get(slug="webinaire")
        assert event.published and event.session == other
    response = client.post(create, {**data, "deadline": deadline, "slug": "seminaire-2027"})
    assert "déjà cette adresse" in response.content.decode() or response.status_code == 200
    listing = client.get(
        reverse("inscriptions:list", args=[world.organisation.slug, world.programme.pk])
    )
    assert "Webinaire" in listing.content.decode()


def test_manual_registration_edits_and_export(world):
    client = client_for(world.coordinator)
    response = client.post(
        manage_url(world, "add"),
        {
            "first_name": "Ada",
            "last_name": "Manuelle",
            "email": "ada@exemple.fr",
            "structure": "CCAS",
            "function": "Directrice",
            f"round_{world.first.pk}": world.full_1.pk,
            f"round_{world.second.pk}": world.other_2.pk,
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        ada = Registrant.objects.get(email="ada@exemple.fr")
        assert ada.is_confirmed
    response = client.post(
        manage_url(world, "registrant", ada.pk),
        {"action": "details", "structure": "CCAS du Val", "function": "Directrice"},
    )
    assert response.status_code == 302
    export = client.get(manage_url(world, "export") + "?format=csv")
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    assert "Manuelle" in text and "CCAS du Val" in text and "Atelier complet" in text
    xlsx = client.get(manage_url(world, "export") + "?format=xlsx")
    assert xlsx.status_code == 200
    response = client.post(manage_url(world, "registrant", ada.pk), {"action": "cancel"})
    with scopes_disabled():
        ada.refresh_from_db()
        assert ada.is_cancelled


def test_a_message_to_the_registrants(world):
    register(world, 1)
    register(world, 2, confirm=False)
    mail.outbox.clear()
    client = client_for(world.coordinator)
    response = client.post(
        manage_url(world, "message"), {"subject": "Infos pratiques", "body": "Venez tôt."}
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["personne1@exemple.fr"]]


def test_the_programme_tab(world):
    client = client_for(world.coordinator)
    response = client.get(
        reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    )
    assert reverse("inscriptions:list", args=[world.organisation.slug, world.programme.pk]) in (
        response.content.decode()
    )


@pytest.mark.parametrize("published", [True, False])
def test_the_call_page_offers_its_webinar(world, published):
    from tests.factories import CallFactory

    with scopes_disabled():
        world.event.published = published
        world.event.save()
        call = CallFactory(cohort=world.cohort, status="published", webinar=world.session)
    response = Client().get(
        reverse("candidatures:call_public", args=[world.organisation.slug, call.slug])
    )
    assert response.status_code == 200
    link = reverse("inscriptions:event", args=[world.organisation.slug, world.event.slug])
    assert (link in response.content.decode()) is published
    assert world.session.audience == Session.Audience.OPEN


def test_the_session_page_leads_the_staff_to_the_registrations(world):
    path = reverse("parcours:session_detail", args=[world.organisation.slug, world.session.pk])
    client = client_for(world.coordinator)
    body = client.get(path).content.decode()
    assert manage_url(world, "dashboard") in body
    with scopes_disabled():
        world.event.delete()
    body = client.get(path).content.decode()
    assert f"?seance={world.session.pk}" in body
