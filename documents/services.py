"""Generated documents' workflow: ask for one, build it in the background, retry it.

The row is written (pending) in the request's transaction and its build sent to the
broker once committed; the broker down, it waits, and the sweep sends it later
(``documents.queue``, which also takes back builds whose worker died).

pending → building → ready, or failed with a message the page shows as it is. The file
is stored only once complete (``Document.file`` is set at the very end), so a half-built
one is never offered. The builder runs outside any long transaction: its progress is
written with short updates the polling page sees at once.

Each build claims the row by raising ``attempts``: progress and the final save only
apply while the row is still that attempt's, so a build superseded by a redelivered or
retried one stops at its next progress report and never overwrites the newer one.
"""

import logging
import secrets
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from codev.models import Case
from documents import queue
from documents.actions import Action
from documents.builders import BuildError, Built, get_builder
from documents.models import Attestation, Document
from organisations.models import Organisation
from organisations.services import record
from presences.models import Attendance, AttendanceChange
from presences.records import Period, PersonRecord, format_duration, person_record
from sillon import ratelimit
from sillon.formatting import format_day

logger = logging.getLogger(__name__)

# A progress report is written when the percentage moves, or at least this often (the
# heartbeat that tells a slow build from a dead one).
PROGRESS_EVERY = 0.5  # seconds

SHEET_KINDS = (Document.Kind.ATTENDANCE_SHEET, Document.Kind.FILLED_ATTENDANCE_SHEET)
ACTIVE = (Document.Status.PENDING, Document.Status.BUILDING)
ATTESTATION_KINDS = (Document.Kind.ATTESTATION, Document.Kind.ATTESTATIONS)
# The same document asked for again this soon after it was made, with no attendance
# changed since, is the one already made (a double click, an impatient requester).
RECENT = timedelta(minutes=2)
# Builds one account may start per hour (each costs seconds of a worker).
BUILDS_PER_HOUR = 30


def _attendance_changed_since(moment, *, programme, session) -> bool:
    """Whether any attendance of ``session`` (or of ``programme``'s sessions) was
    recorded, signed, validated or reopened since ``moment``."""
    changes = AttendanceChange.objects.filter(at__gte=moment)
    if session is not None:
        return changes.filter(session=session).exists()
    if programme is not None:
        return changes.filter(session__programme=programme).exists()
    return changes.exists()


def failure_message() -> str:
    return _(
        "La création du document a échoué. Réessayez ; si le problème persiste, "
        "contactez l'équipe Sillon."
    )


def too_long_message() -> str:
    return _(
        "La création du document a pris trop de temps et a été arrêtée. Demandez un "
        "document plus petit (une promotion plutôt que tout le programme, une période "
        "plus courte), ou contactez l'équipe Sillon."
    )


class Superseded(Exception):
    """The row is no longer this build's (retried or claimed again): stop quietly."""


# --- Requesting ------------------------------------------------------------------------


def _check_subjects(
    *, organisation: Organisation, kind: str, programme, cohort, session, person, plan=None
):
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
    if kind == Document.Kind.CODEV_RECORD:
        _check_codev_record(session)
    if kind == Document.Kind.ACTION_PLAN:
        _check_action_plan(organisation, programme, plan)
    if kind in ATTESTATION_KINDS and programme is None:
        raise ValidationError(_("Choisissez le programme de l'attestation."))
    if kind == Document.Kind.ATTESTATION and person is None:
        raise ValidationError({"person": _("Choisissez la personne de l'attestation.")})


def _check_codev_record(session) -> None:
    """A CODEV séance's record needs the séance, and its case."""
    if session is None:
        raise ValidationError(_("Choisissez la séance de CODEV du compte rendu."))
    if not Case.objects.filter(group_session__session=session).exists():
        raise ValidationError(_("Cette séance n'a pas encore de cas : pas de compte rendu."))


def _check_action_plan(organisation, programme, plan) -> None:
    """A plan's PDF needs the plan, of this organisation and programme."""
    if plan is None:
        raise ValidationError(_("Choisissez le plan d'action du document."))
    if plan.organisation_id != organisation.pk or (
        programme is not None and plan.programme_id != programme.pk
    ):
        raise ValidationError(_("Ce plan n'appartient pas à ce programme."))


def _changed_since(recent: Document, *, programme, session, plan) -> bool:
    """Whether what ``recent`` shows changed since it was asked for: the plan (touched
    since), or the attendance of its session or programme."""
    if plan is not None:
        return plan.touched_at is not None and plan.touched_at >= recent.created_at
    return _attendance_changed_since(recent.created_at, programme=programme, session=session)


def local_today(organisation: Organisation) -> date:
    return timezone.now().astimezone(ZoneInfo(organisation.time_zone)).date()


def default_period(programme, organisation: Organisation) -> Period:
    """From the programme's start to today (to the start, for a programme to come)."""
    today = local_today(organisation)
    return Period(programme.start_date, max(today, programme.start_date))


def _check_period(period_start, period_end) -> None:
    if period_start is not None and period_end is not None and period_end < period_start:
        raise ValidationError(
            {"period_end": _("La fin de la période ne peut pas précéder son début.")}
        )


