"""The PDF syntheses: the programme synthesis, the team journey reports (one PDF, or a
cohort ZIP streamed one PDF after another) and the training bilan, built through the
documents pipeline with named steps; their text (read back with pypdf) holds the
figures, with accents intact."""

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django_scopes import scope
from pypdf import PdfReader

from documents import services
from documents.models import Document
from documents.syntheses import team_report
from documents.syntheses.pdf import Steps
from documents.syntheses.programme_pdf import step_names, synthesis_context
from documents.syntheses.services import request_synthesis
from tests.documents.test_synthesis_figures import add_teams, members, synthesis_world
from tests.factories import PhaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    built = synthesis_world()
    with scope(organisation=built.organisation.pk):
        yield built


def pdf_text(data: bytes) -> str:
    """The PDF's text, lines joined by spaces (words wrap where the layout puts them)."""
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def build(world, kind, **kwargs) -> Document:
    document = Document.objects.create(
        organisation=world.organisation,
        kind=kind,
        title="Synthèse",
        requested_by=world.coordinator,
        programme=world.programme,
        **kwargs,
    )
    return services.build_document(document=document)


def test_the_programme_synthesis_holds_its_figures(world):
    document = build(
        world, Document.Kind.PROGRAMME_SYNTHESIS, foreword="Un mot de l’équipe : **merci** !"
    )
    assert document.status == Document.Status.READY, document.error
    with document.file.open("rb") as handle:
        data = handle.read()
    text = pdf_text(data)
    assert "Synthèse du programme" in text
    assert "Un mot de l’équipe" in text
    assert "Séminaire de lancement" in text
    assert "page 2 sur" in text


def test_a_team_report(world):
    team = world.teams[0]
    document = build(world, Document.Kind.TEAM_REPORT, team=team)
    assert document.status == Document.Status.READY, document.error
    with document.file.open("rb") as handle:
        data = handle.read()
    text = pdf_text(data)
    assert team.name in text


def test_the_cohort_zip(world):
    document = build(world, Document.Kind.TEAM_REPORTS)
    assert document.status == Document.Status.READY, document.error
    with document.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
    assert len(names) == len(world.teams)


def test_the_programme_synthesis_has_a_cover_a_toc_bookmarks_and_tags(world):
    document = build(world, Document.Kind.PROGRAMME_SYNTHESIS)
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Présences" in titles
    assert "Avant-propos" not in titles  # no foreword, no section
    root = reader.trailer["/Root"]
    assert root.get("/StructTreeRoot") is not None  # tagged
    assert root["/MarkInfo"]["/Marked"]
    assert b"pdfuaid" in root["/Metadata"].get_data()  # PDF/UA-1
    assert root["/Lang"] == "fr"
    assert "Sommaire" in reader.pages[1].extract_text()
    assert "page 3 sur" in reader.pages[2].extract_text()
    assert document.steps_done == document.steps_total


def test_a_team_report_holds_its_rate_against_the_cohort_and_its_radar(world):
    team = world.teams[0]
    document = build(world, Document.Kind.TEAM_REPORT, team=team)
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Rapport de parcours — " + team.name in text
    assert "Présence de la promotion" in text
    assert "Moyenne de la promotion à" in text
    for member in members(team):
        assert member.user.last_name in text
    assert world.teams[1].name not in text


def test_an_observer_without_names_gets_a_team_report_without_names(world):
    team = world.teams[0]
    world.programme.observers_see_names = False
    world.programme.save(update_fields=["observers_see_names"])
    document = Document.objects.create(
        organisation=world.organisation,
        kind=Document.Kind.TEAM_REPORT,
        title="Rapport",
        requested_by=world.observer,
        programme=world.programme,
        team=team,
    )
    document = services.build_document(document=document)
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Membre 1" in text
    for member in members(team):
        assert member.user.last_name not in text


def test_the_training_bilan_per_module(world):
    PhaseFactory(
        programme=world.programme,
        name="Module 1 : coopérer",
        start_month=None,
        end_month=None,
        description="Objectif : s’accorder sur la coopération territoriale.",
        start_date=world.programme.start_date,
        end_date=world.programme.end_date,
    )
    document = build(world, Document.Kind.TRAINING_BILAN)
    assert document.status == Document.Status.READY, document.error
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Bilan de formation" in text
    assert "Module 1 : coopérer" in text
    assert "s’accorder sur la coopération territoriale" in text
    assert "Taux d’achèvement" in text
    assert "Heures dispensées" in text


