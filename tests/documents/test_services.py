"""The documents pipeline: pending → building → ready / failed, progress written while
the builder runs, retries, stale builds, idempotent task, no file before the end."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from documents import services
from documents.builders import BuildError
from documents.models import Document, stale_after
from documents.tasks import build_document_task
from organisations.models import AuditEntry
from presences.models import AttendanceChange
from tests.factories import DocumentFactory, SessionFactory, build_programme

pytestmark = pytest.mark.django_db


def ask(world, kind=Document.Kind.ATTESTATION, **kwargs):
    subjects = {
        Document.Kind.ATTESTATION: {"programme": world.programme, "person": world.member},
        Document.Kind.ATTESTATIONS: {"programme": world.programme, "cohort": world.cohort},
        Document.Kind.ATTENDANCE_SHEET: {"session": world.session},
        Document.Kind.FILLED_ATTENDANCE_SHEET: {"session": world.session},
    }.get(kind, {})
    with scope(organisation=world.organisation.pk):
        return services.request_document(
            organisation=world.organisation,
            acting_user=kwargs.pop("acting_user", world.coordinator),
            kind=kind,
            title=kwargs.pop("title", "Attestation de test"),
            **{**subjects, **kwargs},
        )


def fresh(world, document):
    with scope(organisation=world.organisation.pk):
        return Document.objects.get(pk=document.pk)


@pytest.fixture
def no_dispatch(monkeypatch):
    """Requests create their rows but no build runs (a busy queue)."""
    sent = []
    monkeypatch.setattr(
        build_document_task, "apply_async", lambda args, **options: sent.append(args)
    )
    return sent


# --- The happy path -------------------------------------------------------------------


def test_request_builds_the_document_after_commit(world):
    document = fresh(world, ask(world))
    assert document.status == Document.Status.READY
    assert document.progress == 100
    assert (document.steps_done, document.steps_total) == (4, 4)
    assert document.attempts == 1
    assert document.filename == "document.pdf"
    assert document.content_type == "application/pdf"
    with document.file.open("rb") as handle:
        assert handle.read() == b"%PDF-fake Attestation de test"
    assert document.size == len(b"%PDF-fake Attestation de test")
    assert document.file.name.startswith(f"documents/{world.organisation.pk}/")
    assert document.started_at <= document.finished_at
    assert document.requested_by == world.coordinator
    assert document.person == world.member
    # The builder's temporary file is gone once stored.
    assert not world.fake.paths[0].exists()
    with scope(organisation=world.organisation.pk):
        entry = AuditEntry.objects.get(action=services.Action.DOCUMENT_REQUESTED)
    assert entry.actor == world.coordinator
    assert entry.target == "Attestation de test"
    assert entry.data["document_id"] == document.pk


def test_progress_is_written_while_the_builder_runs_and_no_file_before_the_end(world):
    seen = []

    def look(document, progress):
        progress(37, 100)
        with scopes_disabled():
            row = Document.objects.get(pk=document.pk)
        seen.append((row.status, row.progress, row.steps_done, row.steps_total, bool(row.file)))
        assert row.heartbeat_at is not None

    world.fake.during = look
    document = fresh(world, ask(world))
    assert seen == [(Document.Status.BUILDING, 37, 37, 100, False)]
    assert document.status == Document.Status.READY


def test_progress_reports_are_throttled(world):
    seen = []

    def look(document, progress):
        progress(0, 1000)
        progress(4, 1000)  # still 0 %, less than half a second later: not written
        with scopes_disabled():
            seen.append(Document.objects.values_list("steps_done", "steps_total").get())
        progress(10, 1000)  # 1 %: written
        with scopes_disabled():
            seen.append(Document.objects.values_list("steps_done", "progress").get())

    world.fake.steps = 0
    world.fake.during = look
    ask(world)
    assert seen == [(0, 1000), (10, 1)]


@pytest.mark.django_db(transaction=True)
def test_the_builder_runs_outside_any_transaction(fake_builder):
    with scopes_disabled():
        built = build_programme(teams=1)
    inside = []
    fake_builder.during = lambda document, progress: inside.append(connection.in_atomic_block)
    with scope(organisation=built.organisation.pk):
        document = DocumentFactory(
            organisation=built.organisation, kind="attestations", programme=built.programme
        )
        services.build_document(document=document)
        document.refresh_from_db()
    assert inside == [False]
    assert document.status == Document.Status.READY


# --- Failures -------------------------------------------------------------------------


def test_a_build_error_fails_with_its_message(world):
    def refuse(document, progress):
        raise BuildError("Cette personne n'a assisté à aucune séance.")

    world.fake.during = refuse
    document = fresh(world, ask(world))
    assert document.status == Document.Status.FAILED
    assert document.error == "Cette personne n'a assisté à aucune séance."
    assert not document.file
    assert document.finished_at is not None


def test_an_unexpected_error_fails_with_a_plain_message_and_is_logged(world, caplog):
    def crash(document, progress):
        raise RuntimeError("disk on fire")

    world.fake.during = crash
    with caplog.at_level(logging.ERROR, logger="documents.services"):
        document = fresh(world, ask(world))
    assert document.status == Document.Status.FAILED
    assert document.error == (
        "La création du document a échoué. Réessayez ; si le problème persiste, "
        "contactez l'équipe Sillon."
    )
    assert "disk on fire" not in document.error
    assert any("disk on fire" in (r.exc_text or "") for r in caplog.records)
    assert not document.file


# --- Idempotent task, lost workers, superseded builds ---------------------------------


def test_the_task_leaves_a_ready_or_failed_document_alone(world):
    with scope(organisation=world.organisation.pk):
        ready = DocumentFactory(organisation=world.organisation, ready=True)
        failed = DocumentFactory(organisation=world.organisation, failed=True)
    build_document_task(world.organisation.pk, ready.pk)
    build_document_task(world.organisation.pk, failed.pk)
    build_document_task(world.organisation.pk, 999_999)  # deleted meanwhile
    assert world.fake.calls == 0
    assert fresh(world, ready).status == Document.Status.READY
    assert fresh(world, failed).status == Document.Status.FAILED


def test_a_redelivered_task_takes_over_a_build_whose_worker_died(world):
    with scope(organisation=world.organisation.pk):
        document = DocumentFactory(
            organisation=world.organisation,
            programme=world.programme,
            person=world.member,
            status="building",
            attempts=1,
            progress=40,
            started_at=timezone.now() - timedelta(minutes=15),
            heartbeat_at=timezone.now() - timedelta(minutes=15),
        )
    build_document_task(world.organisation.pk, document.pk)
    document = fresh(world, document)
    assert document.status == Document.Status.READY
    assert document.attempts == 2
    assert document.interruptions == 1


def test_a_duplicate_message_leaves_a_live_build_alone(world):
    with scope(organisation=world.organisation.pk):
        document = DocumentFactory(
            organisation=world.organisation,
            programme=world.programme,
            person=world.member,
            status="building",
            attempts=1,
            progress=40,
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
    build_document_task(world.organisation.pk, document.pk)
    document = fresh(world, document)
    assert (document.status, document.attempts, document.progress) == ("building", 1, 40)
    assert world.fake.calls == 0


def test_a_superseded_build_stops_without_touching_the_row_or_storing_a_file(world, settings):
    def superseded(document, progress):
        # Meanwhile the row was claimed by another build (a redelivered message).
        with scopes_disabled():
            Document.objects.filter(pk=document.pk).update(attempts=F("attempts") + 1)
        progress(1, 2)

    world.fake.during = superseded
    document = fresh(world, ask(world))
    assert document.status == Document.Status.BUILDING
    assert document.attempts == 2
    assert not document.file
    assert not list((settings.MEDIA_ROOT / "documents").glob("**/*.pdf"))


def test_a_build_superseded_at_the_end_leaves_no_file(world, settings):
    def retried(document, progress):
        with scopes_disabled():
            Document.objects.filter(pk=document.pk).update(status="pending")

    world.fake.during = retried
    document = fresh(world, ask(world))
    assert document.status == Document.Status.PENDING
    assert not document.file
    assert not [p for p in settings.MEDIA_ROOT.glob("**/*") if p.is_file()]


# --- Requesting -----------------------------------------------------------------------


def test_asking_again_returns_the_document_being_built(world, no_dispatch):
    first = ask(world)
    again = ask(world)
    assert again.pk == first.pk
    assert len(no_dispatch) == 1
    # Someone else asking gets their own; another person's attestation is another one.
    assert ask(world, acting_user=world.member).pk != first.pk
    with scope(organisation=world.organisation.pk):
        world.session.facilitators.add(world.coordinator)
    assert ask(world, Document.Kind.ATTENDANCE_SHEET).pk != first.pk


def test_asking_again_while_a_dead_build_is_taken_back_returns_it(world, no_dispatch):
    first = ask(world)
    with scopes_disabled():
        services._claim(first)  # a worker took it, then died
    with time_machine.travel(timezone.now() + stale_after() + timedelta(minutes=1)):
        assert fresh(world, first).is_stale
        again = ask(world)
    # No second build: the sweep takes the first one back on its own.
    assert again.pk == first.pk
    assert len(no_dispatch) == 1


def test_a_filled_sheet_needs_recorded_attendance(world):
    with scopes_disabled():
        empty = SessionFactory(programme=world.programme, kind=world.kind, past=True)
    with pytest.raises(ValidationError) as error:
        ask(world, Document.Kind.FILLED_ATTENDANCE_SHEET, session=empty)
    assert error.value.message_dict["filled"][0].startswith(
        "Aucune présence n'est encore enregistrée pour cette séance"
    )
    blank = fresh(world, ask(world, Document.Kind.ATTENDANCE_SHEET, session=empty))
    assert blank.programme == world.programme
    filled = fresh(world, ask(world, Document.Kind.FILLED_ATTENDANCE_SHEET))
    assert filled.status == Document.Status.READY


def test_no_attestation_for_someone_who_attended_nothing(world):
    with pytest.raises(ValidationError) as error:
        ask(world, person=world.teammate)
    assert (
        "n'a assisté à aucune séance terminée de ce programme"
        in (error.value.message_dict["person"][0])
    )


def test_subjects_must_belong_to_the_organisation(world):
    with scopes_disabled():
        foreign = build_programme(teams=1)
    with pytest.raises(ValidationError, match="ne concerne pas cette organisation"):
        ask(world, Document.Kind.ATTESTATIONS, programme=foreign.programme, cohort=None)
    with pytest.raises(ValidationError):
        ask(world, Document.Kind.ATTESTATIONS, cohort=foreign.cohort)
    with pytest.raises(ValidationError, match="Type de document inconnu"):
        ask(world, "synthesis", programme=world.programme)


# --- Retrying -------------------------------------------------------------------------


def test_retrying_a_failed_document_builds_it_again(world):
    with scope(organisation=world.organisation.pk):
        document = DocumentFactory(
            organisation=world.organisation,
            programme=world.programme,
            person=world.member,
            failed=True,
            attempts=1,
        )
        services.retry_document(document=document, acting_user=world.coordinator)
        document.refresh_from_db()
        entry = AuditEntry.objects.get(action=services.Action.DOCUMENT_RETRIED)
    assert document.status == Document.Status.READY
    assert document.error == ""
    assert document.attempts == 2
    assert entry.actor == world.coordinator


def test_a_dead_build_is_not_retried_by_hand_the_sweep_takes_it_back(world, no_dispatch):
    document = ask(world)
    with scopes_disabled():
        services._claim(document)
    later = timezone.now() + stale_after() + timedelta(minutes=1)
    refused = pytest.raises(ValidationError, match="n'a pas échoué")
    with time_machine.travel(later), scope(organisation=world.organisation.pk), refused:
        services.retry_document(document=document, acting_user=world.coordinator)
    assert len(no_dispatch) == 1


def test_only_failed_or_stale_documents_are_retried(world, no_dispatch):
    building = ask(world)
    with scope(organisation=world.organisation.pk):
        ready = DocumentFactory(organisation=world.organisation, ready=True)
        for document in (building, ready):
            with pytest.raises(ValidationError, match="n'a pas échoué"):
                services.retry_document(document=document, acting_user=world.coordinator)
    assert len(no_dispatch) == 1


# --- Caps: what an impatient or abusive requester costs ------------------------------


def test_asking_again_soon_after_returns_the_ready_document_unless_attendance_changed(
    world, fake_builder
):
    first = ask(world)
    assert fresh(world, first).status == Document.Status.READY
    # A double click, or five impatient clicks: the same document, no new build.
    for _ in range(4):
        assert ask(world).pk == first.pk
    assert fake_builder.calls == 1
    # Attendance recorded since: a new build.
    with scope(organisation=world.organisation.pk):
        AttendanceChange.objects.create(
            organisation=world.organisation, session=world.session, actor=world.trainer
        )
    assert ask(world).pk != first.pk
    # Long after, with nothing changed: a new build too.
    with time_machine.travel(timezone.now() + services.RECENT + timedelta(seconds=5)):
        assert ask(world).pk != first.pk


def test_an_account_starts_at_most_so_many_builds_an_hour(world, monkeypatch, no_dispatch):
    monkeypatch.setattr(services, "BUILDS_PER_HOUR", 2)
    ask(world, title="Un")
    ask(world, Document.Kind.ATTESTATIONS, title="Deux")
    with pytest.raises(ValidationError, match="Vous avez demandé 2 documents en moins d'une heure"):
        ask(world, Document.Kind.FILLED_ATTENDANCE_SHEET, title="Trois")
    with scopes_disabled():
        assert Document.objects.count() == 2
    # Someone else is not held back by it.
    ask(world, acting_user=world.member)
    with scopes_disabled():
        assert Document.objects.count() == 3
