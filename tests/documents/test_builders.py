"""The PDF builders of attendance sheets (blank, filled), read back with pypdf. The
attestations are tested in ``test_attestations.py``."""

import io
import re

import pytest
from django_scopes import scope
from pypdf import PdfReader

from documents.attendance_sheets import build_blank_sheet, build_filled_sheet, half_day_heading
from documents.attestations import build_attestation, build_attestations
from documents.builders import BuildError, get_builder
from documents.filenames import UniqueNames, ascii_filename
from documents.models import Document
from presences.models import AttendanceSheet, SheetParticipant
from tests.documents.attestation_world import PARIS, VISIO_DAY, at, build_world, text_of
from tests.documents.attestation_world import build as build_attestation_world_document
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Attendance recorded, no sheet validated (see ``attestation_world``)."""
    return build_world(validated=False)


def build(document_kind, world, builder=None, **subject):
    built, progress, _document = build_attestation_world_document(
        document_kind, world, builder=builder, **subject
    )
    return built, progress


# --- Attendance sheets --------------------------------------------------------------


def test_half_day_headings_are_short_french(world):
    from presences.halfdays import half_days

    with scope(organisation=world.organisation.pk):
        slots = half_days(world.training, PARIS)
    assert [half_day_heading(s) for s in slots] == [
        "mer. 9 déc. matin",
        "mer. 9 déc. après-midi",
        "jeu. 10 déc. matin",
        "jeu. 10 déc. après-midi",
    ]


def test_the_blank_sheet_has_names_and_half_day_headers(world):
    trainer = UserFactory(first_name="Camille", last_name="Formatrice")
    with scope(organisation=world.organisation.pk):
        world.training.facilitators.set([trainer])
    built, progress = build(
        Document.Kind.ATTENDANCE_SHEET, world, builder=build_blank_sheet, session=world.training
    )
    try:
        content = built.path.read_bytes()
        assert built.filename == "Emargement - Formation J1 J2 la gouvernance.pdf"
    finally:
        built.path.unlink()
    text = text_of(content)
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # four half-days: landscape
    assert "Feuille d’émargement" in text
    assert "Formation J1/J2 : la gouvernance" in text
    assert "du mercredi 9 décembre 2026, 9 h 30 au jeudi 10 décembre 2026, 17 h" in text
    assert "Hôtel de Région" in text
    assert "Camille Formatrice" in text
    for heading in ("mer. 9 déc. matin", "mer. 9 déc. après-midi", "jeu. 10 déc. matin"):
        assert heading in text
    assert "jeu. 10 déc. après-midi" in text
    with scope(organisation=world.organisation.pk):
        for team in world.teams:
            assert team.name in text
            for member in team.members.select_related("user", "role"):
                assert member.user.get_full_name() in text
                assert member.role.name in text
    assert "Participant·es non prévu·es" in text
    assert "Signature des intervenant·es" in text
    assert "Présent·e" not in text
    # Blank: empty boxes, no totals, no electronic signature, no validation.
    assert "Totaux par demi-journée" not in text
    assert "signé électroniquement" not in text and "validé le" not in text
    assert progress.calls == [(0, 2), (1, 2), (2, 2)]


def test_a_short_visio_sheet_is_portrait_and_says_visio(world):
    built, _progress = build(
        Document.Kind.ATTENDANCE_SHEET, world, builder=build_blank_sheet, session=world.visio
    )
    try:
        content = built.path.read_bytes()
    finally:
        built.path.unlink()
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert page.mediabox.width < page.mediabox.height
    text = text_of(content)
    assert "Lieu Visio" in text
    assert "jeu. 14 janv. matin" in text


def test_the_filled_sheet_shows_statuses_guests_and_validation(world):
    guest = UserFactory(first_name="Invité", last_name="<script>x</script>")
    coordinator = UserFactory(first_name="Alex", last_name="Coordination")
    with scope(organisation=world.organisation.pk):
        sheet = AttendanceSheet.objects.create(
            organisation=world.organisation,
            session=world.visio,
            status=AttendanceSheet.Status.VALIDATED,
            validated_at=at(VISIO_DAY, 12, 15),
            validated_by=coordinator,
        )
        SheetParticipant.objects.create(
            organisation=world.organisation, sheet=sheet, user=guest, team=world.teams[1]
        )
        world.attend(world.visio, guest, VISIO_DAY, "am")
        world.attend(world.visio, world.absentee, VISIO_DAY, "am", "excused")
    built, _progress = build(
        Document.Kind.FILLED_ATTENDANCE_SHEET,
        world,
        builder=build_filled_sheet,
        session=world.visio,
    )
    try:
        text = text_of(built.path.read_bytes())
        assert built.filename == "Emargement rempli - Webinaire de suivi.pdf"
    finally:
        built.path.unlink()
    assert "Retard / départ anticipé Arrivée à 10 h 30" in text
    assert "Excusé·e" in text
    assert "Présent·e" in text
    assert "Invité <script>x</script>" in text
    assert "Feuille validée par Alex Coordination le jeudi 14 janvier 2027 à 12 h 15." in text


def test_an_open_filled_sheet_says_it_is_not_validated(world):
    built, _progress = build(Document.Kind.FILLED_ATTENDANCE_SHEET, world, session=world.training)
    try:
        text = text_of(built.path.read_bytes())
    finally:
        built.path.unlink()
    assert "Feuille non validée" in text
    assert "Absent·e" in text
    assert re.search(r"Présent·e.*Présent·e.*Présent·e", text)


def test_a_sheet_without_session_is_a_build_error(world):
    with pytest.raises(BuildError, match="aucune séance"):
        build(Document.Kind.ATTENDANCE_SHEET, world)


# --- File names ---------------------------------------------------------------------


def test_file_names_are_ascii_and_unique():
    assert ascii_filename("Attestation - Léa Müller-Ñúñez", "pdf") == (
        "Attestation - Lea Muller-Nunez.pdf"
    )
    assert ascii_filename("../../etc/passwd", "pdf") == "etc passwd.pdf"
    assert ascii_filename("文字", "pdf", fallback="Attestation") == "Attestation.pdf"
    unique = UniqueNames()
    assert [unique("A.pdf"), unique("a.pdf"), unique("A.pdf")] == [
        "A.pdf",
        "a (2).pdf",
        "A (3).pdf",
    ]


def test_the_builders_are_registered_for_their_kinds():
    assert get_builder(Document.Kind.ATTESTATION) is build_attestation
    assert get_builder(Document.Kind.ATTESTATIONS) is build_attestations
    assert get_builder(Document.Kind.ATTENDANCE_SHEET) is build_blank_sheet
    assert get_builder(Document.Kind.FILLED_ATTENDANCE_SHEET) is build_filled_sheet
