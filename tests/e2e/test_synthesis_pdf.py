"""The coordinator builds the programme synthesis and a team's journey report in
Chromium: « Générer le PDF » on the dashboard, the request page (axe clean), the
document's page with its progress bar while the build waits for a worker, then
« Télécharger » once built; the PDF's text holds the figures (read back with pypdf)."""

import io
import re

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from documents import services
from documents.models import Document
from tests.documents.test_synthesis_figures import synthesis_world

from .conftest import check_a11y
from .test_engagement_journey import log_in


def build_waiting(organisation) -> None:
    """The worker picks the waiting build up (the broker is held back in this test)."""
    with scope(organisation=organisation.pk):
        for document in Document.objects.filter(status=Document.Status.PENDING):
            services.build_document(document=document)


def download_text(page: Page) -> str:
    link = page.get_by_role("link", name=re.compile("^Télécharger"))
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as download_info:
        link.click()
    pdf = download_info.value.path().read_bytes()
    # Lines joined by spaces: words wrap where the layout puts them.
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_coordinator_builds_the_synthesis_and_a_team_report(
    page: Page, live_server, monkeypatch
):
    monkeypatch.setattr("documents.queue.send", lambda *args: True)
    world = synthesis_world()
    slug, programme = world.organisation.slug, world.programme
    with scopes_disabled():
        team = world.teams[0]
    log_in(page, world.coordinator.email)

    page.goto(reverse("documents:synthesis", args=[slug, programme.pk]))
    page.get_by_role("link", name="Générer le PDF").click()
    expect(page.get_by_role("heading", name="Générer un PDF")).to_be_visible()
    check_a11y(page, "synthesis-pdf-01-request")
    page.get_by_label("Avant-propos").fill("Synthèse préparée pour le comité de pilotage.")
    page.get_by_role("button", name="Générer le PDF").click()

    # Waiting for a worker: the progress bar and its words.
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.locator("#document-state")).to_contain_text("En file d'attente")
    check_a11y(page, "synthesis-pdf-02-progress")
    build_waiting(world.organisation)
    text = download_text(page)
    check_a11y(page, "synthesis-pdf-03-ready")
    assert "Synthèse du programme" in text
    assert "Synthèse préparée pour le comité de pilotage." in text
    assert "Séminaire de lancement" in text
    assert "75 % (n = 4)" in text

    # A team's journey report.
    page.goto(reverse("documents:synthesis_request", args=[slug, programme.pk]))
    page.get_by_label("Rapport de parcours d’une équipe (un PDF)").check()
    page.get_by_label("Équipe du rapport de parcours").select_option(label=team.name)
    page.get_by_role("button", name="Générer le PDF").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    build_waiting(world.organisation)
    text = download_text(page)
    assert f"Rapport de parcours — {team.name}" in text
    assert "Présence de la promotion" in text
