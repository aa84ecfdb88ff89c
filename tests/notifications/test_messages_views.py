"""The coordinator's messages pages: every e-mail of the organisation with its status,
filters, one message in detail; nobody else sees them."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scope, scopes_disabled

from notifications import services
from notifications.models import Category, OutboxMessage, SuppressedAddress
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TeamMemberFactory,
    UserFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def queue(organisation, recipients, *, kind="test.reminder", subject="Rappel", url=""):
    with scope(organisation=organisation.pk), transaction.atomic():
        return services.send(
            organisation=organisation,
            recipients=recipients,
            kind=kind,
            category=Category.REMINDERS,
            build=lambda user: services.Email(
                subject=subject, text=f"Bonjour {user.first_name}, texte du message."
            ),
            url=url,
        )


@pytest.fixture
def world():
    organisation = OrganisationFactory(slug="hdf", name="Région Hauts-de-France")
    coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
    camille = UserFactory(email="camille@exemple.fr", first_name="Camille", last_name="Martin")
    dominique = UserFactory(email="dominique@exemple.fr", first_name="Dominique")
    (to_camille,) = queue(
        organisation,
        [camille],
        kind="session.convocation",
        subject="Convocation : Formation J1",
        url="/hdf/seances/1/",
    )
    (to_dominique,) = queue(organisation, [dominique], subject="Rappel : séance J-7")
    other = OrganisationFactory(slug="cnfpt")
    other_coordinator = MembershipFactory(organisation=other, coordinator=True).user
    (foreign,) = queue(other, [camille], subject="Message d'une autre organisation")
    return {
        "organisation": organisation,
        "coordinator": coordinator,
        "camille": camille,
        "dominique": dominique,
        "to_camille": to_camille,
        "to_dominique": to_dominique,
        "other": other,
        "other_coordinator": other_coordinator,
        "foreign": foreign,
    }


def list_url(organisation):
    return reverse("notifications:message_list", args=[organisation.slug])


def detail_url(organisation, message):
    return reverse("notifications:message_detail", args=[organisation.slug, message.pk])


def test_the_coordinator_sees_every_message_of_the_organisation_newest_first(world, client):
    client.force_login(world["coordinator"])
    response = client.get(list_url(world["organisation"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Convocation : Formation J1" in content
    assert "Rappel : séance J-7" in content
    assert content.index("Rappel : séance J-7") < content.index("Convocation : Formation J1")
    assert "Convocation à une séance" in content  # the kind, in words
    assert "Envoyé" in content
    assert escape("Message d'une autre organisation") not in content
    assert "2 messages" in content


def test_filters_by_person_status_and_kind(world, client):
    client.force_login(world["coordinator"])
    url = list_url(world["organisation"])
    by_person = client.get(url, {"person": "CAMILLE@"}).content.decode()
    assert "Convocation : Formation J1" in by_person
    assert "Rappel : séance J-7" not in by_person

    with scope(organisation=world["organisation"].pk):
        OutboxMessage.objects.filter(pk=world["to_dominique"].pk).update(status="failed")
    by_status = client.get(url, {"status": "failed"}).content.decode()
    assert "Rappel : séance J-7" in by_status
    assert "Convocation : Formation J1" not in by_status

    by_kind = client.get(url, {"kind": "session.convocation"}).content.decode()
    assert "Convocation : Formation J1" in by_kind
    assert "Rappel : séance J-7" not in by_kind
    # Only the kinds this organisation used are offered.
    assert '<option value="test.reminder"' in by_kind
    assert by_kind.count("Tous les types") == 1

    nothing = client.get(url, {"person": "personne@ailleurs.fr"})
    assert nothing.status_code == 200
    assert "Aucun message ne correspond à ces filtres." in nothing.content.decode()

    unknown = client.get(url, {"kind": "inconnu"})
    assert unknown.status_code == 200
    assert "Sélectionnez un choix valide" in unknown.content.decode()


def test_the_htmx_request_gets_the_results_only(world, client):
    client.force_login(world["coordinator"])
    response = client.get(
        list_url(world["organisation"]), {"person": "dominique"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="resultats">')
    assert "Rappel : séance J-7" in content


def test_the_detail_shows_the_message_and_its_history(world, client):
    with scope(organisation=world["organisation"].pk):
        OutboxMessage.objects.filter(pk=world["to_camille"].pk).update(
            attempts=2, last_error="OSError: Délai dépassé"
        )
    client.force_login(world["coordinator"])
    response = client.get(detail_url(world["organisation"], world["to_camille"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content and "Convocation : Formation J1" in content
    assert "camille@exemple.fr" in content
    assert "Camille Martin" in content
    assert "Délai dépassé" in content
    assert "Bonjour Camille, texte du message." in content
    assert 'href="/hdf/seances/1/"' in content
    assert "Envoyé le" in content


def test_an_interrupted_send_is_visible(world, client):
    with scope(organisation=world["organisation"].pk):
        OutboxMessage.objects.filter(pk=world["to_camille"].pk).update(
            last_error="Envoi interrompu, renvoyé une fois"
        )
    client.force_login(world["coordinator"])
    content = client.get(list_url(world["organisation"])).content.decode()
    assert "envoi interrompu" in content


@pytest.mark.parametrize("role", ["trainer", "observer"])
def test_other_members_get_404(world, client, role):
    member = MembershipFactory(organisation=world["organisation"], **{role: True}).user
    client.force_login(member)
    assert client.get(list_url(world["organisation"])).status_code == 404
    assert client.get(detail_url(world["organisation"], world["to_camille"])).status_code == 404


def test_team_members_get_404(world, client):
    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        team = build_programme(organisation=organisation, teams=1).teams[0]
        member = TeamMemberFactory(team=team, organisation=organisation).user
    client.force_login(member)
    assert client.get(list_url(organisation)).status_code == 404
    assert client.get(detail_url(organisation, world["to_camille"])).status_code == 404


def test_other_organisations_get_404(world, client):
    client.force_login(world["other_coordinator"])
    assert client.get(list_url(world["organisation"])).status_code == 404
    assert client.get(detail_url(world["organisation"], world["to_camille"])).status_code == 404
    # A coordinator cannot read another organisation's message through their own pages.
    client.force_login(world["coordinator"])
    assert client.get(detail_url(world["organisation"], world["foreign"])).status_code == 404


def test_the_suppressed_panel_lists_only_this_organisations_people(world, client):
    SuppressedAddress.objects.create(email="camille@exemple.fr", reason="bounced")
    SuppressedAddress.objects.create(email="inconnu@ailleurs.fr", reason="bounced")
    # A team member never written to yet is listed too.
    organisation = world["organisation"]
    with scope(organisation=organisation.pk):
        team = build_programme(organisation=organisation, teams=1).teams[0]
        TeamMemberFactory(team=team, organisation=organisation, user__email="equipe@exemple.fr")
    SuppressedAddress.objects.create(email="equipe@exemple.fr", reason="complained")
    client.force_login(world["coordinator"])
    content = client.get(list_url(organisation)).content.decode()
    assert "camille@exemple.fr" in content
    assert "equipe@exemple.fr" in content
    assert "Message signalé comme indésirable" in content
    assert "inconnu@ailleurs.fr" not in content


def test_no_panel_without_suppressed_addresses(world, client):
    client.force_login(world["coordinator"])
    assert "Adresses en échec" not in client.get(list_url(world["organisation"])).content.decode()


def test_the_list_runs_a_constant_number_of_queries(world, client):
    organisation = world["organisation"]
    client.force_login(world["coordinator"])
    created = []

    def add_rows(count):
        people = [UserFactory() for _ in range(count)]
        created.extend(queue(organisation, people, kind=f"kind.{len(created) % 3}"))
        for person in people[:2]:
            SuppressedAddress.objects.create(email=person.email, reason="bounced")

    assert_constant_queries(client, list_url(organisation), add_rows)
    assert len(mail.outbox) >= 50
    with scopes_disabled():
        assert OutboxMessage.objects.filter(organisation=organisation).count() >= 50
