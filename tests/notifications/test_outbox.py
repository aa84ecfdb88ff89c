"""Delivering the outbox: each message sent once, retried with back-off when the mail
server is down, waiting in the outbox when the broker is down, and a send interrupted by
a killed worker re-sent once and left visible, never silently twice.

Celery runs eagerly and on-commit callbacks run (tests/conftest.py); the mail backend is
locmem unless a test swaps it for one that fails."""

from datetime import datetime, timedelta
from email.message import MIMEPart
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from kombu.exceptions import OperationalError

from notifications import services, tasks
from notifications.models import (
    Category,
    Notification,
    OutboxMessage,
    Preference,
    SuppressedAddress,
)
from notifications.personal_data import export_for_user
from parcours.models import Session
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 10, 5, 10, 0, tzinfo=PARIS)
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


class RefusingBackend(BaseEmailBackend):
    """The SMTP server is unreachable."""

    def send_messages(self, email_messages):
        raise OSError("Connexion refusée par le serveur SMTP")


class FlakyBackend(LocmemBackend):
    """Refuses the first message, then delivers like locmem."""

    failures_left = 1

    def send_messages(self, email_messages):
        if FlakyBackend.failures_left:
            FlakyBackend.failures_left -= 1
            raise OSError("Délai dépassé")
        return super().send_messages(email_messages)


def use_backend(settings, backend: type) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{backend.__name__}"}}


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Région Hauts-de-France", slug="hdf")


@pytest.fixture
def person():
    return UserFactory(email="camille@exemple.fr", first_name="Camille")


def queue(organisation, recipients, *, unsubscribe=False, attachments=True):
    """What a service does: write the messages inside its transaction."""

    def build(user):
        return services.Email(
            subject="Rappel : séance du 12 octobre",
            text="Bonjour, la séance a lieu lundi.",
            html="<p>Bonjour, la séance a lieu <strong>lundi</strong>.</p>",
            attachments=[
                services.Attachment(
                    "invitation.ics", "text/calendar; method=REQUEST; charset=utf-8", ICS
                )
            ]
            if attachments
            else [],
        )

    with scope(organisation=organisation.pk), transaction.atomic():
        return services.send(
            organisation=organisation,
            recipients=recipients,
            kind="test.reminder",
            category=Category.REMINDERS,
            build=build,
            url="https://sillon.example/hdf/seances/1/",
            unsubscribe=unsubscribe,
        )


def reload(message) -> OutboxMessage:
    with scopes_disabled():
        return OutboxMessage.objects.get(pk=message.pk)


def deliver(message) -> str:
    """Run the task as the broker would hand it to a worker (``delay`` may be patched)."""
    return tasks.deliver_message.apply(args=(message.organisation_id, message.pk)).get()


# --- Sent once, whole ------------------------------------------------------------------


