"""The documents' durable queue (documents/queue.py): a request while the broker is down
is queued, not an error, and the sweep builds it later; a build whose worker died is
taken back on its own, a bounded number of times; dead builds' temporary files go."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from kombu import pools as kombu_pools

from documents import queue
from documents.models import Document, stale_after
from documents.tasks import sweep_documents
from sillon.celery import app as celery_app
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def fresh(document):
    with scopes_disabled():
        return Document.objects.get(pk=document.pk)


def reset_broker_pools() -> None:
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Celery sends for real, to a Redis address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = f"redis://127.0.0.1:{port}/0"
    reset_broker_pools()
    yield
    reset_broker_pools()
    conf.task_always_eager, conf.broker_url = saved


def broker_back() -> None:
    reset_broker_pools()
    celery_app.conf.task_always_eager = True


def url(world, name, *args):
    from django.urls import reverse

    return reverse(f"documents:{name}", args=[world.organisation.slug, *args])


def test_a_request_while_the_broker_is_down_is_queued_and_the_sweep_builds_it(
    client, world, broker_down
):
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "attestation_request", world.programme.pk, world.member.pk), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "En file d&#x27;attente… La création commencera dès qu&#x27;un serveur" in page or (
        "En file d'attente… La création commencera dès qu'un serveur" in page
    )
    assert 'hx-trigger="every 1s"' in page
    with scopes_disabled():
        document = Document.objects.get()
    assert document.status == Document.Status.PENDING
    assert document.dispatched_at is None
    assert world.fake.calls == 0

    # Still down: the sweep tries, fails quietly, and the row waits.
    assert sweep_documents()["sent"] == 0
    assert fresh(document).status == Document.Status.PENDING

    broker_back()
    counts = sweep_documents()
    assert counts["sent"] == 1
    document = fresh(document)
    assert document.status == Document.Status.READY
    assert document.attempts == 1
    page = client.get(url(world, "detail", document.pk)).content.decode()
    assert "Télécharger (PDF," in page


def test_the_sweep_takes_back_a_build_whose_worker_died_and_removes_its_partial_file(
    world, settings, tmp_path
):
    settings.DOCUMENT_TEMP_DIR = tmp_path / "builds"
    with scope(organisation=world.organisation.pk):
        document = DocumentFactory(
            organisation=world.organisation,
            requested_by=world.coordinator,
            programme=world.programme,
            cohort=world.cohort,
            kind=Document.Kind.ATTESTATIONS,
            status=Document.Status.BUILDING,
            attempts=1,
            progress=40,
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
    partial = queue.temporary_path(document, ".zip")
    partial.write_bytes(b"PK half a zip")
    # While its heartbeat is fresh, the build is left alone, with its file.
    assert sweep_documents() == {"sent": 0, "taken_back": 0, "failed": 0, "files_removed": 0}
    assert partial.exists()

    with time_machine.travel(timezone.now() + stale_after() + timedelta(seconds=5)):
        counts = sweep_documents()
    assert counts["taken_back"] == 1 and counts["sent"] == 1
    assert not partial.exists()
    document = fresh(document)
    assert document.status == Document.Status.READY  # eager: built again at once
    assert (document.attempts, document.interruptions) == (2, 1)


def test_a_build_interrupted_too_often_fails_saying_why(client, world, settings):
    settings.DOCUMENT_MAX_INTERRUPTIONS = 3
    with scope(organisation=world.organisation.pk):
        document = DocumentFactory(
            organisation=world.organisation,
            requested_by=world.coordinator,
            programme=world.programme,
            person=world.member,
            status=Document.Status.BUILDING,
            attempts=3,
            interruptions=2,
            started_at=timezone.now() - timedelta(minutes=10),
            heartbeat_at=timezone.now() - timedelta(minutes=10),
        )
    assert sweep_documents()["failed"] == 1
    document = fresh(document)
    assert document.status == Document.Status.FAILED
    assert world.fake.calls == 0
    client.force_login(world.coordinator)
    page = client.get(url(world, "detail", document.pk)).content.decode()
    assert "La création a été interrompue 3 fois" in page
    assert "Relancer" in page
    assert "hx-trigger" not in page
    # « Relancer » starts afresh, with a new budget of interruptions.
    client.post(url(world, "retry", document.pk))
    document = fresh(document)
    assert document.status == Document.Status.READY
    assert document.interruptions == 0


def test_a_pending_build_the_broker_lost_is_sent_again(world, monkeypatch):
    with scope(organisation=world.organisation.pk):
        lost = DocumentFactory(
            organisation=world.organisation,
            requested_by=world.coordinator,
            programme=world.programme,
            person=world.member,
            dispatched_at=timezone.now() - queue.RESEND_PENDING_AFTER - timedelta(minutes=1),
        )
        waiting = DocumentFactory(
            organisation=world.organisation,
            requested_by=world.coordinator,
            programme=world.programme,
            person=world.member,
            dispatched_at=timezone.now(),
        )
    assert sweep_documents()["sent"] == 1
    assert fresh(lost).status == Document.Status.READY
    # Handed to the broker a moment ago: still in its queue, not sent twice.
    assert fresh(waiting).status == Document.Status.PENDING


def test_stray_temporary_files_are_removed_once_old(world, settings, tmp_path):
    import os
    import time

    settings.DOCUMENT_TEMP_DIR = tmp_path
    stray = tmp_path / "something-else.pdf"
    stray.write_bytes(b"%PDF")
    recent = tmp_path / "recent.pdf"
    recent.write_bytes(b"%PDF")
    old = time.time() - queue.ORPHAN_AFTER.total_seconds() - 60
    os.utime(stray, (old, old))
    assert queue.clean_temporary_files() == 1
    assert not stray.exists() and recent.exists()
