"""The coordinator's view of the action plans in Chromium, with axe on every page of
theirs: the overview of a programme of three teams (one late action), its CSV export,
then a common plan composed of two teams' actions."""

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from plans.models import ActionPlan, CommonPlanEntry
from plans.services import actions as action_services
from plans.services import stages as stage_services
from tests.factories import MembershipFactory, build_programme

from .conftest import check_a11y
from .test_engagement_journey import log_in


def build_world():
    with scopes_disabled():
        world = build_programme(teams=3, members_per_team=1)
        coordinator = MembershipFactory(organisation=world.organisation, role="coordinator").user
    today = timezone.localdate()
    actions = []
    with scope(organisation=world.organisation.pk):
        for team, (title, days) in zip(
            world.teams[:2],
            [("Recenser les cantines du territoire", -6), ("Créer une légumerie", 45)],
            strict=True,
        ):
            plan = stage_services.team_plan(team=team)
            member = team.members.select_related("user").first().user
            actions.append(
                action_services.create_action(
                    plan=plan,
                    acting_user=member,
                    title=title,
                    starts_on=today - timedelta(days=30),
                    due_on=today + timedelta(days=days),
                )
            )
    return world, coordinator, actions


def test_the_coordinator_follows_the_plans_and_composes_a_common_plan(page: Page, live_server):
    world, coordinator, actions = build_world()
    slug, programme = world.organisation.slug, world.programme
    log_in(page, coordinator.email)

    # The overview: every team, the late action flagged, the timeline and its table.
    page.goto(reverse("plans:overview", args=[slug, programme.pk]))
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.name)
    expect(main.get_by_role("img", name="Calendrier des actions")).to_be_visible()
    with scopes_disabled():
        for team in world.teams:
            expect(main).to_contain_text(team.name)
    expect(main).to_contain_text("sans mise à jour depuis 6 semaines")  # the third team
    page.get_by_text("Les actions sous forme de tableau").click()
    late_row = main.get_by_role("row", name="Recenser les cantines du territoire")
    expect(late_row).to_contain_text("À lancer, en retard")
    check_a11y(page, "plans-overview")

    # The export.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter les actions (CSV)").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as handle:
        content = handle.read()
    rows = {row[1]: row for row in csv.reader(io.StringIO(content))}
    assert rows["Recenser les cantines du territoire"][3] == "À lancer (en retard)"
    assert rows["Créer une légumerie"][3] == "À lancer"

    # A common plan of both teams' actions.
    page.get_by_role("link", name="Nouveau plan commun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau plan commun ou de groupe")
    page.get_by_label("Titre").fill("Plan alimentaire commun")
    check_a11y(page, "plans-common-create")
    page.get_by_role("button", name="Créer le plan").click()
    expect(page.locator("main")).to_contain_text("Plan alimentaire commun")
    with scopes_disabled():
        common = ActionPlan.objects.get(kind="common")
    add_url = reverse("plans:entry_add", args=[slug, programme.pk, common.pk])
    for action, priority, lead in ((actions[0], "Haute", "CC du Val"), (actions[1], "Basse", "")):
        page.goto(add_url)
        page.get_by_label("Action", exact=True).select_option(label=action.title)
        page.get_by_label("Priorité").select_option(label=priority)
        page.get_by_label("Chef de file").fill(lead)
        check_a11y(page, f"plans-common-entry-{action.pk}")
        page.get_by_role("button", name="Ajouter au plan commun").click()
        expect(page.locator("main")).to_contain_text("ajoutée au plan commun")
    with scopes_disabled():
        entries = list(CommonPlanEntry.objects.filter(common_plan=common).order_by("priority"))
    assert [(entry.action_id, entry.priority, entry.lead) for entry in entries] == [
        (actions[0].pk, 1, "CC du Val"),
        (actions[1].pk, 3, ""),
    ]

    # The same action twice is refused, in French, next to the field.
    page.goto(add_url)
    page.get_by_label("Action", exact=True).select_option(label=actions[0].title)
    page.get_by_role("button", name="Ajouter au plan commun").click()
    expect(page.locator("main")).to_contain_text("Cette action est déjà dans le plan commun.")
    check_a11y(page, "plans-common-entry-refused")
