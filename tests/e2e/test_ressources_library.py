"""The resources library in Chromium, with axe on every page visited.

A coordinator adds a PDF whose one rare word is only in the PDF's text, searches that
word and finds the resource, opens it, manages the tags; a team member, on a 390 px
phone, adds a production to the team's space from the team's page; the public library
opens without an account."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from parcours.models import TeamMember
from ressources.models import Resource
from tests.factories import MembershipFactory, build_programme
from tests.ressources.factories import pdf_bytes

from .conftest import check_a11y
from .test_engagement_journey import log_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RARE = "permaculturelle"


def switch_to(page: Page, user, viewport) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    log_in(page, user.email)


def test_a_pdf_is_found_by_its_text_and_a_member_adds_a_production_from_a_phone(
    page: Page, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with scopes_disabled():
        world = build_programme(teams=2, members_per_team=2)
        coordinator = MembershipFactory(organisation=world.organisation, role="coordinator").user
        team = world.teams[0]
        member = TeamMember.objects.filter(team=team).order_by("pk")[0].user
    slug = world.organisation.slug
    pdf = tmp_path / "Support J1 — été.pdf"
    pdf.write_bytes(pdf_bytes(f"Une démarche {RARE} pour les cantines du territoire."))

    # The coordinator adds the PDF from the library.
    switch_to(page, coordinator, DESKTOP)
    page.goto(reverse("ressources:library", args=[slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ressources")
    check_a11y(page, "ressources-01-library")
    page.get_by_role("link", name="Ajouter une ressource").click()
    check_a11y(page, "ressources-02-add")
    page.get_by_label("Titre").fill("Support de la journée J1")
    page.get_by_label("Fichier").set_input_files(str(pdf))
    page.get_by_label("Type").select_option("training")
    page.get_by_label("Licence").select_option("cc_by")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Ressource ajoutée.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support de la journée J1")
    check_a11y(page, "ressources-03-detail")

    # The word is only in the PDF's text: the search finds it.
    page.goto(reverse("ressources:library", args=[slug]))
    page.get_by_role("searchbox", name="Rechercher").fill(RARE)
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("main")).to_contain_text("1 ressource trouvée")
    expect(page.get_by_role("link", name="Support de la journée J1")).to_be_visible()
    check_a11y(page, "ressources-04-search")

    # Tags.
    page.goto(reverse("ressources:tags", args=[slug]))
    page.get_by_label("Nom").fill("Alimentation")
    page.get_by_role("button", name="Créer").click()
    expect(page.locator(".messages")).to_contain_text("Étiquette créée.")
    check_a11y(page, "ressources-05-tags")

    # A team member, on a phone, adds a production from the team's page.
    switch_to(page, member, PHONE)
    page.goto(reverse("parcours:team_detail", args=[slug, world.programme.pk, team.pk]))
    page.get_by_role("link", name="Ajouter une production").click()
    check_a11y(page, "ressources-06-team-add-phone")
    page.get_by_label("Titre").fill("Fiche d'intention de l'équipe")
    page.get_by_label("… ou un lien").fill("https://pad.example.org/fiche")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Production ajoutée")
    expect(page.locator("main")).to_contain_text("Fiche d'intention de l'équipe")
    check_a11y(page, "ressources-07-team-phone")
    with scope(organisation=world.organisation.pk):
        production = Resource.objects.get(title="Fiche d'intention de l'équipe")
        assert production.kind == "team_output" and production.team_id == team.pk
        Resource.objects.filter(title="Support de la journée J1").update(visibility="public")

    # The public library, without an account.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("ressources:public_library", args=[slug]))
    expect(page.get_by_role("link", name="Support de la journée J1")).to_be_visible()
    check_a11y(page, "ressources-08-public")
    page.get_by_role("link", name="Support de la journée J1").click()
    check_a11y(page, "ressources-09-public-detail")
