"""Bounces: the provider reports an address that bounces (django-anymail's tracking
signal, sent by its webhooks); Sillon suppresses the address, marks the message,
shows it to the coordinator and sends nothing more to it."""

import base64
import importlib
import json

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from django_scopes import scope, scopes_disabled

import notifications.global_urls
import sillon.urls
from notifications import services
from notifications.models import Category, OutboxMessage, SuppressedAddress
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ANYMAIL_TEST_BACKEND = "anymail.backends.test.EmailBackend"


@pytest.fixture
def world(settings):
    settings.MAILERS = {"default": {"BACKEND": ANYMAIL_TEST_BACKEND}}
    coordinator = MembershipFactory(coordinator=True, organisation__slug="hdf")
    person = UserFactory(email="Camille.Martin@Exemple.fr", first_name="Camille")
    MembershipFactory(organisation=coordinator.organisation, trainer=True, user=person)
    return coordinator.organisation, coordinator.user, person


def queue(organisation, person, subject="Rappel : séance du 12 octobre"):
    with scope(organisation=organisation.pk), transaction.atomic():
        (message,) = services.send(
            organisation=organisation,
            recipients=[person],
            kind="test.reminder",
            category=Category.REMINDERS,
            build=lambda user: services.Email(subject=subject, text="Bonjour."),
        )
    with scopes_disabled():
        return OutboxMessage.objects.get(pk=message.pk)


def bounce(**fields):
    event = AnymailTrackingEvent(
        event_type=fields.pop("event_type", "bounced"),
        reject_reason=fields.pop("reject_reason", "bounced"),
        description=fields.pop("description", "550 5.1.1 Utilisateur inconnu"),
        **fields,
    )
    tracking.send(sender=object, event=event, esp_name="Test")


def test_the_provider_message_id_is_recorded_after_sending(world):
    organisation, _coordinator, person = world
    message = queue(organisation, person)
    assert message.status == OutboxMessage.Status.SENT
    assert message.provider_message_id == "0"  # the anymail test backend's id


def test_a_bounce_suppresses_the_address_marks_the_message_and_stops_later_sends(world, client):
    organisation, coordinator, person = world
    message = queue(organisation, person)
    assert len(mail.outbox) == 1

    bounce(recipient="camille.martin@exemple.fr", message_id=message.provider_message_id)

    suppressed = SuppressedAddress.objects.get()
    assert suppressed.email == "camille.martin@exemple.fr"
    assert suppressed.reason == "bounced"
    assert "Utilisateur inconnu" in suppressed.description
    with scopes_disabled():
        message.refresh_from_db()
    assert message.status == OutboxMessage.Status.BOUNCED
    assert "Utilisateur inconnu" in message.last_error

    # The coordinator sees the address and the message on the messages page.
    client.force_login(coordinator)
    page = client.get(reverse("notifications:message_list", args=[organisation.slug]))
    content = page.content.decode()
    assert "Adresses en échec" in content
    assert "adresse en échec : rien ne lui est plus envoyé" in content.lower()
    assert "camille.martin@exemple.fr" in content
    assert "Adresse rejetée par le serveur du destinataire" in content
    assert "Rejeté par le destinataire" in content  # the message's status
    detail = client.get(
        reverse("notifications:message_detail", args=[organisation.slug, message.pk])
    )
    assert "rien ne lui est plus envoyé" in detail.content.decode()

    # Nothing more leaves for that address (its case does not matter).
    later = queue(organisation, person, subject="Rappel : séance du 19 octobre")
    assert later.status == OutboxMessage.Status.SUPPRESSED
    assert len(mail.outbox) == 1


def test_a_bounce_without_a_known_id_marks_the_latest_message_to_the_address(world):
    organisation, _coordinator, person = world
    first = queue(organisation, person, subject="Premier")
    second = queue(organisation, person, subject="Second")

    bounce(event_type="complained", reject_reason="spam", recipient="camille.martin@exemple.fr")

    assert SuppressedAddress.objects.get().reason == "complained"
    with scopes_disabled():
        first.refresh_from_db()
        second.refresh_from_db()
    assert first.status == OutboxMessage.Status.SENT
    assert second.status == OutboxMessage.Status.BOUNCED


@pytest.mark.parametrize("event_type", ["delivered", "opened", "deferred", "queued"])
def test_other_events_change_nothing(world, event_type):
    organisation, _coordinator, person = world
    message = queue(organisation, person)
    bounce(event_type=event_type, recipient=person.email, message_id=message.provider_message_id)
    assert not SuppressedAddress.objects.exists()
    with scopes_disabled():
        message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_a_second_report_for_the_same_address_updates_it(world):
    organisation, _coordinator, person = world
    queue(organisation, person)
    bounce(recipient="camille.martin@exemple.fr")
    bounce(event_type="rejected", reject_reason="blocked", recipient="camille.martin@exemple.fr")
    assert SuppressedAddress.objects.get().reason == "rejected"


@pytest.fixture
def webhooks_with_secret():
    """The webhooks are served once a secret is configured (URLs read at start-up)."""

    def reload_urls():
        importlib.reload(notifications.global_urls)
        importlib.reload(sillon.urls)
        clear_url_caches()

    with override_settings(ANYMAIL={"WEBHOOK_SECRET": "sillon:secret-du-webhook"}):
        reload_urls()
        yield
    reload_urls()


def test_the_providers_webhook_reaches_the_receiver(world, client, webhooks_with_secret):
    """End to end through django-anymail's Postmark webhook, with its basic auth."""
    organisation, _coordinator, person = world
    message = queue(organisation, person)
    payload = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "ID": 42,
        "MessageID": message.provider_message_id,
        "Email": "camille.martin@exemple.fr",
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 unknown user",
        "BouncedAt": "2026-10-05T10:00:00Z",
    }
    url = reverse("anymail:postmark_tracking_webhook")
    refused = client.post(url, json.dumps(payload), content_type="application/json")
    assert refused.status_code == 400
    assert not SuppressedAddress.objects.exists()

    credentials = base64.b64encode(b"sillon:secret-du-webhook").decode()
    response = client.post(
        url,
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert response.status_code == 200
    assert SuppressedAddress.objects.get().email == "camille.martin@exemple.fr"
    with scopes_disabled():
        message.refresh_from_db()
    assert message.status == OutboxMessage.Status.BOUNCED


def test_without_a_webhook_secret_the_webhooks_are_not_served(client):
    """Anyone could otherwise post fake bounces and silence real addresses."""
    for path in ("/anymail/brevo/tracking/", "/anymail/mailgun/tracking/"):
        assert client.get(path).status_code == 404
        assert client.post(path, data="{}", content_type="application/json").status_code == 404


def test_the_deploy_check_warns_of_an_anymail_backend_without_webhook_secret(settings):
    from notifications.checks import webhook_secret

    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.brevo.EmailBackend"}}
    settings.ANYMAIL = {"BREVO_API_KEY": "clé"}
    assert [warning.id for warning in webhook_secret(None)] == ["notifications.W001"]
    settings.ANYMAIL = {"BREVO_API_KEY": "clé", "WEBHOOK_SECRET": "sillon:secret"}
    assert webhook_secret(None) == []
