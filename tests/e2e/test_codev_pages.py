"""The group pages in Chromium, with axe on each: the coordinator composes two CODEV
groups from Sillon's proposal and changes a team's group and a group's members with the
keyboard only; a team member then reads their group, read-only."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from codev.models import Group
from tests.factories import MembershipFactory, build_programme

from .conftest import check_a11y
from .test_engagement_journey import log_in


def test_groups_are_composed_with_the_keyboard_and_read_by_a_member(page: Page, live_server):
    with scopes_disabled():
        world = build_programme(teams=4, members_per_team=1)
        coordinator = MembershipFactory(organisation=world.organisation, role="coordinator").user
        member = world.teams[0].members.select_related("user").first().user
    slug, programme = world.organisation.slug, world.programme
    day = (date.today() + timedelta(days=30)).isoformat()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, coordinator.email)

    page.goto(reverse("codev:group_list", args=[slug, programme.pk]))
    expect(page.locator("main")).to_contain_text("Aucun groupe pour l’instant")
    check_a11y(page, "codev-groupes-vide")

    # Sillon proposes balanced groups of two teams.
    page.get_by_role("link", name="Proposer des groupes").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer des groupes")
    check_a11y(page, "codev-proposer")
    page.get_by_label("Équipes par groupe").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.get_by_label("Nom des groupes").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("CODEV")
    page.get_by_role("button", name="Proposer").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Créer les groupes")).to_be_visible()
    check_a11y(page, "codev-proposition")

    # The coordinator renames the second group and moves the first team out of any group.
    page.get_by_label("Nom du groupe n° 2").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("CODEV Sud")
    team_select = page.get_by_label(world.teams[3].name, exact=True)
    team_select.focus()
    before = team_select.input_value()
    page.keyboard.press("Home")  # « (aucun groupe) », the first option
    assert before != "" and team_select.input_value() == ""
    page.get_by_role("button", name="Créer les groupes").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("2 groupe(s) créé(s).")
    expect(page.locator("main")).to_contain_text("CODEV Sud")
    check_a11y(page, "codev-groupes")
    with scopes_disabled():
        assert Group.objects.filter(programme=programme).count() == 2
        assert not world.teams[3].group_memberships.exists()
        group = Group.objects.get(memberships__team=world.teams[0])

    # The group's members, chosen with checkboxes: the fourth team joins.
    page.goto(reverse("codev:group_detail", args=[slug, group.pk]))
    check_a11y(page, "codev-groupe")
    page.get_by_role("link", name="Choisir les membres").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Membres du groupe")
    check_a11y(page, "codev-membres")
    page.get_by_label(re.compile(re.escape(world.teams[3].name))).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Enregistrer les membres").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("1 ajouté(s)")
    expect(page.locator("main")).to_contain_text(world.teams[3].name)

    # A séance for every group, then the group's page with the proposed rotation.
    page.goto(reverse("codev:series_create", args=[slug, programme.pk]))
    check_a11y(page, "codev-seances")
    page.get_by_label("Titre").fill("CODEV visio 0,5 j")
    page.get_by_label("Type de séance").select_option(label="Formation")
    page.get_by_label("Date", exact=True).fill(day)
    page.get_by_label("Heure de début").fill("09:00")
    page.get_by_label("Heure de fin").fill("12:00")
    page.get_by_label("Lien de visio").fill("https://visio.exemple.fr/codev")
    page.get_by_role("button", name="Créer les séances").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("2 séance(s) créée(s)")
    page.goto(reverse("codev:group_detail", args=[slug, group.pk]))
    expect(page.locator("main")).to_contain_text("Rotation proposée des clients")
    check_a11y(page, "codev-groupe-seances")
    page.get_by_role("button", name="Appliquer la rotation").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Client désigné pour 1 séance(s).")
    page.context.clear_cookies()

    # A member of the first team reads the group, without the coordinator's tools.
    log_in(page, member.email)
    page.goto(reverse("codev:group_list", args=[slug, programme.pk]))
    expect(page.locator("main")).to_contain_text(group.name)
    expect(page.get_by_role("link", name="Nouveau groupe")).to_have_count(0)
    check_a11y(page, "codev-groupes-membre")
    page.get_by_role("link", name=group.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(group.name)
    expect(page.get_by_role("link", name="Choisir les membres")).to_have_count(0)
    check_a11y(page, "codev-groupe-membre")
