"""The PDF builders: attestations de participation (one person, a cohort's ZIP) and
attendance sheets (blank, filled), read back with pypdf."""

import io
import re
import socket
import urllib.request
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope
from pypdf import PdfReader

from documents.attendance_sheets import build_blank_sheet, build_filled_sheet, half_day_heading
from documents.attestations import build_attestation, build_attestations
from documents.builders import BuildError, get_builder
from documents.filenames import UniqueNames, ascii_filename
from documents.models import Document
from presences.models import AttendanceSheet, SheetParticipant
from presences.records import format_duration, person_record, programme_records
from tests.factories import (
    AttendanceFactory,
    DocumentFactory,
    SessionFactory,
    SessionKindFactory,
    TeamMemberFactory,
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


# --- Records ------------------------------------------------------------------------


def test_a_person_record_counts_attended_half_days_only(world):
    with scope(organisation=world.organisation.pk):
        record = person_record(programme=world.programme, user=world.lea)
    assert [a.session.title for a in record.sessions] == [
        "Formation J1/J2 : la gouvernance",
        "Webinaire de suivi",
    ]
    training, visio = record.sessions
    assert [slot.key for slot in training.slots] == [(J1, "am"), (J1, "pm"), (J2, "am")]
    assert format_duration(training.duration) == "9 h 30"
    assert format_duration(visio.duration) == "2 h 00"
    assert visio.partial and not training.partial
    assert format_duration(record.duration) == "11 h 30"
    assert record.team == world.teams[0]
    assert record.role == world.roles[0]


def test_cohort_records_take_a_constant_number_of_queries(world):
    with scope(organisation=world.organisation.pk):
        with CaptureQueriesContext(connection) as few:
            records = programme_records(programme=world.programme, cohort=world.cohort)
        assert len(records) == 6
        for team in world.teams:
            for _index in range(5):
                member = TeamMemberFactory(team=team, role=world.roles[2])
                world.attend(world.training, member.user, J1, "am")
                world.attend(world.visio, member.user, VISIO_DAY, "am")
        with CaptureQueriesContext(connection) as many:
            records = programme_records(programme=world.programme, cohort=world.cohort)
    assert len(records) == 16
    assert len(many) == len(few) <= 3
    by_user = {r.user.pk: r for r in records}
    assert format_duration(by_user[world.lea.pk].duration) == "11 h 30"
    assert format_duration(by_user[world.present_once.pk].duration) == "3 h 00"
    assert not by_user[world.absentee.pk].attended


def test_a_cancelled_session_and_a_moved_half_day_do_not_count(world):
    with scope(organisation=world.organisation.pk):
        cancelled = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title="Annulée",
            cancelled=True,
            starts_at=at(date(2027, 3, 1), 9, 30),
            ends_at=at(date(2027, 3, 1), 12),
        )
        world.attend(cancelled, world.lea, date(2027, 3, 1), "am")
        # Recorded for a day the visio no longer has (it was moved).
        world.attend(world.visio, world.lea, date(2027, 1, 15), "am")
        record = person_record(programme=world.programme, user=world.lea)
    assert [a.session.title for a in record.sessions] == [
        "Formation J1/J2 : la gouvernance",
        "Webinaire de suivi",
    ]
    assert format_duration(record.duration) == "11 h 30"


# --- One attestation ----------------------------------------------------------------


