"""The public pages: the event page, registering alone or as a collectif without an
account, the confirmation link, the personal page, « renvoyer mon lien », abuse."""

import html
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from inscriptions import services
from inscriptions.models import Collective, Registrant
from parcours.models import WorkshopRegistration
from sillon import ratelimit
from tests.inscriptions.conftest import person
from tests.querycount import count_queries


def url(world, name="event", *args):
    return reverse(f"inscriptions:{name}", args=[world.organisation.slug, world.event.slug, *args])


def single(world, number=1, first=None, second=None, **extra):
    return {
        "first_name": f"Prénom{number}",
        "last_name": f"Nom{number}",
        "email": f"personne{number}@exemple.fr",
        "structure": f"Commune {number}",
        "function": "DGS",
        f"round_{world.first.pk}": str((first or world.stories_1).pk),
        f"round_{world.second.pk}": str((second or world.other_2).pk),
        **extra,
    }


def collective(world, count=3, **extra):
    data = {
        "collective_name": "Collectif du Val",
        "territory": "Communauté de communes du Val",
        "territory_id": str(world.territory.pk),
        "personnes-TOTAL_FORMS": str(count),
        "personnes-INITIAL_FORMS": "0",
        "personnes-MIN_NUM_FORMS": "1",
        "personnes-MAX_NUM_FORMS": "30",
    }
    for index in range(count):
        for key, value in single(world, index + 1).items():
            data[f"personnes-{index}-{key}"] = value
    data.update(extra)
    return data


def link_in(message, pattern):
    return re.search(pattern, message.body).group(0)


def test_anonymous_visitors_read_the_event_page(world):
    response = Client().get(url(world))
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    for text in (
        "Séminaire des directions",
        "Premier temps d'ateliers",
        "Histoires de territoire",
        "1 place restante",
        "Directions des collectivités",
        "Marie Contact",
        "SX2027",
        "Date limite d'inscription",
    ):
        assert text in body, text


def test_an_unpublished_event_answers_404(world):
    with scopes_disabled():
        world.event.published = False
        world.event.save()
    assert Client().get(url(world)).status_code == 404


def test_the_page_shows_no_registrant_and_its_queries_do_not_grow(world):
    client = Client()

    def add(start, count):
        with scope(organisation=world.organisation.pk):
            for number in range(start, start + count):
                choice = {world.first.pk: world.stories_1, world.second.pk: world.other_2}
                someone = person(number)
                someone.workshops = choice
                (registrant,) = services.register(event=world.event, people=[someone])
                services.confirm(registrant=registrant)

    add(100, 2)
    client.get(url(world))
    cache.clear()
    few, _sql = count_queries(client, url(world))
    add(200, 8)
    many, _sql = count_queries(client, url(world))  # places taken: the summary again
    assert few == many <= 8
    cached, _sql = count_queries(client, url(world))
    assert cached < many
    assert '<dd class="col-sm-8">40</dd>' in client.get(url(world)).content.decode()
    body = client.get(url(world)).content.decode()
    assert "Nom100" not in body and "personne100" not in body


def test_registering_alone_then_confirming_from_the_email(world):
    client = Client()
    response = client.post(url(world, "register"), single(world))
    assert response.status_code == 302 and response["Location"] == url(world, "thanks")
    (message,) = mail.outbox
    confirm = link_in(message, r"http\S+/confirmer/\S+/")
    path = (
        confirm.split("testserver")[-1]
        if "testserver" in confirm
        else "/" + confirm.split("/", 3)[3]
    )
    assert client.get(path).status_code == 200
    mail.outbox.clear()
    response = client.post(path)
    assert response.status_code == 302
    with scopes_disabled():
        registrant = Registrant.objects.get()
        assert registrant.is_confirmed
        assert WorkshopRegistration.objects.filter(user=registrant.user).count() == 2
    # One e-mail: the confirmation is the convocation (date, place, workshops, .ics).
    (confirmed,) = mail.outbox
    assert confirmed.subject.startswith("Inscription confirmée")
    assert [part.get_filename() for part in confirmed.attachments] == ["inscription.ics"]
    personal = client.get(response["Location"])
    assert personal.status_code == 200
    assert "Prénom1 Nom1" in personal.content.decode()


