"""The catalogue sheet in Chromium, with axe on every page visited: the coordinator
fills and publishes the sheet of a programme; an anonymous visitor on a phone reads it
and downloads its PDF."""

from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from tests.factories import MembershipFactory, build_programme

from .conftest import check_a11y
from .test_engagement_journey import log_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_a_coordinator_publishes_the_sheet_and_a_visitor_reads_it_on_a_phone(
    page: Page, live_server
):
    with scopes_disabled():
        world = build_programme(teams=1, members_per_team=1, name="Piloter un PAT")
        coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
        trainer = MembershipFactory(organisation=world.organisation, trainer=True).user
        trainer.first_name, trainer.last_name = "Fanny", "Formatrice"
        trainer.save()
    slug, programme = world.organisation.slug, world.programme

    page.set_viewport_size(DESKTOP)
    log_in(page, coordinator.email)
    page.goto(reverse("parcours:catalogue", args=[slug, programme.pk]))
    expect(page.locator("main")).to_contain_text("pas encore de fiche catalogue")
    check_a11y(page, "catalogue-01-empty")
    page.get_by_role("link", name="Rédiger la fiche catalogue").click()
    check_a11y(page, "catalogue-02-form")
    page.get_by_label("Objectifs").fill("Conduire un diagnostic alimentaire")
    page.get_by_label("Public visé").fill("Chargé·es de mission PAT")
    page.get_by_label("Durée en heures").fill("14")
    page.get_by_label("Durée en jours").fill("2")
    page.get_by_label("Mixte (présentiel et distanciel)").check()
    page.get_by_label("Lieu").fill("Amiens")
    page.get_by_label("Gratuit").check()
    page.get_by_label("Accessibilité aux personnes en situation de handicap").fill(
        "Salle de plain-pied."
    )
    page.get_by_label("Référent·e handicap").fill("Camille Martin")
    page.get_by_label("Adresse e-mail du ou de la référent·e").fill("handicap@example.org")
    page.get_by_label("Fanny Formatrice").check()
    page.get_by_label("Modalités d'évaluation").fill("Questionnaire à chaud.")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.locator(".messages")).to_contain_text("version 1")
    page.get_by_role("button", name="Publier la fiche").click()
    expect(page.locator(".messages")).to_contain_text("publiée")
    check_a11y(page, "catalogue-03-published")
    public_path = page.get_by_role("link", name="Télécharger le PDF").get_attribute("href")
    public_path = public_path.rsplit("fiche.pdf", 1)[0]

    # An anonymous visitor, on a phone.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(public_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Piloter un PAT")
    main = page.locator("main")
    expect(main).to_contain_text("Conduire un diagnostic alimentaire")
    expect(main).to_contain_text("Gratuit")
    expect(main).to_contain_text("Fanny Formatrice")
    expect(main).to_contain_text("handicap@example.org")
    expect(main).to_contain_text("Dernière mise à jour")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    check_a11y(page, "catalogue-04-public-phone")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la fiche (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