def test_a_queued_message_is_sent_once_with_both_parts_attachment_and_headers(organisation, person):
    (message,) = queue(organisation, [person], unsubscribe=True)

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["camille@exemple.fr"]
    assert sent.subject == "Rappel : séance du 12 octobre"
    assert sent.body == "Bonjour, la séance a lieu lundi."
    assert sent.alternatives[0].mimetype == "text/html"
    assert "<strong>lundi</strong>" in sent.alternatives[0].content
    assert sent.reply_to == ["contact@hdf.fr"]
    # The .ics arrives as it was written, typed for the calendar, CRLF intact.
    (part,) = sent.attachments
    assert isinstance(part, MIMEPart)
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invitation.ics"
    assert part.get_payload(decode=True) == ICS
    # The one-click unsubscribe headers reach the wire.
    wire = sent.message()
    assert wire["List-Unsubscribe"].startswith("<http")
    assert "/notifications/desabonnement/" in wire["List-Unsubscribe"]
    assert wire["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    message = reload(message)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.last_error == ""

    # A redelivered task (acks late) or a second worker finds the row taken.
    assert deliver(message) == "skipped"
    assert len(mail.outbox) == 1
    assert reload(message).attempts == 1


def test_a_corrupt_attachment_fails_the_row_without_retrying(organisation, person, monkeypatch):
    monkeypatch.setattr(tasks.deliver_message, "delay", lambda *args: None)
    (message,) = queue(organisation, [person])
    with scopes_disabled():
        OutboxMessage.objects.filter(pk=message.pk).update(
            attachments=[{"filename": "x.ics", "mimetype": "text/calendar", "content": "@@"}]
        )
    assert deliver(message) == "failed"
    message = reload(message)
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error
    assert mail.outbox == []


# --- The mail server is down -----------------------------------------------------------


def test_a_refused_connection_requeues_with_back_off_then_fails_keeping_the_row(
    organisation, person, settings
):
    """Eager Celery cannot wait for a countdown: the row waits in the queue and the flush
    plays the delayed retry, once the back-off has passed."""
    use_backend(settings, RefusingBackend)
    with time_machine.travel(START, tick=False) as traveller:
        (message,) = queue(organisation, [person])
        message = reload(message)
        assert message.status == OutboxMessage.Status.QUEUED
        assert message.attempts == 1
        assert "Connexion refusée" in message.last_error

        for attempt in range(2, tasks.MAX_ATTEMPTS + 1):
            # Before its back-off has passed, the flush leaves the row to its retry.
            traveller.shift(tasks.retry_delay(attempt - 1) - timedelta(seconds=1))
            assert tasks.flush_outbox.delay().get() == 0
            # Past the back-off and the grace, the retry is overdue: the flush sends it.
            traveller.shift(tasks.FLUSH_GRACE + timedelta(seconds=2))
            assert tasks.flush_outbox.delay().get() == 1
            assert reload(message).attempts == attempt

    message = reload(message)
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == tasks.MAX_ATTEMPTS
    assert "Connexion refusée" in message.last_error
    assert mail.outbox == []
    # A failed row stays, and the flush leaves it alone.
    assert tasks.flush_outbox.delay().get() == 0


class WorkerTask:
    """Stands for the task on a real worker: ``retry`` publishes the task again later."""

    def __init__(self):
        self.request = SimpleNamespace(is_eager=False)
        self.countdowns = []

    def retry(self, *, exc, countdown):
        self.countdowns.append(countdown)
        return Retry(exc=exc, when=countdown)


def test_on_a_worker_each_refusal_publishes_a_retry_with_growing_back_off(
    organisation, person, settings, monkeypatch
):
    use_backend(settings, RefusingBackend)
    monkeypatch.setattr(tasks.deliver_message, "delay", lambda *args: None)
    (message,) = queue(organisation, [person])
    worker = WorkerTask()
    with scope(organisation=organisation.pk):
        for _attempt in range(1, tasks.MAX_ATTEMPTS):
            with pytest.raises(Retry):
                tasks._deliver(worker, organisation, message.pk)
            assert reload(message).status == OutboxMessage.Status.QUEUED
        assert tasks._deliver(worker, organisation, message.pk) == "failed"
    assert worker.countdowns == [120, 240, 480, 960]
    assert reload(message).status == OutboxMessage.Status.FAILED


def test_a_message_refused_once_is_sent_once_by_the_next_flush(organisation, person, settings):
    use_backend(settings, FlakyBackend)
    FlakyBackend.failures_left = 1
    with time_machine.travel(START, tick=False) as traveller:
        (message,) = queue(organisation, [person])
        assert reload(message).status == OutboxMessage.Status.QUEUED
        traveller.shift(tasks.retry_delay(1) + tasks.FLUSH_GRACE + timedelta(seconds=1))
        assert tasks.flush_outbox.delay().get() == 1
    message = reload(message)
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert "Délai dépassé" in message.last_error
    assert len(mail.outbox) == 1


# --- The broker is down ------------------------------------------------------------------


def broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")


def test_broker_down_leaves_the_rows_queued_and_the_flush_sends_them_once(
    organisation, person, monkeypatch
):
    other = UserFactory(email="dominique@exemple.fr")
    with time_machine.travel(START, tick=False) as traveller:
        with monkeypatch.context() as patch:
            patch.setattr(tasks.deliver_message, "delay", broker_down)
            messages = queue(organisation, [person, other])  # the service call succeeds
            assert [reload(m).status for m in messages] == ["queued", "queued"]
            assert mail.outbox == []
            # Still down at the next flush: nothing lost, nothing raised.
            traveller.shift(timedelta(minutes=3))
            assert tasks.flush_outbox.delay().get() == 0

        # Rows younger than the grace are left to their own task.
        traveller.shift(timedelta(seconds=1))
        assert tasks.flush_outbox.delay().get() == 2
        assert sorted(m.to[0] for m in mail.outbox) == [
            "camille@exemple.fr",
            "dominique@exemple.fr",
        ]
        assert [reload(m).status for m in messages] == ["sent", "sent"]
        # The next flushes find nothing more to do.
        traveller.shift(timedelta(minutes=5))
        assert tasks.flush_outbox.delay().get() == 0
    assert len(mail.outbox) == 2


def test_broker_down_the_page_that_sends_still_works(client, monkeypatch):
    """Cancelling a session writes its notices; the broker is down; the page answers as
    usual and the notices wait in the outbox."""
    coordinator = MembershipFactory(coordinator=True)
    organisation = coordinator.organisation
    with scope(organisation=organisation.pk):
        world = build_programme(organisation=organisation, teams=1)
        session = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            starts_at=datetime(2030, 3, 4, 9, 30, tzinfo=PARIS),
            ends_at=datetime(2030, 3, 4, 12, 30, tzinfo=PARIS),
        )
    monkeypatch.setattr(tasks.deliver_message, "delay", broker_down)
    client.force_login(coordinator.user)
    url = reverse("parcours:session_cancel", args=[organisation.slug, session.pk])
    response = client.post(url, {"reason": "Salle indisponible"})
    assert response.status_code == 302
    with scope(organisation=organisation.pk):
        assert Session.objects.get(pk=session.pk).status == Session.Status.CANCELLED
        waiting = OutboxMessage.objects.filter(organisation=organisation)
        assert waiting.exists()
        assert set(waiting.values_list("status", flat=True)) == {"queued"}
    assert mail.outbox == []


