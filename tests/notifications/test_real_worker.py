"""A reminder goes from the periodic scan, through the real Redis broker and a real Celery
worker process, to the mail outbox — on PostgreSQL, with committed data.

The rest of the suite runs tasks eagerly (tests/conftest.py); this test turns that off
for its own duration, starts ``celery -A sillon worker`` as a subprocess pointed at the
test database, a dedicated Redis database and a file e-mail backend, sends
``scan_reminders`` through the broker and waits for the e-mail file. A second test kills
a worker with SIGKILL in the middle of an SMTP conversation and checks the message is
neither lost nor silently sent twice. CI (.ci/run) provides PostgreSQL and Redis, so
both run there; elsewhere they are skipped, saying what is missing.
"""

import os
import socket
import time
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from notifications import services
from notifications.models import Category, OutboxMessage, ReminderLog
from notifications.scan_tasks import scan_reminders
from tests.factories import MembershipFactory, SessionFactory, build_programme
from tests.realworker import POSTGRES_ONLY, WorkerProcess, sending_to

ROOT = Path(settings.BASE_DIR)
# A Redis database of its own, emptied before the test: no stray task from a development
# worker or an earlier run reaches this worker, and this test's tasks reach no other.
# One per xdist worker (15, 14…): two of these tests running at once on two xdist
# workers would otherwise empty each other's queue and take each other's tasks.
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
TEST_REDIS_DB = str(int(os.environ.get("SILLON_TEST_REDIS_DB", "15")) - _XDIST_INDEX % 8)
WAIT = 60  # seconds, at most, for the e-mail to be written
# The file e-mail backend separates the messages of one connection with this line.
SEPARATOR = b"\n" + b"-" * 79 + b"\n"

pytestmark = POSTGRES_ONLY


def broker_url() -> str:
    """The Redis of the environment (REDIS_URL or CELERY_BROKER_URL) with our database."""
    base = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
    parts = urlsplit(base)
    if parts.scheme not in ("redis", "rediss"):
        return ""
    return urlunsplit(parts._replace(path=f"/{TEST_REDIS_DB}"))


@pytest.fixture
def redis_url():
    url = broker_url()
    if not url:
        pytest.skip("needs Redis: set REDIS_URL=redis://… (the real broker)")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis: {url} is not reachable ({error})")
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def real_broker(redis_url):
    """Celery in this process sends to the real broker for the test's duration."""
    with sending_to(redis_url):
        yield redis_url


class Worker(WorkerProcess):
    """``celery -A sillon worker`` in a subprocess, writing e-mails to ``mail_dir``."""

    def __init__(self, *, broker: str, mail_dir: Path, log: Path, **extra_env: str):
        arguments = ["-A", "sillon", "worker", "--pool=solo", "--concurrency=1"]
        arguments += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
        arguments += ["--loglevel=INFO", "--hostname=sillon-test-worker@%h"]
        super().__init__(
            broker=broker,
            log=log,
            module="celery",
            arguments=arguments,
            **{
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mail_dir),
                **extra_env,
            },
        )


def written_emails(mail_dir: Path) -> list:
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(BytesParser(policy=policy.default).parsebytes(chunk.lstrip()))
    return messages


def daytime_zone(now) -> ZoneInfo:
    """Europe/Paris when it is daytime there; otherwise an organisation time zone where it
    is (the worker runs on the real clock, and nothing is sent between 21:00 and 07:00)."""
    candidates = [
        "Europe/Paris",
        "Indian/Reunion",
        "America/Cayenne",
        "America/Guadeloupe",
        "Pacific/Tahiti",
        "Pacific/Noumea",
        "Pacific/Wallis",
    ]
    for name in candidates:
        if 8 <= now.astimezone(ZoneInfo(name)).hour < 20:
            return ZoneInfo(name)
    raise AssertionError("no daytime zone")  # the candidates cover the 24 hours


