"""Messages fail loudly: a permanent error (a header broken by a stored value, an invalid
or refused address, an SMTP 5xx) fails that message with its reason, shown to the
coordinators, and the other messages of the batch go; a temporary one (the connection,
an SMTP 4xx) is retried with back-off; a message stuck « sending » is swept back and
counted. Subjects are one line whatever a title holds."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from notifications import services, tasks
from notifications.failures import classify
from notifications.models import Category, OutboxMessage
from parcours.models import Session
from parcours.services.convocations import resend_convocations
from sillon.mail import one_line
from tests.factories import MembershipFactory, SessionFactory, UserFactory, build_programme
from tests.notifications.test_outbox import WorkerTask

pytestmark = pytest.mark.django_db


def use_backend(settings, backend: type) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{backend.__module__}.{backend.__name__}"}}


Reason = OutboxMessage.FailureReason
REFUSED = "refuse@exemple.fr"
BAD_HEADER = "entete@exemple.fr"


class PickyBackend(LocmemBackend):
    """Delivers like locmem, but the server refuses one address (550) and one message
    cannot be written (a header Python refuses)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"5.1.1 User unknown")})
            if BAD_HEADER in message.to:
                raise ValueError(
                    "Header values may not contain linefeed or carriage return characters"
                )
            message.message()  # what a real backend does: builds the headers
        return super().send_messages(email_messages)


