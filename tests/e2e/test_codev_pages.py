"""The group pages in Chromium, with axe on each: the coordinator changes a group's
members with checkboxes, keyboard only; a team member then reads their group,
read-only. Composing the groups from Sillon's proposal, the series of séances and the
rotation are in ``test_codev_journey``."""

import re

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from codev.models import Group, GroupKind
from codev.services import groups
from tests.factories import MembershipFactory, build_programme

from .conftest import check_a11y
from .test_engagement_journey import log_in


def test_members_are_chosen_with_the_keyboard_and_the_group_read_by_a_member(
    page: Page, live_server
):
    with scopes_disabled():
        world = build_programme(teams=4, members_per_team=1)
        coordinator = MembershipFactory(organisation=world.organisation, role="coordinator").user
        member = world.teams[0].members.select_related("user").first().user
    with scope(organisation=world.organisation.pk):
        group = groups.save_group(
            group=Group(programme=world.programme, name="CODEV Nord", kind=GroupKind.CODEV),
            acting_user=coordinator,
        )
        groups.set_members(group=group, teams=world.teams[:3], acting_user=coordinator)
    slug, programme = world.organisation.slug, world.programme
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, coordinator.email)

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