def test_a_reminder_goes_from_the_scan_through_the_broker_to_the_mail_outbox(
    transactional_db, real_broker, tmp_path
):
    now = timezone.now()
    zone = daytime_zone(now)
    # A session starting tomorrow, ten minutes earlier on the local clock than now: its
    # J-1 reminder fell due ten minutes ago (J-7 long before the scan's look-back).
    starts_local = now.astimezone(zone).replace(tzinfo=None) + timedelta(days=1, minutes=-10)
    starts_at = starts_local.replace(second=0, microsecond=0, tzinfo=zone)
    with scopes_disabled():
        world = build_programme(teams=1, members_per_team=1, published=True)
        organisation = world.organisation
        organisation.time_zone = zone.key
        organisation.save(update_fields=["time_zone"])
        session = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Formation J1",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
        )
        (member,) = [m.user for m in world.teams[0].members.all()]

    mail_dir = tmp_path / "mail"
    worker = Worker(broker=real_broker, mail_dir=mail_dir, log=tmp_path / "worker.log")
    try:
        worker.wait_until_ready()
        scan_reminders.delay()

        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with scopes_disabled():
                sent = OutboxMessage.objects.filter(
                    kind="session.reminder", status=OutboxMessage.Status.SENT
                ).exists()
            if sent and written_emails(mail_dir):
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"no reminder e-mail after {WAIT} s; worker log:\n{worker.output()}")
        time.sleep(0.5)  # a duplicate, if there were one, would have the time to appear
        emails = written_emails(mail_dir)
    finally:
        worker.stop()

    reminders = [e for e in emails if str(e["Subject"]).startswith("Rappel : Formation J1")]
    assert len(reminders) == 1, [str(e["Subject"]) for e in emails]
    assert str(reminders[0]["To"]) == member.email
    assert reminders[0]["List-Unsubscribe"]
    with scopes_disabled():
        (log,) = ReminderLog.objects.filter(rule="session", object_id=session.pk)
        message = OutboxMessage.objects.get(kind="session.reminder")
    assert log.recipient_id == member.pk
    assert log.occasion.startswith("J-1@")
    assert log.status == ReminderLog.Status.QUEUED
    assert log.message_id == message.pk
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None


def wait_for(condition, *, worker: Worker, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} after {timeout} s; worker log:\n{worker.output()}")


def message_status(pk: int) -> str:
    with scopes_disabled():
        return OutboxMessage.objects.get(pk=pk).status


def test_a_worker_killed_in_the_middle_of_a_send_leaves_a_visible_row_sent_once_more(
    transactional_db, real_broker, tmp_path
):
    """SIGKILL during the SMTP conversation: the row stays "sending" (never silently
    lost, never acknowledged as sent); the sweep finds it once it is overdue, queues it
    again once, saying so, and a healthy worker sends it: one e-mail."""
    from notifications.tasks import INTERRUPTED_ONCE, sweep_uncertain

    membership = MembershipFactory(user__email="camille@exemple.fr")
    organisation = membership.organisation
    with scope(organisation=organisation.pk), transaction.atomic():
        (message,) = services.send(
            organisation=organisation,
            recipients=[membership.user],
            kind="test.message",
            category=Category.REQUESTS,
            build=lambda user: services.Email(subject="Une demande", text="À traiter.\n"),
        )
    # An SMTP server that accepts the connection and never answers: the first worker
    # stays in the middle of the send until it is killed.
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(WAIT)
    port = server.getsockname()[1]
    mail_dir = tmp_path / "mail"
    first = Worker(
        broker=real_broker,
        mail_dir=mail_dir,
        log=tmp_path / "first.log",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
    )
    try:
        first.wait_until_ready()
        # The message was handed to the broker on commit, before the worker started.
        wait_for(
            lambda: message_status(message.pk) == OutboxMessage.Status.SENDING,
            worker=first,
            what="the first worker did not take the message",
        )
        try:
            smtp_connection, _address = server.accept()  # the worker is mid-send
        except TimeoutError:
            pytest.fail(f"no SMTP connection; worker log:\n{first.output()}")
        first.kill()
        smtp_connection.close()
    finally:
        first.stop()
        server.close()

    with scopes_disabled():
        row = OutboxMessage.objects.get(pk=message.pk)
    assert row.status == OutboxMessage.Status.SENDING  # visible, not lost, not "sent"
    assert row.attempts == 1
    # Fifteen minutes later (the sweep's timeout), as far as the row is concerned.
    with scopes_disabled():
        OutboxMessage.objects.filter(pk=message.pk).update(
            sending_since=timezone.now() - timedelta(minutes=20)
        )

    second = Worker(broker=real_broker, mail_dir=mail_dir, log=tmp_path / "second.log")
    try:
        second.wait_until_ready()
        sweep_uncertain.delay()
        wait_for(
            lambda: (
                message_status(message.pk) == OutboxMessage.Status.SENT and written_emails(mail_dir)
            ),
            worker=second,
            what="the message was not sent again",
        )
        time.sleep(0.5)  # a duplicate, if there were one, would have the time to appear
        emails = written_emails(mail_dir)
    finally:
        second.stop()

    assert [str(email["Subject"]) for email in emails] == ["Une demande"]
    assert str(emails[0]["To"]) == "camille@exemple.fr"
    with scopes_disabled():
        row = OutboxMessage.objects.get(pk=message.pk)
    assert row.status == OutboxMessage.Status.SENT
    assert row.attempts == 2
    assert row.last_error.startswith(INTERRUPTED_ONCE)
