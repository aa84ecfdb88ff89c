"""A team's action plan in Chromium, with axe on every page visited.

A team member, on a 390 px phone, opens the plan from the team's page, writes the fiche
d'intention (the editor starts from the programme's sections) and submits it; a trainer,
on a desktop, reads the version and validates it; the member adds two actions and
updates the first one in two taps (a progress, « Mettre à jour »), the card swapped in
place."""

import re

from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from parcours.models import TeamMember
from plans.models import Action, StageVersion
from tests.factories import MembershipFactory, build_programme

from .conftest import check_a11y
from .test_engagement_journey import log_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def build_world():
    with scopes_disabled():
        world = build_programme(teams=2, members_per_team=2)
        trainer = MembershipFactory(organisation=world.organisation, role="trainer").user
        trainer.first_name, trainer.last_name = "Fanny", "Formatrice"
        trainer.save()
        team = world.teams[0]
        member = TeamMember.objects.filter(team=team).order_by("pk")[0].user
    return world, team, member, trainer


def switch_to(page: Page, user, viewport) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    log_in(page, user.email)


def test_a_member_writes_the_intention_a_trainer_validates_and_actions_follow(
    page: Page, live_server
):
    world, team, member, trainer = build_world()
    slug, programme = world.organisation.slug, world.programme

    # The member, on a phone, from the team's page to the plan.
    switch_to(page, member, PHONE)
    page.goto(reverse("parcours:team_detail", args=[slug, programme.pk, team.pk]))
    page.get_by_role("link", name="Ouvrir le plan d’action").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan d’action")
    expect(page.locator("main")).to_contain_text("Pas commencée")
    check_a11y(page, "plans-01-plan-phone")

    # The fiche d'intention: the editor starts from the sections; save, then submit.
    page.get_by_role("link", name="1. Fiche d'intention").click()
    editor = page.get_by_label("Texte de l'étape")
    expect(editor).to_have_value(
        re.compile(r"^## Contexte et enjeux du territoire\s+## Ce que nous voulons changer\s+")
    )
    check_a11y(page, "plans-02-stage-phone")
    editor.fill(
        "## Contexte et enjeux du territoire\n\nUn territoire rural, 40 communes.\n\n"
        "## Ce que nous voulons changer\n\n- Plus de produits locaux en cantine\n"
    )
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_contain_text("Brouillon enregistré.")
    page.get_by_role("button", name="Soumettre pour relecture").click()
    expect(page.locator(".messages")).to_contain_text("soumise (version 1)")
    expect(page.locator("main")).to_contain_text("Plus de produits locaux en cantine")
    check_a11y(page, "plans-03-version-phone")
    version_path = reverse(
        "plans:stage_version",
        args=[slug, programme.pk, page.url.split("/plans/")[1].split("/")[0], "intention", 1],
    )

    # The trainer, on a desktop, validates it with a comment.
    switch_to(page, trainer, DESKTOP)
    page.goto(version_path)
    check_a11y(page, "plans-04-review-desktop")
    page.get_by_label("Commentaire (facultatif)").fill("Clair et concret, bravo.")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".messages")).to_contain_text("Version validée")
    expect(page.locator("main")).to_contain_text("Clair et concret, bravo.")
    check_a11y(page, "plans-05-validated-desktop")
    with scopes_disabled():
        assert StageVersion.objects.get(number=1).status == "validated"

    # The member adds two actions, then updates the first in two taps.
    switch_to(page, member, PHONE)
    page.goto(reverse("plans:team_plan", args=[slug, programme.pk, team.pk]))
    expect(page.locator("main")).to_contain_text("v1 validée")
    for title, due in [("Réunir les cantines", "2027-06-30"), ("Cartographier les fermes", "")]:
        page.get_by_role("link", name="Ajouter une action").click()
        page.get_by_label("Intitulé").fill(title)
        if due:
            page.get_by_label("Échéance").fill(due)
        check_a11y(page, "plans-06-action-form-phone")
        page.get_by_role("button", name="Ajouter l’action").click()
        expect(page.locator(".messages")).to_contain_text(f"Action « {title} » ajoutée.")
    check_a11y(page, "plans-07-plan-with-actions-phone")

    card = page.locator("article", has_text="Réunir les cantines")
    card.get_by_label("Avancement", exact=True).select_option("50")
    card.get_by_role("button", name="Mettre à jour").click()
    card = page.locator("article", has_text="Réunir les cantines")
    expect(card.locator(".badge").first).to_have_text("En cours")
    expect(card).to_contain_text("50 %")
    expect(card).to_contain_text("Dernière mise à jour")
    check_a11y(page, "plans-08-updated-phone")
    with scopes_disabled():
        action = Action.objects.get(title="Réunir les cantines")
        assert (action.progress, action.status) == (50, "in_progress")
        assert action.updates.count() == 2