def test_a_collective_of_three_with_the_add_button_without_javascript(world):
    client = Client()
    grown = client.post(url(world, "collective"), collective(world, count=1, ajouter="1"))
    assert grown.status_code == 200
    body = grown.content.decode()
    assert 'name="personnes-1-email"' in body and 'value="personne1@exemple.fr"' in body
    response = client.post(url(world, "collective"), collective(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    with scopes_disabled():
        group = Collective.objects.get()
        assert group.territory == world.territory
        assert group.people.count() == 3
    assert len(mail.outbox) == 3


def test_the_same_email_is_refused_and_the_link_offered(world):
    client = Client()
    client.post(url(world, "register"), single(world))
    response = client.post(url(world, "register"), single(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "déjà inscrite à cet événement" in body
    assert "Renvoyer mon lien" in body
    mail.outbox.clear()
    response = client.post(url(world, "resend"), {"email": "personne1@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_forged_workshop_ids_are_refused_in_french(world):
    client = Client()
    forged = single(world, first=world.other_2)  # a workshop of the other round
    response = client.post(url(world, "register"), forged)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(
        url(world), single(world, **{f"round_{world.first.pk}": "99999999999999999999"})
    )
    assert response.status_code == 200
    twice = single(world, first=world.stories_1, second=world.stories_2)
    response = client.post(url(world, "register"), twice)
    assert "Vous avez déjà choisi" in response.content.decode()
    with scopes_disabled():
        assert not Registrant.objects.exists()


def test_the_honeypot_and_the_rate_limit(world, monkeypatch):
    client = Client()
    response = client.post(url(world, "register"), single(world, site_web="http://spam.example"))
    assert response.status_code == 200
    with scopes_disabled():
        assert not Registrant.objects.exists()
    monkeypatch.setattr("inscriptions.views.public.REGISTRATIONS_PER_ADDRESS", 3)
    for number in (2, 3):
        client.post(url(world, "register"), single(world, number))
    response = client.post(url(world, "register"), single(world, 4))
    assert "Trop d'inscriptions depuis cette connexion" in html.unescape(response.content.decode())
    with scopes_disabled():
        assert Registrant.objects.count() == 2
    assert ratelimit.used("event-register", "127.0.0.1") >= 3


@pytest.mark.parametrize("name", ["personal", "confirm"])
def test_a_wrong_token_answers_404(world, name):
    assert Client().get(url(world, name, "pas-le-bon")).status_code == 404


def test_changing_workshops_and_cancelling_from_the_personal_link(world):
    client = Client()
    with scope(organisation=world.organisation.pk):
        someone = person(1)
        someone.workshops = {world.first.pk: world.stories_1, world.second.pk: world.other_2}
        (registrant,) = services.register(event=world.event, people=[someone])
        registrant = services.confirm(registrant=registrant)
    personal = url(world, "personal", registrant.token)
    response = client.post(
        personal,
        {f"round_{world.first.pk}": world.full_1.pk, f"round_{world.second.pk}": world.other_2.pk},
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert WorkshopRegistration.objects.filter(
            user=registrant.user, workshop=world.full_1
        ).exists()
    assert client.post(url(world, "cancel", registrant.token)).status_code == 302
    with scopes_disabled():
        registrant.refresh_from_db()
        assert registrant.is_cancelled
        assert not WorkshopRegistration.objects.filter(user=registrant.user).exists()


def test_territory_suggestions_for_anonymous_visitors(world):
    response = Client().get(url(world, "territories"), {"q": "Val", "for": "id_territory"})
    assert response.status_code == 200
    assert "Communauté de communes du Val" in response.content.decode()


def test_changes_after_the_deadline_are_refused_in_french(world):
    with scope(organisation=world.organisation.pk):
        someone = person(1)
        someone.workshops = {world.first.pk: world.stories_1, world.second.pk: world.other_2}
        (registrant,) = services.register(event=world.event, people=[someone])
        registrant = services.confirm(registrant=registrant)
    with scopes_disabled():
        world.event.deadline = world.event.created_at
        world.event.save()
    client = Client()
    personal = url(world, "personal", registrant.token)
    response = client.post(personal, {f"round_{world.first.pk}": world.full_1.pk}, follow=True)
    assert "Les changements sont clos" in html.unescape(response.content.decode())
    response = client.post(url(world, "cancel", registrant.token))
    assert "La date limite est passée" in html.unescape(response.content.decode())
    response = client.get(url(world))
    assert "Les inscriptions sont closes" in html.unescape(response.content.decode())
