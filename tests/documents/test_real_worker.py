"""A cohort's attestation ZIP survives its worker being killed: a private redis-server on
a free port, a real Celery worker (a subprocess on the test's PostgreSQL database),
SIGKILL in the middle of the build, another worker with its beat — and the document
completes on its own, with no « Relancer » and no partial file left.

The heartbeat, staleness and sweep are shortened through their settings (seconds instead
of minutes). The shared Redis (6379) is never touched. CI (.ci/run) runs the suite on
PostgreSQL, so this test runs there; on SQLite's in-memory test database no other
process could read the test's data, so it is skipped there, saying why.
"""

import shutil
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django_scopes import scope, scopes_disabled

from documents import services
from documents.models import Document
from tests.factories import AttendanceFactory
from tests.realworker import POSTGRES_ONLY, WorkerProcess, sending_to

ROOT = Path(settings.BASE_DIR)
WAIT = 90  # seconds, at most, for each stage

pytestmark = POSTGRES_ONLY


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own, on a free port, without persistence."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed (Debian: apt-get install redis-server)"
    port = free_port()
    arguments = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [binary, *arguments, "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as probe:
                probe.sendall(b"PING\r\n")
                if probe.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the private redis-server did not start")
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def real_broker(private_redis):
    with sending_to(private_redis):
        yield private_redis


class Worker(WorkerProcess):
    """``celery -A sillon worker`` (tests/documents/slow_worker.py) with short heartbeat,
    staleness and sweep periods, each build step paused ``pause`` seconds."""

    def __init__(self, *, broker: str, folder: Path, name: str, pause: float, beat: bool):
        arguments = ["-A", "sillon", "worker", "--pool=solo", "--loglevel=INFO"]
        arguments += ["--without-heartbeat", "--without-gossip", "--without-mingle"]
        arguments.append(f"--hostname={name}@%h")
        if beat:
            # Celery's base scheduler keeps the schedule in memory: the default one's
            # shelve file (SQLite under Python 3.13) once failed with « locking protocol »
            # under load, and beat died with it.
            arguments += ["--beat", "--scheduler=celery.beat:Scheduler"]
        super().__init__(
            broker=broker,
            log=folder / f"{name}.log",
            module="tests.documents.slow_worker",
            arguments=arguments,
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
            DOCUMENT_TEMP_DIR=str(folder / "builds"),
            DOCUMENT_HEARTBEAT_SECONDS="0.3",
            DOCUMENT_STALE_AFTER_SECONDS="3",
            DOCUMENT_SWEEP_SECONDS="1",
            SILLON_TEST_STEP_SECONDS=str(pause),
        )


def row(pk: int) -> Document:
    with scopes_disabled():
        return Document.objects.get(pk=pk)


def wait_for(condition, *, worker: Worker, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"the worker exited; {what}; log:\n{worker.output()}")
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} after {WAIT} s; worker log:\n{worker.output()}")


def test_a_worker_killed_mid_build_is_taken_back_and_the_zip_completes_on_its_own(
    transactional_db, world, real_broker, tmp_path
):
    with scopes_disabled():
        for member in [m.user for m in world.teams[0].members.all()]:
            if member != world.member:
                AttendanceFactory(session=world.session, user=member, team=world.teams[0])
    with scope(organisation=world.organisation.pk):
        document = services.request_document(
            organisation=world.organisation,
            acting_user=world.coordinator,
            kind=Document.Kind.ATTESTATIONS,
            title="Attestations de la promotion",
            programme=world.programme,
            cohort=world.cohort,
        )
    # Committed, and handed to the broker before any worker runs.
    assert row(document.pk).status == Document.Status.PENDING
    assert row(document.pk).dispatched_at is not None
    builds = tmp_path / "builds"

    first = Worker(broker=real_broker, folder=tmp_path, name="first", pause=1.5, beat=False)
    try:
        wait_for(
            lambda: row(document.pk).steps_done >= 1 and any(builds.glob("*.zip")),
            worker=first,
            what="the first worker did not get into the build",
        )
        first.kill()  # SIGKILL: no acknowledgement, no cleanup, nothing written after
    finally:
        first.stop()
    killed = row(document.pk)
    assert killed.status == Document.Status.BUILDING
    assert killed.attempts == 1
    assert list(builds.glob("*.zip")), "the dead build left its partial ZIP"

    second = Worker(broker=real_broker, folder=tmp_path, name="second", pause=0, beat=True)
    try:
        wait_for(
            lambda: row(document.pk).status in (Document.Status.READY, Document.Status.FAILED),
            worker=second,
            what="the document was not built again",
        )
    finally:
        second.stop()

    done = row(document.pk)
    assert done.status == Document.Status.READY, done.error
    assert (done.attempts, done.interruptions) == (2, 1)
    assert "taken back" in second.output()
    with done.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
    assert "Lisez-moi.txt" in names
    assert len([name for name in names if name.endswith(".pdf")]) == 3
    assert not [path for path in builds.iterdir() if path.is_file()], "partial files left"
