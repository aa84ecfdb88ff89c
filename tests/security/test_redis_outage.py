"""Redis down: no page fails. A private ``redis-server`` (never the shared one on 6379)
serves as cache and Celery broker for each test, is killed in the middle, and started
again: an invitation is saved and its e-mail queued (the page says so), a login goes
through (the rate limits fail open), and once Redis is back the outbox flush delivers
the invitation exactly once. CI installs redis-server, so these run there; without it
they fail, saying so.
"""

import logging
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu import pools as kombu_pools

from notifications.models import OutboxMessage
from notifications.tasks import flush_outbox, sweep_uncertain
from organisations.models import Invitation, Role
from sillon.celery import app as celery_app
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-de-test"  # UserFactory's


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """``redis-server`` on a free port of its own, with nothing saved to disk."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.fail("redis-server is needed (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not answer on port {self.port}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def reset_broker_pools() -> None:
    """Forget this process's broker connections (they point at another Redis)."""
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_server(settings):
    """A private Redis as the cache and the Celery broker (tasks really published)."""
    server = PrivateRedis()
    server.start()
    settings.CACHES = {
        "default": {"BACKEND": "sillon.cache.ResilientRedisCache", "LOCATION": server.url}
    }
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = server.url
    reset_broker_pools()
    try:
        yield server
    finally:
        server.kill()
        reset_broker_pools()
        conf.task_always_eager, conf.broker_url = saved


@pytest.fixture
def coordinator():
    return MembershipFactory(coordinator=True)


def test_an_invitation_while_redis_is_down_is_queued_then_sent_once(
    client, coordinator, redis_server, caplog
):
    organisation = coordinator.organisation
    client.force_login(coordinator.user)
    redis_server.kill()

    with caplog.at_level(logging.WARNING):
        response = client.post(
            reverse("organisations:member_invite", args=[organisation.slug]),
            {"email": "nouvelle@exemple.fr", "role": Role.TRAINER},
            follow=True,
        )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Invitation à nouvelle@exemple.fr enregistrée." in page
    assert "l'e-mail est en file d'attente" in page.replace("&#x27;", "'")
    assert "broker unavailable" in caplog.text
    assert "cache unavailable" in caplog.text
    with scopes_disabled():
        invitation = Invitation.objects.get(email="nouvelle@exemple.fr")
        assert invitation.status == Invitation.Status.PENDING
        message = OutboxMessage.objects.get(to_email="nouvelle@exemple.fr")
    assert message.status == OutboxMessage.Status.QUEUED
    assert mail.outbox == []

    # Redis is back. The next flush (beat, every minute) hands the row to the broker...
    redis_server.start()
    reset_broker_pools()
    later = timezone.now() + timedelta(minutes=3)
    with time_machine.travel(later, tick=False):
        assert flush_outbox() == 1
        # ... and a worker delivers it (here, in this process).
        celery_app.conf.task_always_eager = True
        flush_outbox()
        flush_outbox()
        sweep_uncertain()
    with time_machine.travel(later + timedelta(minutes=30), tick=False):
        flush_outbox()
        sweep_uncertain()

    assert [m.to for m in mail.outbox] == [["nouvelle@exemple.fr"]]
    assert f"/invitation/{invitation.token}/" in mail.outbox[0].body
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_a_login_while_redis_is_down_goes_through(client, redis_server, caplog):
    user = UserFactory()
    redis_server.kill()

    with caplog.at_level(logging.WARNING):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
        )

    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert "Se déconnecter" in response.content.decode()
    assert "cache unavailable" in caplog.text


def test_a_login_code_while_redis_is_down_is_sent(client, redis_server):
    user = UserFactory()
    redis_server.kill()

    response = client.post(reverse("account_request_login_code"), {"email": user.email})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[user.email]]
