"""The documents' durable queue: the ``Document`` row is the job, the broker only its
messenger.

* ``dispatch``: once the request's transaction commits, the task is handed to the broker;
  if the broker is down, the row simply stays pending and undispatched (no error for
  the user, whose page says « En file d'attente… »).
* ``Heartbeat``: while a build runs in a worker, a thread writes ``heartbeat_at`` every
  ``DOCUMENT_HEARTBEAT_SECONDS``, whatever the builder is doing.
* ``sweep`` (Celery beat, every ``DOCUMENT_SWEEP_SECONDS``): sends again the pending
  rows the broker never got (or lost), takes back the builds whose heartbeat stopped
  (their worker died: pending again, sent again, up to ``DOCUMENT_MAX_INTERRUPTIONS``
  times, then failed with a French reason), and removes the temporary files of builds
  that are no longer running.

Sending a row twice is harmless: a build claims its row (``services._claim``) only while
it is pending, or building with a stopped heartbeat.
"""

import logging
import os
import re
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from documents.models import Document, stale_after

logger = logging.getLogger(__name__)

# A pending row handed to the broker this long ago and still not started is sent again
# (the broker may have lost it: a Redis restarted without its data, a killed worker of
# the filesystem transport). A duplicate costs nothing: the claim ignores it.
RESEND_PENDING_AFTER = timedelta(minutes=5)
# A temporary file whose name says nothing of its build is removed after this long.
ORPHAN_AFTER = timedelta(hours=6)
TEMP_NAME = re.compile(r"^doc-(?P<pk>\d+)-(?P<attempt>\d+)-")


def interrupted_message(count: int) -> str:
    return _(
        "La création a été interrompue %(count)d fois (le serveur qui la préparait s'est "
        "arrêté) : elle n'est pas relancée automatiquement une fois de plus. Relancez-la ; "
        "si le problème persiste, contactez l'équipe Sillon."
    ) % {"count": count}


# --- Dispatching -------------------------------------------------------------------------


def send(organisation_id: int, document_id: int) -> bool:
    """Hand the build to the broker now; ``False`` (logged) when the broker is out of
    reach: the row stays undispatched and the sweep sends it later."""
    from documents.tasks import build_document_task

    try:
        # No retries, neither to connect nor to publish: the sweep is the retry, and the
        # request must not wait (Redis down: a tenth of a second, not six).
        with build_document_task.app.connection_for_write(
            transport_options={"max_retries": 0}
        ) as connection:
            build_document_task.apply_async(
                (organisation_id, document_id), retry=False, connection=connection
            )
    except Exception:
        logger.warning(
            "Document %s queued, not dispatched (broker unreachable): the sweep will send it",
            document_id,
            exc_info=True,
        )
        return False
    Document.objects.filter(pk=document_id, status=Document.Status.PENDING).update(
        dispatched_at=timezone.now()
    )
    return True


def dispatch(document: Document) -> None:
    """Send the build once the current transaction commits (at once outside one)."""
    organisation_id, document_id = document.organisation_id, document.pk
    transaction.on_commit(lambda: send(organisation_id, document_id))


# --- The heartbeat -----------------------------------------------------------------------


class Heartbeat:
    """A thread writing the row's ``heartbeat_at`` while the build of ``attempt`` runs,
    on its own database connection (closed when it stops)."""

    def __init__(self, document_id: int, attempt: int):
        self.document_id, self.attempt = document_id, attempt
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"document-{document_id}-heartbeat", daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while not self._stop.wait(settings.DOCUMENT_HEARTBEAT_SECONDS):
                try:
                    Document.objects.filter(
                        pk=self.document_id,
                        attempts=self.attempt,
                        status=Document.Status.BUILDING,
                    ).update(heartbeat_at=timezone.now())
                except Exception:
                    logger.warning("Heartbeat of document %s missed", self.document_id)
                    close_old_connections()
        finally:
            connection.close()


# --- Temporary files ---------------------------------------------------------------------


