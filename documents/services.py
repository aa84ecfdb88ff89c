"""Generated documents' workflow: ask for one, build it in the background, retry it.

pending → building → ready, or failed with a message the page shows as it is. The file
is stored only once complete (``Document.file`` is set at the very end), so a half-built
one is never offered. The builder runs outside any long transaction: its progress is
written with short updates the polling page sees at once.

Each build claims the row by raising ``attempts``: progress and the final save only
apply while the row is still that attempt's, so a build superseded by a redelivered or
retried one stops at its next progress report and never overwrites the newer one.
"""

import logging
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.actions import Action
from documents.builders import BuildError, Built, get_builder
from documents.models import Document
from organisations.models import Organisation
from organisations.services import record
from presences.models import ATTENDED, Attendance

logger = logging.getLogger(__name__)

# A progress report is written when the percentage moves, or at least this often (the
# heartbeat that tells a slow build from a dead one).
PROGRESS_EVERY = 0.5  # seconds

SHEET_KINDS = (Document.Kind.ATTENDANCE_SHEET, Document.Kind.FILLED_ATTENDANCE_SHEET)
ACTIVE = (Document.Status.PENDING, Document.Status.BUILDING)


def failure_message() -> str:
    return _(
        "La création du document a échoué. Réessayez ; si le problème persiste, "
        "contactez l'équipe Sillon."
    )


class Superseded(Exception):
    """The row is no longer this build's (retried or claimed again): stop quietly."""


# --- Requesting ------------------------------------------------------------------------


def _check_subjects(*, organisation: Organisation, kind: str, programme, cohort, session, person):
    for subject in (programme, cohort, session):
        if subject is not None and subject.organisation_id != organisation.pk:
            raise ValidationError(_("Ce document ne concerne pas cette organisation."))
    if cohort is not None and cohort.programme_id != programme.pk:
        raise ValidationError({"cohort": _("Cette promotion n'appartient pas à ce programme.")})
    if session is not None and programme is not None and session.programme_id != programme.pk:
        raise ValidationError(_("Cette séance n'appartient pas à ce programme."))
    if kind in SHEET_KINDS:
        if session is None:
            raise ValidationError(_("Choisissez la séance de la feuille d'émargement."))
        if session.is_cancelled:
            raise ValidationError(_("Cette séance est annulée : pas de feuille d'émargement."))
    recorded = Attendance.objects.filter(organisation=organisation, session=session)
    if kind == Document.Kind.FILLED_ATTENDANCE_SHEET and not recorded.exists():
        raise ValidationError(
            {
                "filled": _(
                    "Aucune présence n'est encore enregistrée pour cette séance : la "
                    "feuille remplie sera disponible après l'émargement. Vous pouvez "
                    "demander la feuille vierge."
                )
            }
        )
    if kind in (Document.Kind.ATTESTATION, Document.Kind.ATTESTATIONS) and programme is None:
        raise ValidationError(_("Choisissez le programme de l'attestation."))
    if kind == Document.Kind.ATTESTATION:
        if person is None:
            raise ValidationError({"person": _("Choisissez la personne de l'attestation.")})
        attended = Attendance.objects.filter(
            organisation=organisation,
            session__programme=programme,
            user=person,
            status__in=ATTENDED,
        )
        if not attended.exists():
            raise ValidationError(
                {
                    "person": _(
                        "%(name)s n'a assisté à aucune séance de ce programme : pas "
                        "d'attestation de participation."
                    )
                    % {"name": person.get_full_name() or person.email}
                }
            )


@transaction.atomic
def request_document(
    *,
    organisation,
    acting_user,
    kind: str,
    title: str,
    programme=None,
    cohort=None,
    session=None,
    person=None,
) -> Document:
    """Create the row and dispatch its build once committed. The same requester asking
    again for a document still being built (and alive) gets that one back."""
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Type de document inconnu.")})
    if session is not None and programme is None:
        programme = session.programme
    if cohort is not None and programme is None:
        programme = cohort.programme
    _check_subjects(
        organisation=organisation,
        kind=kind,
        programme=programme,
        cohort=cohort,
        session=session,
        person=person,
    )
    building = Document.objects.filter(
        organisation=organisation,
        requested_by=acting_user,
        kind=kind,
        programme=programme,
        cohort=cohort,
        session=session,
        person=person,
        status__in=ACTIVE,
    ).order_by("-created_at", "-pk")
    for document in building:
        if not document.is_stale:
            return document
    document = Document(
        organisation=organisation,
        kind=kind,
        title=title[:300],
        requested_by=acting_user,
        programme=programme,
        cohort=cohort,
        session=session,
        person=person,
    )
    document.save()
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.DOCUMENT_REQUESTED,
        target=document.title,
        document_id=document.pk,
        kind=kind,
    )
    _dispatch(document)
    return document


