"""The other pages issue 17 added, walked in Chromium with axe on each: the attestation
register and its revocation, an external evaluation (created, its figures recorded),
an interview answer recorded by the trainer, and the results an observer reads (no
name, no confidential answer). The forms are filled with the keyboard."""

import re

import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from evaluation.models import Campaign
from tests.evaluation.attendance_world import at, build_world, hot_campaign, record_sheet
from tests.factories import AttestationFactory

from .conftest import check_a11y
from .test_engagement_journey import log_in

NOW = at(2027, 1, 14, 10)


def test_new_pages_pass_axe_and_work_with_the_keyboard(page: Page, live_server):
    world = build_world()
    slug = world.organisation.slug
    record_sheet(world, at(2027, 1, 12, 18))
    campaign = hot_campaign(world, anonymous=False, sheet_wait_until=None)
    with scopes_disabled():
        attestation = AttestationFactory(programme=world.programme, person=world.people[0])

    with time_machine.travel(NOW, tick=True):
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, world.coordinator.email)

        # The register, then a revocation with its reason.
        page.goto(reverse("documents:attestation_register", args=[slug]))
        expect(page.locator("main")).to_contain_text(attestation.number)
        check_a11y(page, "truth-pages-registre")
        page.get_by_role("link", name=re.compile(f"Révoquer {attestation.number}")).click()
        check_a11y(page, "truth-pages-revoquer")
        reason = page.get_by_label(re.compile("Motif"))
        reason.focus()
        page.keyboard.type("Heures erronées")
        page.get_by_role("button", name="Révoquer").focus()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_contain_text("Révoquée")

        # An external evaluation, created and then given its figures.
        page.goto(reverse("evaluation:external_create", args=[slug, world.programme.pk]))
        check_a11y(page, "truth-pages-externe-nouvelle")
        page.get_by_label("Titre").fill("À froid (outil interne)")
        page.get_by_label("Public visé").fill("Les élu·es, par téléphone")
        page.get_by_label("Début de l'évaluation").fill("2027-01-02T09:00")
        page.get_by_label("Fin de l'évaluation").fill("2027-01-10T18:00")
        page.get_by_label("Fin de l'évaluation").press("Enter")
        with scopes_disabled():
            external = Campaign.objects.get(external=True)
        figures = reverse("evaluation:external_figures", args=[slug, external.pk])
        expect(page).to_have_url(re.compile(re.escape(str(external.pk))))
        page.goto(figures)
        check_a11y(page, "truth-pages-externe-chiffres")
        page.get_by_label("Personnes sollicitées").fill("40")
        page.get_by_label("Répondant·es").fill("31")
        page.get_by_label("Taux de satisfaction (%)").fill("92,7")
        page.get_by_label("Taux de satisfaction (%)").press("Enter")
        expect(page.locator("main")).to_contain_text("92,7 %")
        check_a11y(page, "truth-pages-externe-fiche")
        page.context.clear_cookies()

        # The trainer records an interview answer for the third person.
        log_in(page, world.trainer.email)
        page.goto(reverse("evaluation:interview_start", args=[slug, campaign.pk]))
        check_a11y(page, "truth-pages-entretien")
        person = world.people[2]
        page.get_by_label("Personne interrogée").select_option(str(person.pk))
        page.get_by_label("Date de l'entretien").fill("2027-01-13")
        page.get_by_label("Date de l'entretien").press("Enter")
        expect(page).to_have_url(re.compile("entretien/[0-9a-f-]{36}/"))
        check_a11y(page, "truth-pages-entretien-reponse")
        page.context.clear_cookies()

        # The observer reads the results: no name anywhere.
        log_in(page, world.observer.email)
        page.goto(reverse("evaluation:campaign_results", args=[slug, campaign.pk]))
        check_a11y(page, "truth-pages-resultats-observateur")
        main = page.locator("main").inner_text()
        for someone in world.people:
            assert someone.get_full_name() not in main