# --- A worker killed in the middle of a send ---------------------------------------------


def killed_worker_leaves_it_sending(message) -> None:
    """What a worker killed by SIGKILL during the SMTP conversation leaves: the claim
    committed (sending, attempt counted), nothing after it."""
    with scopes_disabled():
        taken = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.QUEUED
        ).update(
            status="sending",
            sending_since=datetime.now(PARIS),
            attempts=1 + reload(message).attempts,
        )
    assert taken == 1


def test_a_send_interrupted_once_is_resent_once_and_stays_visible(
    organisation, person, monkeypatch
):
    with time_machine.travel(START, tick=False) as traveller:
        with monkeypatch.context() as patch:
            patch.setattr(tasks.deliver_message, "delay", lambda *args: None)
            (message,) = queue(organisation, [person])
        killed_worker_leaves_it_sending(message)
        # The broker redelivers the task (acks late): the row is taken, nothing is sent.
        assert deliver(message) == "skipped"
        # Neither the flush nor an early sweep touch a row being sent.
        traveller.shift(timedelta(minutes=10))
        assert tasks.flush_outbox.delay().get() == 0
        assert tasks.sweep_uncertain.delay().get() == {"requeued": 0, "uncertain": 0}
        assert mail.outbox == []

        traveller.shift(timedelta(minutes=6))
        assert tasks.sweep_uncertain.delay().get() == {"requeued": 1, "uncertain": 0}

    message = reload(message)
    assert len(mail.outbox) == 1
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert message.last_error.startswith(tasks.INTERRUPTED_ONCE)
    assert "renvoyé une fois" in message.last_error


def test_a_send_interrupted_twice_stays_uncertain_and_is_never_sent_again(
    organisation, person, monkeypatch
):
    with time_machine.travel(START, tick=False) as traveller:
        with monkeypatch.context() as patch:
            patch.setattr(tasks.deliver_message, "delay", lambda *args: None)
            (message,) = queue(organisation, [person])
            killed_worker_leaves_it_sending(message)
            traveller.shift(timedelta(minutes=16))
            # Re-queued once (its task lost here too)…
            assert tasks.sweep_uncertain.delay().get() == {"requeued": 1, "uncertain": 0}
            assert reload(message).status == OutboxMessage.Status.QUEUED
            # …and the second try is killed as well.
            killed_worker_leaves_it_sending(message)
            traveller.shift(timedelta(minutes=16))
            assert tasks.sweep_uncertain.delay().get() == {"requeued": 0, "uncertain": 1}

        message = reload(message)
        assert message.status == OutboxMessage.Status.UNCERTAIN
        assert message.last_error.startswith(tasks.INTERRUPTED_TWICE)
        assert message.attempts == 2
        # Nothing sends it again: not the flush, not a later sweep, not a late task.
        traveller.shift(timedelta(hours=1))
        assert tasks.flush_outbox.delay().get() == 0
        assert tasks.sweep_uncertain.delay().get() == {"requeued": 0, "uncertain": 0}
        assert deliver(message) == "skipped"
    assert mail.outbox == []


