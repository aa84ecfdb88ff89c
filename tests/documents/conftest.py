"""A programme with its people, and fake builders standing in for the real ones (tested
by their own helper): each writes a small file, reporting its progress as asked."""

import tempfile
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from documents import builders
from documents.extensions import document_builders
from documents.models import Document
from presences.models import AttendanceSheet
from tests.factories import (
    AttendanceFactory,
    MembershipFactory,
    SessionFactory,
    build_programme,
)


class FakeBuilder:
    """Writes ``%PDF-fake <title>`` to a temporary file; ``steps`` progress reports;
    ``during(document, progress)`` runs in the middle (to look at the row, or fail)."""

    def __init__(self):
        self.steps = 4
        self.during = None
        self.calls = 0
        self.paths: list[Path] = []

    def __call__(self, document, progress):
        self.calls += 1
        for done in range(self.steps + 1):
            progress(done, self.steps)
        if self.during is not None:
            self.during(document, progress)
        with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
            handle.write(f"%PDF-fake {document.title}".encode())
        path = Path(handle.name)
        self.paths.append(path)
        return builders.Built(path, "document.pdf", "application/pdf")


@pytest.fixture
def fake_builder(contribute, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    fake = FakeBuilder()
    # Contributed after the real builders, it replaces them for every kind.
    contribute(
        document_builders, lambda sender, **kwargs: dict.fromkeys(Document.Kind.values, fake)
    )
    return fake


@pytest.fixture
def world(db, fake_builder):
    """A published programme with two teams of three; a coordinator, the trainer who
    runs a past session, another trainer, an observer; the first member of the first
    team attended that session, whose sheet is validated."""
    with scopes_disabled():
        built = build_programme()
        org = built.organisation
        built.coordinator = MembershipFactory(organisation=org, coordinator=True).user
        built.trainer = MembershipFactory(organisation=org, trainer=True).user
        built.other_trainer = MembershipFactory(organisation=org, trainer=True).user
        built.observer = MembershipFactory(organisation=org, observer=True).user
        members = [m.user for m in built.teams[0].members.select_related("user").order_by("pk")]
        built.member, built.teammate = members[0], members[1]
        built.other_member = built.teams[1].members.select_related("user").first().user
        built.session = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="Formation J1",
            past=True,
            facilitators=[built.trainer],
        )
        AttendanceFactory(session=built.session, user=built.member, team=built.teams[0])
        # Validated: a final attestation may be asked for.
        AttendanceSheet.objects.create(
            organisation=org, session=built.session, status=AttendanceSheet.Status.VALIDATED
        )
        built.fake = fake_builder
    return built
