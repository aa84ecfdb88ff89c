"""PostgreSQL restarted under a running Sillon: a private PostgreSQL (its own data
directory, port and socket; never the shared server on 5432, which the other tests use)
serves gunicorn, run with the production ``gunicorn.conf.py`` and production-like
settings (DEBUG off, no broker). The test stops PostgreSQL: the pages answer the French
503 page with ``Retry-After``, never a 500, and ``/health/`` reports the database down.
It starts it again: without restarting gunicorn, the pages answer 200 within seconds and
a login (a write) goes through. Then a quick restart with no request in between: the
persistent connections (``DB_CONN_MAX_AGE``, 60 in docker-compose) died with the server,
and the next requests still succeed (``conn_health_checks``).

CI (.ci/run, as root) has the PostgreSQL server binaries; without them this fails,
saying so. It is skipped when the suite runs on SQLite.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from tests.operations.conftest import ROOT, environment, manage

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): the suite runs on SQLite",
    ),
]

EMAIL = "camille@exemple.fr"
PASSWORD = "un-mot-de-passe-solide-42"
UNAVAILABLE = "Service momentanément indisponible"
# How long the pages may take to come back once PostgreSQL accepts connections again.
RECOVERY_SECONDS = 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_binaries() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and pg_ctl."""
    found = sorted(
        (path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    found = [path for path in found if (path / "initdb").exists()]
    if not found:
        pytest.fail(
            "the PostgreSQL server binaries are needed (initdb, pg_ctl in "
            "/usr/lib/postgresql/<version>/bin: apt-get install postgresql)"
        )
    return found[-1]


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary directory, on a free port, trust
    authentication, listening on 127.0.0.1 only. initdb refuses root: as root, the
    cluster is the ``postgres`` system user's."""

    def __init__(self) -> None:
        self.bin = postgres_binaries()
        self.directory = Path(tempfile.mkdtemp(prefix="sillon-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/sillon"

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [*self.as_owner, *command], capture_output=True, text=True, timeout=60, check=False
        )
        if result.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            pytest.fail(f"{' '.join(command)}: {result.stdout}{result.stderr}{log}")

    def create(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "--pgdata",
            str(self.data),
            "--auth",
            "trust",
            "--username",
            "postgres",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
            "--no-instructions",
        )
        self.start()
        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
            db.execute("CREATE DATABASE sillon")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            # A throwaway cluster: nothing to keep after a crash.
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "start",
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.log),
            "-o",
            options,
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast", "-w")

    def ensure_running(self) -> None:
        """After a failed test, for the next one."""
        if not (self.data / "postmaster.pid").exists():
            self.start()

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self.as_owner,
                    str(self.bin / "pg_ctl"),
                    "stop",
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                ],
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    """The private server, its database migrated (as ``scripts/post-deploy`` does) and
    one person with a verified address who can log in."""
    server = PrivatePostgres()
    try:
        server.create()
        env = environment(server.url, server.directory / "media")
        manage("migrate", "--no-input", "-v", "0", env=env)
        manage(
            "shell",
            "-c",
            "from allauth.account.models import EmailAddress;"
            "from accounts.models import User;"
            f"user = User.objects.create_user({EMAIL!r}, {PASSWORD!r});"
            "EmailAddress.objects.create("
            f"user=user, email={EMAIL!r}, verified=True, primary=True)",
            env=env,
        )
        yield server
    finally:
        server.remove()


@dataclass
class Page:
    status: int
    headers: Message
    text: str


class Browser:
    """Plain HTTP with a cookie jar of its own: the production settings mark the
    cookies ``Secure``, which a standard jar would not send back over http://."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict | None = None, **extra_headers: str
    ) -> Page:
        headers = {"Host": "127.0.0.1", **extra_headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            page = Page(response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return page

    def get(self, path: str, **headers: str) -> Page:
        return self.request("GET", path, **headers)

    def login_form(self) -> dict:
        page = self.get("/auth/login/")
        assert page.status == 200, page.text[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        return {"csrfmiddlewaretoken": token[1], "login": EMAIL, "password": PASSWORD}


class Gunicorn:
    """The production ``gunicorn.conf.py`` (2 preloaded sync workers) on a free port."""

    def __init__(self, postgres: PrivatePostgres, conn_max_age: str) -> None:
        self.port = free_port()
        settings_dir = postgres.directory / f"settings_{conn_max_age}"
        settings_dir.mkdir()
        (settings_dir / "static").mkdir()
        # Static files are not what is under test: no collectstatic (20 s), so plain
        # storage instead of the manifest one.
        (settings_dir / "sillon_pgfault_settings.py").write_text(
            "from sillon.settings import *  # noqa: F403\n"
            f"STATIC_ROOT = {str(settings_dir / 'static')!r}\n"
            'STORAGES["staticfiles"] = {"BACKEND": '
            '"django.contrib.staticfiles.storage.StaticFilesStorage"}\n'
        )
        env = environment(postgres.url, postgres.directory / "media")
        env.update(
            DJANGO_SETTINGS_MODULE="sillon_pgfault_settings",
            PYTHONPATH=os.pathsep.join([str(settings_dir), str(ROOT)]),
            DB_CONN_MAX_AGE=conn_max_age,
            DEBUG="0",
            SECRET_KEY="pgfault-" + "x" * 50,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            BEHIND_TLS_PROXY="0",
            LOG_FORMAT="json",
            LOG_LEVEL="INFO",
            WEB_CONCURRENCY="2",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            PYTHONUNBUFFERED="1",
        )
        self.log = settings_dir / "gunicorn.log"
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "sillon.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_up(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited ({self.process.returncode}):\n{self.output()}")
            try:
                if Browser(self.port).get("/health/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer after {timeout} s:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log_file.close()


def assert_unavailable(page: Page) -> None:
    assert page.status == 503, page.text[:500]
    assert page.headers["Retry-After"] == "30"
    assert UNAVAILABLE in page.text
    assert "Traceback" not in page.text


def assert_signed_in(page: Page) -> None:
    assert page.status == 200, page.text[:500]
    assert "Se déconnecter" in page.text


@pytest.mark.parametrize("conn_max_age", ["0", "60"])
def test_pages_answer_503_while_postgres_is_down_and_recover_without_restarting_gunicorn(
    postgres, conn_max_age
):
    web = Gunicorn(postgres, conn_max_age)
    try:
        web.wait_until_up()
        person = Browser(web.port)
        assert person.request("POST", "/auth/login/", person.login_form()).status == 302
        for _ in range(4):  # the workers open their (persistent) connections
            assert_signed_in(person.get("/"))
        latecomer = Browser(web.port)
        form = latecomer.login_form()

        postgres.stop()
        for _ in range(4):
            assert_unavailable(person.get("/"))
        assert_unavailable(latecomer.request("POST", "/auth/login/", form))
        # The probes: from inside, the failing check named; through the proxy, 503.
        probe = Browser(web.port)
        health = probe.get("/health/?format=json")
        assert health.status == 503
        assert json.loads(health.text) == {
            "Database(alias='default')": "Unavailable: connection failed",
            "Cache(alias='default')": "OK",
        }
        outside = probe.get("/health/", **{"X-Forwarded-For": "203.0.113.9"})
        assert (outside.status, outside.text) == (503, "unavailable")

        postgres.start()
        started = time.monotonic()
        while (page := person.get("/")).status != 200:
            assert_unavailable(page)
            assert time.monotonic() - started < RECOVERY_SECONDS, web.output()[-4000:]
            time.sleep(0.2)
        recovery = time.monotonic() - started
        for _ in range(4):
            assert_signed_in(person.get("/"))
        # A write: the login is recorded (session, last login), the person is signed in.
        assert latecomer.request("POST", "/auth/login/", form).status == 302
        assert_signed_in(latecomer.get("/"))
        assert probe.get("/health/").status == 200

        # A restart no request saw: each worker's persistent connection is dead, and is
        # replaced before the page's first query.
        postgres.stop()
        postgres.start()
        for _ in range(6):
            assert_signed_in(person.get("/"))

        log = web.output()
        assert "database unavailable: GET /" in log
        assert "database unavailable: POST /auth/login/" in log
        print(f"DB_CONN_MAX_AGE={conn_max_age}: pages back {recovery:.2f} s after the start")
    finally:
        web.stop()
        postgres.ensure_running()