class BusyBackend(LocmemBackend):
    """The server answers 421: try again later."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPSenderRefused(421, b"4.7.0 Try again later", "sillon@exemple.fr")


@pytest.fixture
def world():
    with scopes_disabled():
        built = build_programme(teams=1, members_per_team=3)
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.session = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            starts_at=timezone.now() + timedelta(days=10),
            ends_at=timezone.now() + timedelta(days=10, hours=3),
        )
        # A title with line breaks, stored directly (no form in the way).
        Session.objects.filter(pk=built.session.pk).update(
            title="Atelier\r\nBcc: pirate@exemple.fr\nsuite"
        )
        built.session.refresh_from_db()
        built.members = [member.user for member in built.teams[0].members.all()]
    return built


def convene(world):
    with scope(organisation=world.organisation.pk):
        return resend_convocations(session=world.session, acting_user=world.coordinator)


def outbox_rows(**filters):
    with scopes_disabled():
        return list(
            OutboxMessage.objects.filter(kind="session.convocation", **filters).order_by("pk")
        )


# --- The poison message ------------------------------------------------------------------


def queued_message(world, monkeypatch) -> OutboxMessage:
    """One message to the first member, written to the outbox and not yet delivered."""
    monkeypatch.setattr(tasks.deliver_message, "delay", lambda *args: None)
    with scope(organisation=world.organisation.pk), transaction.atomic():
        (row,) = services.send(
            organisation=world.organisation,
            recipients=[world.members[0]],
            kind="test.message",
            category=Category.REQUESTS,
            build=lambda user: services.Email(subject="Une demande", text="Texte"),
        )
    return row


def test_a_title_with_line_breaks_cannot_break_the_batch(world):
    convene(world)
    rows = outbox_rows()
    assert len(rows) == 3
    assert {row.status for row in rows} == {OutboxMessage.Status.SENT}
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert message.subject.startswith("Convocation : Atelier Bcc: pirate@exemple.fr suite")
        assert message.bcc == []
        wire = message.message()
        assert "\n" not in wire["Subject"]
        assert wire["Bcc"] is None


def test_one_permanent_failure_fails_its_message_and_the_others_go(world, settings):
    use_backend(settings, PickyBackend)
    refused, broken, fine = world.members
    with scopes_disabled():
        for user, email in ((refused, REFUSED), (broken, BAD_HEADER)):
            user.email = email
            user.save(update_fields=["email"])
    convene(world)
    by_address = {row.to_email: row for row in outbox_rows()}
    assert by_address[fine.email].status == OutboxMessage.Status.SENT
    assert by_address[REFUSED].status == OutboxMessage.Status.FAILED
    assert by_address[REFUSED].failure_reason == Reason.RECIPIENT_REFUSED
    assert "550" in by_address[REFUSED].last_error
    assert by_address[BAD_HEADER].status == OutboxMessage.Status.FAILED
    assert by_address[BAD_HEADER].failure_reason == Reason.BAD_MESSAGE
    assert "linefeed" in by_address[BAD_HEADER].last_error
    assert [message.to for message in mail.outbox] == [[fine.email]]
    # Failed for good: neither the flush nor the sweep try them again.
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert tasks.flush_outbox.delay().get() == 0
        assert tasks.sweep_uncertain.delay().get() == {"requeued": 0, "uncertain": 0}


def test_a_subject_stored_with_a_line_break_is_sent_on_one_line(world, monkeypatch):
    row = queued_message(world, monkeypatch)
    with scopes_disabled():
        OutboxMessage.objects.filter(pk=row.pk).update(subject="Une\ndemande\r\n")
    assert tasks.deliver_message.apply(args=(row.organisation_id, row.pk)).get() == "sent"
    assert mail.outbox[0].subject == "Une demande"


def test_an_invalid_address_fails_without_trying(world, monkeypatch):
    row = queued_message(world, monkeypatch)
    with scopes_disabled():
        OutboxMessage.objects.filter(pk=row.pk).update(to_email="pas-une-adresse")
    assert tasks.deliver_message.apply(args=(row.organisation_id, row.pk)).get() == "failed"
    with scopes_disabled():
        row = OutboxMessage.objects.get(pk=row.pk)
    assert (row.status, row.failure_reason) == ("failed", Reason.INVALID_ADDRESS)
    assert mail.outbox == []


# --- Shown to coordinators ----------------------------------------------------------------


def test_a_permanent_failure_is_shown_with_its_reason_on_the_messages_page(world, settings, client):
    use_backend(settings, PickyBackend)
    with scopes_disabled():
        world.members[0].email = REFUSED
        world.members[0].save(update_fields=["email"])
    convene(world)
    (failed,) = outbox_rows(status=OutboxMessage.Status.FAILED)
    client.force_login(world.coordinator)
    slug = world.organisation.slug
    page = client.get(reverse("notifications:message_list", args=[slug])).content.decode()
    assert "Envois à vérifier" in page
    assert "1 message en échec" in page
    assert "Adresse refusée par le serveur d&#x27;envoi" in page
    detail = client.get(
        reverse("notifications:message_detail", args=[slug, failed.pk])
    ).content.decode()
    assert "Raison de l'échec" in detail
    assert "Adresse refusée par le serveur d&#x27;envoi" in detail
    assert "5.1.1 User unknown" in detail


def test_no_panel_when_every_message_went(world, client):
    convene(world)
    client.force_login(world.coordinator)
    page = client.get(reverse("notifications:message_list", args=[world.organisation.slug]))
    assert "Envois à vérifier" not in page.content.decode()


# --- Temporary errors ----------------------------------------------------------------------


def test_a_temporary_refusal_is_retried_with_back_off(world, settings, monkeypatch, client):
    use_backend(settings, BusyBackend)
    row = queued_message(world, monkeypatch)
    worker = WorkerTask()
    with scope(organisation=world.organisation.pk), pytest.raises(Retry):
        tasks._deliver(worker, world.organisation, row.pk)
    assert worker.countdowns == [120]
    with scopes_disabled():
        row = OutboxMessage.objects.get(pk=row.pk)
    assert (row.status, row.attempts, row.failure_reason) == ("queued", 1, "")
    assert "421" in row.last_error
    client.force_login(world.coordinator)
    page = client.get(reverse("notifications:message_list", args=[world.organisation.slug]))
    assert "1 message en attente d'un nouvel essai" in page.content.decode()
    # The server answers again: the next try sends it.
    use_backend(settings, LocmemBackend)
    with scope(organisation=world.organisation.pk):
        assert tasks._deliver(worker, world.organisation, row.pk) == "sent"
    assert len(mail.outbox) == 1


def test_the_last_temporary_failure_fails_with_its_reason(world, settings, monkeypatch):
    use_backend(settings, BusyBackend)
    row = queued_message(world, monkeypatch)
    worker = WorkerTask()
    with scope(organisation=world.organisation.pk):
        for _attempt in range(1, tasks.MAX_ATTEMPTS):
            with pytest.raises(Retry):
                tasks._deliver(worker, world.organisation, row.pk)
        assert tasks._deliver(worker, world.organisation, row.pk) == "failed"
    with scopes_disabled():
        row = OutboxMessage.objects.get(pk=row.pk)
    assert row.failure_reason == Reason.UNREACHABLE


@pytest.mark.parametrize(
    ("error", "permanent", "reason"),
    [
        (ValueError("Header values may not contain linefeed"), True, Reason.BAD_MESSAGE),
        (smtplib.SMTPRecipientsRefused({"a@b.fr": (550, b"no")}), True, Reason.RECIPIENT_REFUSED),
        (smtplib.SMTPRecipientsRefused({"a@b.fr": (450, b"later")}), False, ""),
        (smtplib.SMTPDataError(554, b"spam"), True, Reason.REJECTED),
        (smtplib.SMTPSenderRefused(451, b"later", "x@y.fr"), False, ""),
        (smtplib.SMTPServerDisconnected("gone"), False, ""),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False, ""),
        (ConnectionRefusedError("refused"), False, ""),
        (AnymailRecipientsRefused("refused"), True, Reason.RECIPIENT_REFUSED),
        (AnymailAPIError("bad request", status_code=400), True, Reason.REJECTED),
        (AnymailAPIError("throttled", status_code=429), False, ""),
        (AnymailAPIError("down", status_code=503), False, ""),
        (RuntimeError("bug"), True, Reason.UNEXPECTED),
    ],
)
def test_errors_are_classified(error, permanent, reason):
    failure = classify(error)
    assert failure.permanent is permanent
    assert failure.reason == reason


# --- Stuck « sending » -----------------------------------------------------------------------


def test_a_message_stuck_sending_is_swept_after_the_setting_and_counted(
    world, settings, monkeypatch, client
):
    settings.OUTBOX_SENDING_TIMEOUT_MINUTES = 5
    with monkeypatch.context() as patch:
        patch.setattr(tasks.deliver_message, "delay", lambda *args: None)
        with scope(organisation=world.organisation.pk), transaction.atomic():
            (row,) = services.send(
                organisation=world.organisation,
                recipients=[world.members[0]],
                kind="test.message",
                category=Category.REQUESTS,
                build=lambda user: services.Email(subject="Une demande", text="Texte"),
            )
        with scopes_disabled():
            OutboxMessage.objects.filter(pk=row.pk).update(
                status="sending", sending_since=timezone.now() - timedelta(minutes=6), attempts=1
            )
        client.force_login(world.coordinator)
        page = client.get(reverse("notifications:message_list", args=[world.organisation.slug]))
        assert "1 message bloqué en cours d'envoi" in page.content.decode()
    assert tasks.sweep_uncertain.delay().get() == {"requeued": 1, "uncertain": 0}
    with scopes_disabled():
        assert OutboxMessage.objects.get(pk=row.pk).status == OutboxMessage.Status.SENT
    page = client.get(reverse("notifications:message_list", args=[world.organisation.slug]))
    assert "1 envoi interrompu puis repris" in page.content.decode()


def test_one_line():
    assert one_line("Atelier\r\nBcc: x@y.fr\tsuite\x00 ") == "Atelier Bcc: x@y.fr suite"
    assert one_line("Séance\u2028nº1\u2029 — Lille") == "Séance nº1 — Lille"
    assert one_line(None) == ""


def test_a_person_with_an_address_is_not_blocked_by_another(world, settings):
    """The dispatch of a batch goes on after a message that failed."""
    use_backend(settings, PickyBackend)
    people = [UserFactory(email=REFUSED), *world.members]
    with scope(organisation=world.organisation.pk), transaction.atomic():
        services.send(
            organisation=world.organisation,
            recipients=people,
            kind="test.message",
            category=Category.REQUESTS,
            build=lambda user: services.Email(subject="Une demande", text="Texte"),
        )
    assert len(mail.outbox) == 3
