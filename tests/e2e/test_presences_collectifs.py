"""Issue 22, on the day, in Chromium: the CNFPT seminar (seed 001) with two collectifs
of directors and two individual registrants.

The trainer, on a tablet, opens the attendance sheet: the registrants come collectif by
collectif with their structure and fonction, the individuals last, and « présents 0 /
inscrits 5 ». With the keyboard only, they search « ccas » (the live region says « 1
personne affichée »), mark Bruno present (the counter follows), then open « Présences
par atelier », mark Alice present at « Atelier A » and add Bruno, who chose B, as a
walk-in. Axe runs on every page. After the day the sheet is validated, and Alice's
attestation (read back with pdftotext) names the workshop she attended and not the one
she only chose.

The journey runs on the seminar's day under ``time_machine`` with the clock ticking, so
the server sees the room's hours while the browser keeps its cookies.
"""

import re
import subprocess

import time_machine
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from presences import services
from tests.factories import MembershipFactory, OrganisationFactory
from tests.presences.collectifs import build_seminar, paris

from .conftest import check_a11y
from .test_coaching_journey import tab_to
from .test_engagement_journey import log_in

TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 900}
DAY = paris(2026, 12, 10).date()


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def test_the_trainer_takes_attendance_by_collectif_and_by_workshop(page: Page, live_server):
    with time_machine.travel(paris(2026, 12, 10, 10, 40), tick=True):
        with scopes_disabled():
            organisation = OrganisationFactory(slug="cnfpt-e2e", name="CNFPT Hauts-de-France")
            trainer = MembershipFactory(
                organisation=organisation,
                trainer=True,
                user__first_name="Paule",
                user__last_name="Formatrice",
            ).user
            world = build_seminar(organisation, trainer=trainer)
        slug, session = organisation.slug, world.session

        page.set_viewport_size(TABLET)
        log_in(page, trainer.email)
        page.goto(reverse("presences:attendance", args=[slug, session.pk]))
        main = page.locator("main")
        for title in ("Collectif d'Amiens", "Collectif du Vimeu", "Inscrit·es individuel·les"):
            expect(page.get_by_role("heading", name=title)).to_be_visible()
        expect(main).to_contain_text("Mairie de Friville-Escarbotin")
        counter = page.locator("#compteur-presences")
        expect(counter).to_contain_text("présents 0 / inscrits 5")
        check_a11y(page, "collectifs-01-feuille")

        # The search box, with the keyboard: « ccas » leaves Bruno alone.
        search = page.get_by_label("Rechercher une personne")
        tab_to(page, search)
        page.keyboard.type("ccas")
        expect(page.locator("[data-sheet-search-status]")).to_have_text("1 personne affichée")
        bruno = page.locator(f"#personne-{world.bruno.pk}")
        expect(bruno).to_be_visible()
        expect(page.locator(f"#personne-{world.alice.pk}")).to_be_hidden()
        expect(page.get_by_role("heading", name="Collectif d'Amiens")).to_be_hidden()
        check_a11y(page, "collectifs-02-recherche")

        # Bruno present, with the keyboard; the row and the counter follow (htmx).
        present = bruno.get_by_role("button", name="Présent·e")
        tab_to(page, present)
        page.keyboard.press("Enter")
        expect(bruno.get_by_role("button", name="Présent·e")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(counter).to_contain_text("présents 1 / inscrits 5")

        # Emptying the box shows everyone again.
        search.fill("")
        expect(page.locator(f"#personne-{world.alice.pk}")).to_be_visible()
        check_a11y(page, "collectifs-03-bruno-present")

        # Attendance per workshop: Alice at A, and Bruno (who chose B) as a walk-in.
        page.get_by_role("link", name="Présences par atelier").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Présences par atelier")
        check_a11y(page, "collectifs-04-ateliers")
        page.get_by_role("link", name="Atelier A — Alimentation").click()
        workshop_counter = page.locator("#compteur-atelier")
        expect(workshop_counter).to_contain_text("présents 0 / inscrits 3")
        check_a11y(page, "collectifs-05-atelier-a")
        alice = page.locator(f"#personne-{world.alice.pk}")
        tab_to(page, alice.get_by_role("button", name="Présent·e"))
        page.keyboard.press("Enter")
        expect(alice.get_by_role("button", name="Présent·e")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(workshop_counter).to_contain_text("présents 1 / inscrits 3")
        page.get_by_label("Personne", exact=True).select_option(str(world.bruno.pk))
        page.get_by_role("button", name="Noter présent·e à cet atelier").click()
        expect(page.locator(".messages")).to_contain_text("Bruno Caron : présent·e.")
        expect(page.locator(f"#personne-{world.bruno.pk}")).to_contain_text(
            "venu·e d'un autre atelier"
        )
        expect(workshop_counter).to_contain_text("présents 2 / inscrits 3")
        check_a11y(page, "collectifs-06-atelier-a-rempli")

    # The rest of the day, and the trainer validates the sheet after 17 h.
    with scopes_disabled(), time_machine.travel(paris(2026, 12, 10, 14), tick=False):
        for half_day in ("am", "pm"):
            services.mark_all_present(
                session=session, acting_user=trainer, day=DAY, half_day=half_day
            )
    with scopes_disabled(), time_machine.travel(paris(2026, 12, 10, 17, 30), tick=False):
        services.validate_attendance_sheet(session=session, acting_user=trainer)

    # Alice asks for her attestation from her collectif's page.
    with time_machine.travel(paris(2026, 12, 11, 10), tick=True):
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        log_in(page, world.alice.email)
        page.goto(
            reverse(
                "parcours:team_detail",
                args=[slug, world.programme.pk, world.collectifs.vimeu.pk],
            )
        )
        page.get_by_role("button", name="Obtenir mon attestation (PDF)").click()
        download_link = page.get_by_role("link", name=re.compile("Télécharger"))
        expect(download_link).to_be_visible(timeout=30_000)
        check_a11y(page, "collectifs-07-attestation")
        with page.expect_download() as download_info:
            download_link.click()
        text = pdf_text(download_info.value.path().read_bytes())
    assert "Collectif du Vimeu" in text, text
    assert "Mairie de Friville" in text, text
    assert "Ateliers suivis : Atelier A — Alimentation" in text, text
    assert "Atelier C" not in text, text  # chosen, never recorded
    with scope(organisation=organisation.pk):
        assert session.attendance_sheet.is_validated
