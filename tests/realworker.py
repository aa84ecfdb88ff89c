"""What the tests with a real Celery worker share: they run on PostgreSQL only (the
worker, another process, must read the test's committed data), point this process's
Celery at a real broker for their duration, and start ``celery worker`` subprocesses
whose output goes to a log file.

Used by tests/notifications/test_real_worker.py (reminders through Redis to the mail
outbox) and tests/documents/test_real_worker.py (a document build survives a killed
worker).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from sillon.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)

POSTGRES_ONLY = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): the worker process must "
        "read the test's committed data from the same database server",
    ),
]


def reset_broker_pools() -> None:
    """Forget this process's broker connections (as Celery does after a fork): a pool
    opened earlier would point at another broker, or be closed."""
    kombu_pools.reset()  # closes and forgets every pool (they are shared by URL)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def sending_to(broker: str):
    """Celery in this process sends to ``broker`` (not eagerly) inside the block."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = broker
    reset_broker_pools()
    try:
        yield broker
    finally:
        reset_broker_pools()
        conf.task_always_eager, conf.broker_url = saved


def worker_database_url() -> str:
    """The address of the test database (not the development one) for the worker."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    at = "@" if credentials else ""
    return f"postgres://{credentials}{at}{host}{port}/{db['NAME']}"


class WorkerProcess:
    """A Celery worker in a subprocess on the test database and ``broker``; ``module``
    is what ``python -m`` runs (``celery``, or a wrapper of it), ``arguments`` follow."""

    def __init__(self, *, broker: str, log: Path, module: str, arguments: list[str], **env):
        self.log = log
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sillon.settings",
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": broker,
            "CELERY_BROKER_URL": broker,
            "DB_CONN_MAX_AGE": "0",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *arguments],
            cwd=ROOT,
            env=environment,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{self.output()}")
            if " ready." in self.output():
                return
            time.sleep(0.1)
        pytest.fail(f"the worker was not ready after {timeout} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing written after."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, grace: float = 15) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log_file.close()