@transaction.atomic
def retry_document(*, document: Document, acting_user) -> Document:
    """Start a failed build again, or one whose worker died (stale)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not (document.is_failed or document.is_stale):
        raise ValidationError(
            _("Ce document n'a pas échoué : il est prêt ou en cours de création.")
        )
    document.status = Document.Status.PENDING
    document.error = ""
    document.progress = 0
    document.steps_done = 0
    document.steps_total = 0
    document.started_at = None
    document.finished_at = None
    # Staleness counts from the new request, not from the dead build.
    document.heartbeat_at = timezone.now()
    document.save(
        update_fields=[
            "status",
            "error",
            "progress",
            "steps_done",
            "steps_total",
            "started_at",
            "finished_at",
            "heartbeat_at",
        ]
    )
    record(
        organisation=document.organisation,
        actor=acting_user,
        action=Action.DOCUMENT_RETRIED,
        target=document.title,
        document_id=document.pk,
        attempts=document.attempts,
    )
    _dispatch(document)
    return document


def _dispatch(document: Document) -> None:
    from documents.tasks import build_document_task

    organisation_id, document_id = document.organisation_id, document.pk
    transaction.on_commit(lambda: build_document_task.delay(organisation_id, document_id))


# --- Building --------------------------------------------------------------------------


def build_document(*, document: Document) -> Document:
    """Build ``document`` (called by the Celery task; safe to run again: a ready or
    failed row is left alone, a building one whose worker died is taken over)."""
    attempt = _claim(document)
    if attempt is None:
        return Document.objects.get(pk=document.pk)
    document = (
        Document.objects.select_related("organisation", "programme", "cohort", "session", "person")
        .filter(pk=document.pk)
        .get()
    )
    built: Built | None = None
    try:
        built = get_builder(document.kind)(document, _progress_writer(document, attempt))
        _finish(document, attempt, built)
    except Superseded:
        logger.info("Build of document %s superseded (attempt %s)", document.pk, attempt)
    except BuildError as error:
        _fail(document, attempt, str(error))
    except Exception:
        logger.exception("Build of document %s failed (attempt %s)", document.pk, attempt)
        _fail(document, attempt, failure_message())
    finally:
        if built is not None:
            Path(built.path).unlink(missing_ok=True)
    return Document.objects.get(pk=document.pk)


@transaction.atomic
def _claim(document: Document) -> int | None:
    """pending (or building, after a lost worker) → building; the attempt's number."""
    row = Document.objects.select_for_update().filter(pk=document.pk).first()
    if row is None or row.status not in ACTIVE:
        return None
    now = timezone.now()
    row.status = Document.Status.BUILDING
    row.attempts += 1
    row.progress = 0
    row.steps_done = 0
    row.steps_total = 0
    row.error = ""
    row.started_at = now
    row.heartbeat_at = now
    row.finished_at = None
    row.save(
        update_fields=[
            "status",
            "attempts",
            "progress",
            "steps_done",
            "steps_total",
            "error",
            "started_at",
            "heartbeat_at",
            "finished_at",
        ]
    )
    return row.attempts


def _progress_writer(document: Document, attempt: int):
    """``progress(done, total)`` for the builder: one short UPDATE when the percentage
    moves or every ``PROGRESS_EVERY`` seconds, visible at once to the polling page."""
    last = {"percent": 0, "total": 0, "at": time.monotonic()}

    def progress(done: int, total: int) -> None:
        done, total = max(int(done), 0), max(int(total), 0)
        percent = min(100, done * 100 // total) if total else 0
        now = time.monotonic()
        unchanged = percent == last["percent"] and total == last["total"]
        if unchanged and now - last["at"] < PROGRESS_EVERY:
            return
        updated = Document.objects.filter(
            pk=document.pk, attempts=attempt, status=Document.Status.BUILDING
        ).update(
            progress=percent,
            steps_done=min(done, total) if total else done,
            steps_total=total,
            heartbeat_at=timezone.now(),
        )
        if not updated:
            raise Superseded
        last.update(percent=percent, total=total, at=now)
        document.progress, document.steps_done, document.steps_total = percent, done, total

    return progress


def _finish(document: Document, attempt: int, built: Built) -> None:
    """Store the complete file, then mark the row ready (if still this attempt's)."""
    path = Path(built.path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        name = document.file.storage.save(
            document.file.field.generate_filename(document, built.filename), File(handle)
        )
    try:
        _mark_ready(document, attempt, built, name, size)
    except BaseException:
        # Superseded, or the row could not be saved: no orphan file left behind.
        document.file.storage.delete(name)
        raise


@transaction.atomic
def _mark_ready(document: Document, attempt: int, built: Built, name: str, size: int) -> None:
    row = Document.objects.select_for_update().filter(pk=document.pk).first()
    if row is None or row.attempts != attempt or row.status != Document.Status.BUILDING:
        raise Superseded
    row.file.name = name
    row.filename = built.filename
    row.content_type = built.content_type
    row.size = size
    row.status = Document.Status.READY
    row.progress = 100
    if row.steps_total:
        row.steps_done = row.steps_total
    row.error = ""
    row.heartbeat_at = row.finished_at = timezone.now()
    row.save(
        update_fields=[
            "file",
            "filename",
            "content_type",
            "size",
            "status",
            "progress",
            "steps_done",
            "error",
            "heartbeat_at",
            "finished_at",
        ]
    )


def _fail(document: Document, attempt: int, message: str) -> None:
    now = timezone.now()
    Document.objects.filter(
        pk=document.pk, attempts=attempt, status=Document.Status.BUILDING
    ).update(
        status=Document.Status.FAILED,
        error=message,
        heartbeat_at=now,
        finished_at=now,
    )