def test_a_section_without_data_says_so(world):
    document = build(
        world,
        Document.Kind.PROGRAMME_SYNTHESIS,
        scope={"starts_on": "2001-01-01", "ends_on": "2001-01-31"},
    )
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Aucune séance prévue sur la période." in text
    assert "Aucune séance relevée sur la période." in text


def test_the_steps_are_named(world):
    seen = []
    document = Document.objects.create(
        organisation=world.organisation,
        kind=Document.Kind.PROGRAMME_SYNTHESIS,
        title="Synthèse",
        requested_by=world.coordinator,
        programme=world.programme,
        status=Document.Status.BUILDING,
    )

    def progress(done, total):
        seen.append((Document.objects.get(pk=document.pk).step, done, total))

    steps = Steps(document, progress, step_names())
    synthesis_context(document, steps)
    assert [step for step, _done, _total in seen][:3] == ["Calendrier", "Présences", "Évaluations"]
    assert seen[-1][2] == len(step_names())


def test_asking_again_supersedes_the_running_build_and_leaves_no_file(world, settings, monkeypatch):
    monkeypatch.setattr("documents.queue.send", lambda *args: True)  # no worker yet
    first = request_synthesis(
        organisation=world.organisation,
        acting_user=world.coordinator,
        kind=Document.Kind.PROGRAMME_SYNTHESIS,
        title="Synthèse",
        programme=world.programme,
    )
    # The first build starts, then the coordinator asks again before it ends.
    attempt = services._claim(first)
    second = request_synthesis(
        organisation=world.organisation,
        acting_user=world.coordinator,
        kind=Document.Kind.PROGRAMME_SYNTHESIS,
        title="Synthèse",
        programme=world.programme,
        foreword="Nouvel avant-propos",
    )
    first.refresh_from_db()
    assert first.status == Document.Status.FAILED
    assert first.error == "Remplacée par une nouvelle demande."
    before = set(Path(settings.DOCUMENT_TEMP_DIR).glob(f"doc-{first.pk}-*"))
    assert services._build(first, attempt).status == Document.Status.FAILED
    first.refresh_from_db()
    assert not first.file
    assert set(Path(settings.DOCUMENT_TEMP_DIR).glob(f"doc-{first.pk}-*")) == before
    second = services.build_document(document=second)
    assert second.status == Document.Status.READY


def test_the_cohort_zip_streams_one_report_after_another(world):
    add_teams(world, 17)
    tracemalloc.start()
    try:
        document = build(world, Document.Kind.TEAM_REPORTS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert document.status == Document.Status.READY, document.error
    with document.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert len(archive.namelist()) == 20
        first = archive.read(archive.namelist()[0])
    assert pdf_text(first).startswith("Organisation")
    assert peak < 150 * 1024 * 1024, peak


def test_a_cohort_zip_superseded_half_way_leaves_no_half_archive(world, settings, monkeypatch):
    monkeypatch.setattr("documents.queue.send", lambda *args: True)  # no worker yet
    first = request_synthesis(
        organisation=world.organisation,
        acting_user=world.coordinator,
        kind=Document.Kind.TEAM_REPORTS,
        title="Rapports",
        programme=world.programme,
    )
    attempt = services._claim(first)
    real = team_report.render_report
    calls = []

    def render_then_ask_again(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the coordinator asks again while the second PDF is built
            request_synthesis(
                organisation=world.organisation,
                acting_user=world.coordinator,
                kind=Document.Kind.TEAM_REPORTS,
                title="Rapports",
                programme=world.programme,
            )
        return real(*args, **kwargs)

    monkeypatch.setattr(team_report, "render_report", render_then_ask_again)
    assert services._build(first, attempt).status == Document.Status.FAILED
    assert len(calls) == 2  # stopped at the next team
    assert not list(Path(settings.DOCUMENT_TEMP_DIR).glob(f"doc-{first.pk}-*"))
    assert Document.objects.filter(status=Document.Status.PENDING).count() == 1
