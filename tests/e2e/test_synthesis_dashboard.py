"""A funder (an observer) opens a programme's live synthesis in Chromium between two
COPILs: every section with its charts and tables, axe clean; then narrows it to two
teams and downloads the attendance table."""

import csv
import io

from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from tests.documents.test_synthesis_figures import synthesis_world

from .conftest import check_a11y
from .test_engagement_journey import log_in


def test_the_observer_opens_the_synthesis_and_downloads_a_table(page: Page, live_server):
    world = synthesis_world()
    slug, programme = world.organisation.slug, world.programme
    with scopes_disabled():
        team_a, team_b = world.teams[0], world.teams[1]
    log_in(page, world.observer.email)

    page.goto(reverse("parcours:timeline", args=[slug, programme.pk]))
    page.get_by_role("link", name="Synthèse").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Synthèse du programme")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Présences", exact=True)).to_be_visible()
    expect(main.get_by_role("img", name="Taux de présence par séance")).to_be_visible()
    expect(main.get_by_role("img", name="Progression de la promotion", exact=False)).to_be_visible()
    expect(main).to_contain_text("75 % (n = 4)")
    check_a11y(page, "synthesis-dashboard")

    # Two teams: the figures follow.
    page.get_by_role("checkbox", name=team_a.name).check()
    page.get_by_role("checkbox", name=team_b.name).check()
    page.get_by_role("button", name="Afficher la synthèse").click()
    expect(main).to_contain_text(f"Équipes : {team_a.name}, {team_b.name}")
    check_a11y(page, "synthesis-dashboard-teams")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Présences par équipe en CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert [row[0] for row in rows[1:]] == [team_a.name, team_b.name, "Total"]