def pending_message(pending) -> str:
    """Why a final attestation is refused: the sessions whose sheet is not validated."""
    names = ", ".join(
        _("« %(title)s » (%(day)s)")
        % {"title": session.title, "day": format_day(session.starts_at.date(), weekday=False)}
        for session in pending
    )
    return _(
        "Attestation définitive impossible : la feuille d'émargement de ces séances n'est "
        "pas encore validée : %(sessions)s. Demandez une attestation provisoire, ou "
        "attendez la validation."
    ) % {"sessions": names}


def no_attendance_in_period(person, period: Period) -> str:
    return _(
        "%(name)s n'a assisté à aucune séance terminée de ce programme entre le %(start)s "
        "et le %(end)s : pas d'attestation de participation."
    ) % {
        "name": person.get_full_name() or person.email,
        "start": format_day(period.starts_on, weekday=False),
        "end": format_day(period.ends_on, weekday=False),
    }


def _check_attestation(*, programme, person, period: Period, provisional: bool) -> None:
    """The person attended something in the period; a final attestation only from
    validated sheets."""
    found = person_record(programme=programme, user=person, period=period)
    if not found.attended:
        raise ValidationError({"person": no_attendance_in_period(person, period)})
    if found.provisional and not provisional:
        raise ValidationError({"provisional": pending_message(found.pending)})


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
    period_start: date | None = None,
    period_end: date | None = None,
    provisional: bool = False,
    plan=None,
) -> Document:
    """Create the row (pending) and dispatch its build once committed (the broker out of
    reach, it stays queued for the sweep). The same requester asking
    again for a document still queued or being built, or made less than ``RECENT``
    ago with no attendance changed since, gets that one back; past ``BUILDS_PER_HOUR``
    new builds in an hour, they are refused.

    Attestations cover a period (by default from the programme's start to today); a
    final one is refused while the person is recorded on a sheet not validated yet
    (``provisional=True`` asks for a provisional one, watermarked and not registered).
    A cohort's ZIP makes each attestation final or provisional by itself."""
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Type de document inconnu.")})
    if session is not None and programme is None:
        programme = session.programme
    if cohort is not None and programme is None:
        programme = cohort.programme
    if plan is not None and programme is None:
        programme = plan.programme
    _check_subjects(
        organisation=organisation,
        kind=kind,
        programme=programme,
        cohort=cohort,
        session=session,
        person=person,
        plan=plan,
    )
    if kind in ATTESTATION_KINDS:
        _check_period(period_start, period_end)
        default = default_period(programme, organisation)
        period = Period(period_start or default.starts_on, period_end or default.ends_on)
        _check_period(period.starts_on, period.ends_on)
        period_start, period_end = period.starts_on, period.ends_on
        if kind == Document.Kind.ATTESTATION:
            _check_attestation(
                programme=programme, person=person, period=period, provisional=provisional
            )
        else:
            provisional = False
    else:
        period_start = period_end = None
        provisional = False
    same = Document.objects.filter(
        organisation=organisation,
        requested_by=acting_user,
        kind=kind,
        programme=programme,
        cohort=cohort,
        session=session,
        person=person,
        plan=plan,
        period_start=period_start,
        period_end=period_end,
        provisional=provisional,
    )
    active = same.filter(status__in=ACTIVE).order_by("-created_at", "-pk").first()
    if active is not None:
        return active
    recent = (
        same.filter(status=Document.Status.READY, finished_at__gte=timezone.now() - RECENT)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if recent is not None and not _changed_since(
        recent, programme=programme, session=session, plan=plan
    ):
        return recent
    if not ratelimit.hit("documents", acting_user.pk, limit=BUILDS_PER_HOUR, window=3600):
        raise ValidationError(
            _(
                "Vous avez demandé %(limit)d documents en moins d'une heure, le maximum "
                "pour un compte : réessayez dans une heure, ou téléchargez ceux déjà prêts "
                "dans « Documents »."
            )
            % {"limit": BUILDS_PER_HOUR}
        )
    document = Document(
        organisation=organisation,
        kind=kind,
        title=title[:300],
        requested_by=acting_user,
        programme=programme,
        cohort=cohort,
        session=session,
        person=person,
        plan=plan,
        period_start=period_start,
        period_end=period_end,
        provisional=provisional,
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
    queue.dispatch(document)
    return document


@transaction.atomic
def retry_document(*, document: Document, acting_user) -> Document:
    """Start a failed build again (a build whose worker died needs nobody: the sweep
    takes it back on its own)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.is_failed:
        raise ValidationError(
            _("Ce document n'a pas échoué : il est prêt ou en cours de création.")
        )
    document.status = Document.Status.PENDING
    document.error = ""
    document.interruptions = 0
    document.dispatched_at = None
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
            "interruptions",
            "dispatched_at",
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
    queue.dispatch(document)
    return document


# --- Building --------------------------------------------------------------------------


def build_document(*, document: Document, heartbeat: bool = False) -> Document:
    """Build ``document`` (called by the Celery task; safe to run again: a ready or
    failed row is left alone, a live build too, and one whose worker died is taken
    over). ``heartbeat``: beat on the row from a thread while building (in a worker)."""
    attempt = _claim(document)
    if attempt is None:
        return Document.objects.get(pk=document.pk)
    if heartbeat:
        with queue.Heartbeat(document.pk, attempt):
            return _build(document, attempt)
    return _build(document, attempt)


def _build(document: Document, attempt: int) -> Document:
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
    except SoftTimeLimitExceeded:
        logger.error("Build of document %s took too long (attempt %s)", document.pk, attempt)
        _fail(document, attempt, too_long_message())
    except Exception:
        logger.exception("Build of document %s failed (attempt %s)", document.pk, attempt)
        _fail(document, attempt, failure_message())
    finally:
        if built is not None:
            Path(built.path).unlink(missing_ok=True)
    return Document.objects.get(pk=document.pk)


@transaction.atomic
def _claim(document: Document) -> int | None:
    """pending (or building, after a lost worker) → building; the attempt's number.
    ``None``: nothing to do (done, failed, or a live build has it)."""
    row = Document.objects.select_for_update().filter(pk=document.pk).first()
    if row is None or row.status not in ACTIVE:
        return None
    if row.status == Document.Status.BUILDING and not (row.is_stale and queue.take_back(row)):
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


# --- The attestations' registry ----------------------------------------------------------

NUMBER_FORMAT = "ATT-{year}-{sequence:06d}"


def _snapshot(found: PersonRecord) -> list[dict]:
    rows = []
    for attended in found.sessions:
        minutes = round(attended.duration.total_seconds() / 60)
        rows.append(
            {
                "title": attended.session.title,
                "days": [day.isoformat() for day, _slots in attended.days],
                "minutes": minutes,
                "hours": format_duration(attended.duration),
            }
        )
    return rows


@transaction.atomic
def issue_attestation(
    *,
    organisation: Organisation,
    programme,
    found: PersonRecord,
    period: Period,
    acting_user=None,
    document: Document | None = None,
) -> Attestation:
    """Register a final attestation: the next number of the organisation's sequence, a
    random verification token, and what it states. The valid one for the same person,
    programme and period is revoked (replaced). Refused for a record with sheets not
    validated, or with nothing attended."""
    if not found.attended:
        raise ValidationError(no_attendance_in_period(found.user, period))
    if found.provisional:
        raise ValidationError(pending_message(found.pending))
    # The organisation's row is the sequence's lock: two builds never take one number.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    last = Attestation.objects.filter(organisation=organisation).aggregate(last=Max("sequence"))
    sequence = (last["last"] or 0) + 1
    now = timezone.now()
    year = now.astimezone(ZoneInfo(organisation.time_zone)).year
    number = NUMBER_FORMAT.format(year=year, sequence=sequence)
    user = found.user
    attestation = Attestation(
        organisation=organisation,
        sequence=sequence,
        number=number,
        token=secrets.token_urlsafe(24),
        person=user,
        holder_name=(user.get_full_name() or user.email)[:300],
        programme=programme,
        programme_name=programme.name[:300],
        period_start=period.starts_on,
        period_end=period.ends_on,
        total_minutes=round(found.duration.total_seconds() / 60),
        sessions=_snapshot(found),
        issued_at=now,
        issued_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        document=document,
    )
    attestation.save()
    replaced = Attestation.objects.filter(
        organisation=organisation,
        person=user,
        programme=programme,
        period_start=period.starts_on,
        period_end=period.ends_on,
        revoked_at__isnull=True,
    ).exclude(pk=attestation.pk)
    for previous in replaced:
        _revoke(
            previous,
            acting_user=acting_user,
            reason=_("Remplacée par %(number)s") % {"number": number},
        )
    record(
        organisation=organisation,
        actor=acting_user,
        action=Action.ATTESTATION_ISSUED,
        target=f"{number} — {attestation.holder_name}",
        attestation_id=attestation.pk,
        number=number,
    )
    return attestation


def _revoke(attestation: Attestation, *, acting_user, reason: str) -> None:
    attestation.revoked_at = timezone.now()
    attestation.revoked_by = (
        acting_user if getattr(acting_user, "is_authenticated", False) else None
    )
    attestation.revocation_reason = reason[:300]
    attestation.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    record(
        organisation=attestation.organisation,
        actor=acting_user,
        action=Action.ATTESTATION_REVOKED,
        target=f"{attestation.number} — {attestation.holder_name}",
        attestation_id=attestation.pk,
        number=attestation.number,
        reason=attestation.revocation_reason,
    )


@transaction.atomic
def revoke_attestation(*, attestation: Attestation, acting_user, reason: str) -> Attestation:
    """A coordinator withdraws an attestation: the verification page stops confirming it."""
    attestation = Attestation.objects.select_for_update().get(pk=attestation.pk)
    reason = (reason or "").strip()
    if attestation.is_revoked:
        raise ValidationError(_("Cette attestation est déjà révoquée."))
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de la révocation.")})
    _revoke(attestation, acting_user=acting_user, reason=reason)
    return attestation