def temp_dir() -> Path:
    folder = Path(settings.DOCUMENT_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def temporary_path(document: Document, suffix: str) -> Path:
    """An empty temporary file for ``document``'s current build, named after it
    (``doc-<id>-<attempt>-…``) so that the sweep knows when it is abandoned."""
    handle, path = tempfile.mkstemp(
        prefix=f"doc-{document.pk}-{document.attempts}-", suffix=suffix, dir=temp_dir()
    )
    os.close(handle)
    return Path(path)


def clean_temporary_files() -> int:
    """Remove the temporary files of builds no longer running (their worker died, or they
    were superseded); the number removed."""
    folder = Path(settings.DOCUMENT_TEMP_DIR)
    if not folder.is_dir():
        return 0
    files = [path for path in folder.iterdir() if path.is_file()]
    named = {path: TEMP_NAME.match(path.name) for path in files}
    ids = {int(match["pk"]) for match in named.values() if match}
    with scopes_disabled():
        running = set(
            Document.objects.filter(pk__in=ids, status=Document.Status.BUILDING).values_list(
                "pk", "attempts", "heartbeat_at"
            )
        )
    alive = {(pk, attempts) for pk, attempts, beat in running if not _stopped(beat)}
    removed = 0
    now = time.time()
    for path, match in named.items():
        if match is not None:
            abandoned = (int(match["pk"]), int(match["attempt"])) not in alive
        else:
            abandoned = now - _mtime(path) > ORPHAN_AFTER.total_seconds()
        if abandoned:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return time.time()


def _stopped(beat) -> bool:
    return beat is None or timezone.now() - beat > stale_after()


# --- The sweep ---------------------------------------------------------------------------


def take_back(row: Document) -> bool:
    """``row`` (locked, building, heartbeat stopped) was a dead build: count the
    interruption and make it pending again (``True``: to be sent again), or fail it once
    interrupted ``DOCUMENT_MAX_INTERRUPTIONS`` times."""
    row.interruptions += 1
    now = timezone.now()
    fields = ["interruptions", "status", "heartbeat_at", "progress", "steps_done"]
    row.heartbeat_at = now
    row.progress = row.steps_done = 0
    if row.interruptions >= settings.DOCUMENT_MAX_INTERRUPTIONS:
        row.status = Document.Status.FAILED
        row.error = interrupted_message(row.interruptions)
        row.finished_at = now
        fields += ["error", "finished_at"]
        logger.error("Document %s failed: interrupted %s times", row.pk, row.interruptions)
    else:
        row.status = Document.Status.PENDING
        row.dispatched_at = None
        fields.append("dispatched_at")
        logger.warning("Document %s: its build died (attempt %s), taken back", row.pk, row.attempts)
    row.save(update_fields=fields)
    return row.status == Document.Status.PENDING


def sweep() -> dict[str, int]:
    """Send what the broker missed, take back dead builds, clean their files."""
    now = timezone.now()
    counts = {"sent": 0, "taken_back": 0, "failed": 0, "files_removed": 0}
    with scopes_disabled():
        dead = Document.objects.filter(
            status=Document.Status.BUILDING, heartbeat_at__lt=now - stale_after()
        ).values_list("pk", flat=True)
        for pk in list(dead):
            with transaction.atomic():
                row = Document.objects.select_for_update().filter(pk=pk).first()
                if row is None or not row.is_stale:
                    continue
                if take_back(row):
                    counts["taken_back"] += 1
                else:
                    counts["failed"] += 1
        waiting = Document.objects.filter(status=Document.Status.PENDING).filter(
            dispatched_at__isnull=True
        ) | Document.objects.filter(
            status=Document.Status.PENDING, dispatched_at__lt=now - RESEND_PENDING_AFTER
        )
        for organisation_id, pk in waiting.values_list("organisation_id", "pk"):
            if not send(organisation_id, pk):
                break  # the broker is still down: the next sweep tries again
            counts["sent"] += 1
    counts["files_removed"] = clean_temporary_files()
    if any(counts.values()):
        logger.info("Documents' sweep: %s", counts)
    return counts