def test_the_attestation_lists_exactly_the_attended_sessions_and_hours(world):
    built, progress = build(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    try:
        assert built.filename == "Attestation - Muller Lea.pdf"
        assert built.content_type == "application/pdf"
        text = text_of(built.path.read_bytes())
    finally:
        built.path.unlink()
    assert "Attestation de participation" in text
    assert world.organisation.name in text
    assert f"atteste que Léa Müller ({world.roles[0].name}, {world.teams[0].name})" in text
    assert world.programme.name in text
    assert "Structurer la gouvernance." in text
    assert "Formation J1/J2 : la gouvernance" in text
    assert "mercredi 9 décembre 2026 : 9 h 30 – 12 h 30, 13 h 30 – 17 h" in text
    assert "jeudi 10 décembre 2026 : 9 h 30 – 12 h 30" in text
    assert "jeudi 10 décembre 2026 : 9 h 30 – 12 h 30, 13 h 30" not in text
    assert "9 h 30" in text and "Webinaire de suivi" in text and "2 h 00" in text
    assert "dont retard ou départ anticipé" in text
    assert "Séance excusée" not in text
    assert "Total des heures suivies 11 h 30" in text
    assert "durée totale de 11 h 30" in text
    assert (
        "Nature de l’action Accompagnement et formation-action (Formation, Accompagnement" in text
    )
    assert "Fait le" in text
    assert f"Pour {world.organisation.name}, la coordination du programme" in text
    assert progress.calls[0] == (0, 2) and progress.calls[-1] == (2, 2)


def test_the_attestation_is_made_in_the_organisations_city(world):
    world.organisation.city = "Lille"
    world.organisation.save(update_fields=["city"])
    built, _progress = build(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    try:
        text = text_of(built.path.read_bytes())
    finally:
        built.path.unlink()
    assert "Fait à Lille, le" in text


def test_someone_who_attended_nothing_gets_no_attestation(world):
    with pytest.raises(BuildError) as error:
        build(Document.Kind.ATTESTATION, world, programme=world.programme, person=world.absentee)
    name = world.absentee.get_full_name()
    assert str(error.value) == (
        f"{name} n'a assisté à aucune séance de ce programme : aucune attestation n'est délivrée."
    )


def test_html_in_names_and_titles_is_printed_as_text(world):
    with scope(organisation=world.organisation.pk):
        world.lea.first_name = "<b>Léa</b><script>alert(1)</script>"
        world.lea.save(update_fields=["first_name"])
        world.programme.name = "<i>Gouvernance</i> & <img src=x>"
        world.programme.save(update_fields=["name"])
        world.training.title = "<h1>J1</h1>"
        world.training.save(update_fields=["title"])
    built, _progress = build(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    try:
        text = text_of(built.path.read_bytes())
        assert built.filename == "Attestation - Muller b Lea b script alert(1) script.pdf"
    finally:
        built.path.unlink()
    assert "<b>Léa</b><script>alert(1)</script> Müller" in text
    assert "<i>Gouvernance</i> & <img src=x>" in text
    assert "<h1>J1</h1>" in text


def test_user_content_pointing_outside_builds_without_fetching(world, monkeypatch, settings):
    """Markdown or HTML in objectives pointing at another host or a local file is text:
    nothing is fetched (the network and urllib fail loudly if anything tries)."""

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    with scope(organisation=world.organisation.pk):
        world.programme.objectives = (
            "![x](http://evil.example/pixel.png)\n"
            '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://evil.example/a.css">'
        )
        world.programme.save(update_fields=["objectives"])
        world.lea.last_name = '<img src="http://evil.example/p.png">'
        world.lea.save(update_fields=["last_name"])
    built, _progress = build(
        Document.Kind.ATTESTATION, world, programme=world.programme, person=world.lea
    )
    try:
        text = text_of(built.path.read_bytes())
    finally:
        built.path.unlink()
    assert "![x](http://evil.example/pixel.png)" in text
    assert '<img src="file:///etc/passwd">' in text
    assert "root:" not in text


# --- The cohort's ZIP ---------------------------------------------------------------


def test_the_cohort_zip_has_one_pdf_per_attendee_and_a_readme(world):
    built, progress = build(
        Document.Kind.ATTESTATIONS, world, programme=world.programme, cohort=world.cohort
    )
    try:
        assert built.content_type == "application/zip"
        assert built.filename == "Attestations - Promotion 2026-2028.zip"
        with zipfile.ZipFile(built.path) as archive:
            names = archive.namelist()
            lea_text = text_of(archive.read("Attestation - Muller Lea.pdf"))
            readme = archive.read("Lisez-moi.txt").decode("utf-8-sig")
    finally:
        built.path.unlink()
    present = world.present_once
    assert sorted(names) == sorted(
        [
            "Attestation - Muller Lea.pdf",
            ascii_filename(f"Attestation - {present.last_name} {present.first_name}", "pdf"),
            "Lisez-moi.txt",
        ]
    )
    assert "Total des heures suivies 11 h 30" in lea_text
    assert "Séance excusée" not in lea_text
    assert "2 attestation(s)" in readme
    assert world.absentee.get_full_name() in readme
    # Team 1 attended nothing: its three members are listed too.
    assert "les 4 personne(s) suivante(s)" in readme
    assert progress.calls == [(0, 2), (1, 2), (2, 2)]


def test_two_people_with_the_same_name_get_distinct_files(world):
    with scope(organisation=world.organisation.pk):
        homonym = TeamMemberFactory(
            team=world.teams[1],
            role=world.roles[0],
            user=UserFactory(first_name="Lea", last_name="Muller"),
        ).user
        world.attend(world.visio, homonym, VISIO_DAY, "am")
    built, _progress = build(
        Document.Kind.ATTESTATIONS, world, programme=world.programme, cohort=world.cohort
    )
    try:
        with zipfile.ZipFile(built.path) as archive:
            names = set(archive.namelist())
    finally:
        built.path.unlink()
    assert {"Attestation - Muller Lea.pdf", "Attestation - Muller Lea (2).pdf"} <= names


def test_a_cohort_where_nobody_attended_gets_no_zip(world):
    with scope(organisation=world.organisation.pk):
        other = build_programme(organisation=world.organisation, teams=1)
    with pytest.raises(BuildError, match="Personne n'a assisté"):
        build(Document.Kind.ATTESTATIONS, world, programme=other.programme, cohort=other.cohort)


def test_a_failed_batch_leaves_no_file(world, monkeypatch):
    import documents.attestations as attestations

    made = []
    real = attestations._temporary

    def spy(suffix):
        made.append(real(suffix))
        return made[-1]

    def explode(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(attestations, "_temporary", spy)
    monkeypatch.setattr(attestations, "render_attestation", explode)
    with pytest.raises(RuntimeError):
        build(Document.Kind.ATTESTATIONS, world, programme=world.programme, cohort=world.cohort)
    assert made and not made[0].exists()


# --- Attendance sheets --------------------------------------------------------------


def test_half_day_headings_are_short_french():
    from presences.halfdays import half_days

    class Training:
        starts_at, ends_at, all_day = at(J1, 9, 30), at(J2, 17), False

    assert [half_day_heading(s) for s in half_days(Training, PARIS)] == [
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


def test_the_pipeline_builds_the_cohort_zip_with_the_real_builder(world, settings, tmp_path):
    from documents.services import request_document
    from tests.factories import MembershipFactory

    settings.MEDIA_ROOT = str(tmp_path)
    coordinator = MembershipFactory(organisation=world.organisation, role="coordinator").user
    with scope(organisation=world.organisation.pk):
        document = request_document(
            organisation=world.organisation,
            acting_user=coordinator,
            kind=Document.Kind.ATTESTATIONS,
            title="Attestations",
            cohort=world.cohort,
        )
        document.refresh_from_db()
        assert document.status == Document.Status.READY, document.error
        assert document.progress == 100
        assert document.filename == "Attestations - Promotion 2026-2028.zip"
        with document.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            assert "Attestation - Muller Lea.pdf" in archive.namelist()
