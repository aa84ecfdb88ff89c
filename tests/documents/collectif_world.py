"""Seed 001 after the day, for the émargement and the attestations: the seminar of
``tests.presences.collectifs`` (10 December 2026), attendance recorded and the sheet
validated, workshop attendance taken for « Atelier A » only. Read back with pdftotext."""

import subprocess
from types import SimpleNamespace

import pytest
import time_machine
from django_scopes import scope

from presences import services
from presences.models import AttendanceSheet
from tests.factories import DocumentFactory, MembershipFactory, OrganisationFactory
from tests.presences.collectifs import build_seminar, paris

DAY = paris(2026, 12, 10).date()
AFTER = paris(2026, 12, 11, 10)


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


class Progress:
    def __call__(self, done, total):
        pass


def build_bytes(world, builder, **subject) -> bytes:
    document = DocumentFactory(
        organisation=world.organisation, kind=subject.pop("kind"), title="Document", **subject
    )
    with scope(organisation=world.organisation.pk):
        built = builder(document, Progress())
    try:
        return built.path.read_bytes()
    finally:
        built.path.unlink()


@pytest.fixture(name="seminar")
def seminar_world(db, settings, tmp_path) -> SimpleNamespace:
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(paris(2026, 12, 10, 16), tick=False):
        organisation = OrganisationFactory(slug="cnfpt", name="CNFPT Hauts-de-France")
        trainer = MembershipFactory(
            organisation=organisation,
            trainer=True,
            user__first_name="Paule",
            user__last_name="Formatrice",
        ).user
        with scope(organisation=organisation.pk):
            world = build_seminar(organisation, trainer=trainer)
            session = world.session
            for user, am, pm in (
                (world.alice, "present", "present"),
                (world.bruno, "present", "absent"),
                (world.chloe, "absent", "absent"),
                (world.denis, "present", "present"),
                (world.emma, "partial", "present"),
            ):
                for half_day, status in (("am", am), ("pm", pm)):
                    services.record_attendance(
                        session=session,
                        acting_user=trainer,
                        user=user,
                        day=DAY,
                        half_day=half_day,
                        status=status,
                    )
            # Workshop attendance taken for A only: Alice present, Bruno came from B,
            # Denis absent. Nobody's C, D or B attendance was taken.
            for user, status in (
                (world.alice, "present"),
                (world.bruno, "present"),
                (world.denis, "absent"),
            ):
                services.record_workshop_attendance(
                    session=session,
                    workshop=world.workshops.a,
                    acting_user=trainer,
                    user_id=user.pk,
                    status=status,
                )
    with time_machine.travel(AFTER, tick=False):
        with scope(organisation=organisation.pk):
            AttendanceSheet.objects.filter(session=session).update(
                status=AttendanceSheet.Status.VALIDATED, validated_at=AFTER, validated_by=trainer
            )
        yield world