def test_the_interruption_is_remembered_across_a_later_smtp_error(
    organisation, person, settings, monkeypatch
):
    """A row interrupted once, then refused by the SMTP server, then interrupted again
    is not re-sent a third time: the mention survives the error."""
    with time_machine.travel(START, tick=False) as traveller:
        with monkeypatch.context() as patch:
            patch.setattr(tasks.deliver_message, "delay", lambda *args: None)
            (message,) = queue(organisation, [person])
            killed_worker_leaves_it_sending(message)
            traveller.shift(timedelta(minutes=16))
            tasks.sweep_uncertain.delay().get()
        use_backend(settings, RefusingBackend)
        assert deliver(message) == "retry"
        assert reload(message).last_error.startswith(tasks.INTERRUPTED_ONCE)
        assert "Connexion refusée" in reload(message).last_error
        killed_worker_leaves_it_sending(message)
        traveller.shift(timedelta(minutes=16))
        assert tasks.sweep_uncertain.delay().get() == {"requeued": 0, "uncertain": 1}


# --- Recipients that cannot be written to ------------------------------------------------


def test_a_recipient_without_email_gets_the_notification_only(organisation):
    nobody = UserFactory(email="", verified_email=False)
    assert queue(organisation, [nobody]) == []
    with scope(organisation=organisation.pk):
        assert Notification.objects.filter(user=nobody).count() == 1
        assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_suppressed_address_is_recorded_and_never_sent(organisation, person):
    SuppressedAddress.objects.create(email="camille@exemple.fr", reason="bounced")
    (message,) = queue(organisation, [person])
    assert reload(message).status == OutboxMessage.Status.SUPPRESSED
    assert deliver(message) == "skipped"
    with time_machine.travel(datetime.now(PARIS) + timedelta(hours=1)):
        assert tasks.flush_outbox.delay().get() == 0
    assert mail.outbox == []


# --- Download my data ---------------------------------------------------------------------


def test_personal_data_lists_preferences_notifications_and_messages(organisation, person):
    Preference.objects.create(user=person, category=Category.TEAM_NEWS, channel="digest")
    queue(organisation, [person])
    data = export_for_user(person)
    assert data["préférences"] == [
        {"catégorie": "Nouvelles de mon équipe", "réception": "Un résumé quotidien"}
    ]
    assert data["notifications"][0]["titre"] == "Rappel : séance du 12 octobre"
    (sent,) = data["e_mails_reçus"]
    assert sent["organisation"] == "Région Hauts-de-France"
    assert sent["statut"] == "Envoyé"
    assert data["adresse_en_échec"] is None


# --- The common e-mail layout -------------------------------------------------------------


def render_layout(extension: str, **context) -> str:
    template = Template(
        f'{{% extends "notifications/email/base.{extension}" %}}'
        "{% block content %}La séance a lieu lundi.{% endblock %}"
    )
    return template.render(
        Context({"subject": "Rappel", "site_url": "https://sillon.example", **context})
    )


def test_the_layout_carries_the_organisations_brand_link_and_footer(organisation, person):
    organisation.brand_colour = "#1f5f8b"
    organisation.logo.name = "organisations/logos/hdf.png"
    context = {
        "organisation": organisation,
        "recipient": person,
        "url": "https://sillon.example/hdf/seances/1/",
        "unsubscribe_url": "https://sillon.example/notifications/desabonnement/cle/reminders/",
    }
    html = render_layout("html", **context)
    assert 'src="https://sillon.example/hdf/logo/"' in html
    assert 'alt="Région Hauts-de-France"' in html
    assert "background: #1f5f8b" in html
    assert "Bonjour Camille," in html
    assert "La séance a lieu lundi." in html
    assert 'href="https://sillon.example/hdf/seances/1/"' in html
    assert "Vous recevez ce message car" in html
    assert 'href="https://sillon.example/notifications/preferences/"' in html
    assert 'href="https://sillon.example/notifications/desabonnement/cle/reminders/"' in html
    assert "contact@hdf.fr" in html

    text = render_layout("txt", **context)
    assert text.startswith("Région Hauts-de-France")
    assert "Bonjour Camille," in text
    assert "La séance a lieu lundi." in text
    assert "https://sillon.example/hdf/seances/1/" in text
    assert "https://sillon.example/notifications/preferences/" in text
    assert "https://sillon.example/notifications/desabonnement/cle/reminders/" in text
    assert "&" not in text  # plain text is not escaped


def test_the_layout_without_logo_link_or_unsubscribe(organisation):
    html = render_layout("html", organisation=organisation)
    assert "<img" not in html
    assert "Région Hauts-de-France" in html
    assert "Bonjour," in html
    assert "Ne plus recevoir" not in html
    assert "Voir dans Sillon" not in html
    text = render_layout("txt", organisation=organisation)
    assert "Ne plus recevoir" not in text
    assert "Voir dans Sillon" not in text
