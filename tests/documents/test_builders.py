"""The PDF builders of attendance sheets (blank, filled), read back with pypdf. The
attestations are tested in ``test_attestations.py``."""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django_scopes import scope
from pypdf import PdfReader

from documents.attendance_sheets import build_blank_sheet, build_filled_sheet, half_day_heading
from documents.attestations import build_attestation, build_attestations
from documents.builders import BuildError, get_builder
from documents.filenames import UniqueNames, ascii_filename
from documents.models import Document
from presences.models import AttendanceSheet, SheetParticipant
from tests.factories import (
    AttendanceFactory,
    DocumentFactory,
    SessionFactory,
    SessionKindFactory,
    UserFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


J1, J2 = date(2026, 12, 9), date(2026, 12, 10)
VISIO_DAY, EXCUSED_DAY = date(2027, 1, 14), date(2027, 2, 3)


def text_of(content: bytes) -> str:
    """The PDF's text with its whitespace collapsed."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


class Progress:
    def __init__(self):
        self.calls = []

    def __call__(self, done, total):
        self.calls.append((done, total))


@pytest.fixture
def world():
    """A cohort of two teams of three; a J1/J2 training 9 h 30 – 17 h, a 2-hour visio,
    a session someone was excused from. Léa attended J1 whole, J2 morning (absent in
    the afternoon), the visio (late), and was excused from the third."""
    from types import SimpleNamespace

    w = build_programme(teams=2, members_per_team=3, objectives="Structurer la gouvernance.")
    with scope(organisation=w.organisation.pk):
        lea_member = w.teams[0].members.select_related("user", "role").order_by("pk").first()
        lea = lea_member.user
        lea.first_name, lea.last_name = "Léa", "Müller"
        lea.save(update_fields=["first_name", "last_name"])
        coaching = SessionKindFactory(programme=w.programme, name="Accompagnement collectif")
        training = SessionFactory(
            programme=w.programme,
            kind=w.kind,
            title="Formation J1/J2 : la gouvernance",
            in_person=True,
            starts_at=at(J1, 9, 30),
            ends_at=at(J2, 17),
        )
        visio = SessionFactory(
            programme=w.programme,
            kind=coaching,
            title="Webinaire de suivi",
            starts_at=at(VISIO_DAY, 10),
            ends_at=at(VISIO_DAY, 12),
        )
        excused = SessionFactory(
            programme=w.programme,
            kind=coaching,
            title="Séance excusée",
            starts_at=at(EXCUSED_DAY, 14),
            ends_at=at(EXCUSED_DAY, 16),
        )

        def attend(session, user, day, half, status="present", **kwargs):
            member = user.team_memberships.select_related("team", "role").first()
            return AttendanceFactory(
                session=session,
                user=user,
                team=member.team if member else None,
                role=member.role if member else None,
                day=day,
                half_day=half,
                status=status,
                **kwargs,
            )

        attend(training, lea, J1, "am")
        attend(training, lea, J1, "pm")
        attend(training, lea, J2, "am")
        attend(training, lea, J2, "pm", "absent")
        attend(visio, lea, VISIO_DAY, "am", "partial", note="Arrivée à 10 h 30")
        attend(excused, lea, EXCUSED_DAY, "pm", "excused")
        # Another member attended J1's morning only; the third of team 0 nothing.
        others = list(w.teams[0].members.select_related("user").exclude(user=lea).order_by("pk"))
        attend(training, others[0].user, J1, "am")
        attend(training, others[1].user, J1, "am", "absent")
    return SimpleNamespace(
        **vars(w),
        lea=lea,
        present_once=others[0].user,
        absentee=others[1].user,
        training=training,
        visio=visio,
        excused=excused,
        attend=attend,
    )


def build(document_kind, world, builder=None, **subject):
    document = DocumentFactory(
        organisation=world.organisation, kind=document_kind, title="Document", **subject
    )
    progress = Progress()
    with scope(organisation=world.organisation.pk):
        built = (builder or get_builder(document_kind))(document, progress)
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
