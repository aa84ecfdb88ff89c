"""The minutes of a COPIL in Chromium, with axe on every page visited.

A trainer opens the COPIL's page (held ten days ago, its attendance taken), writes its
minutes (attendees pre-filled from the sheet, the agenda's points, a decision and an
action added with « Ajouter une ligne »), and validates them: one e-mail per attendee
with the PDF attached waits in the outbox, and the action is on the team's plan. An
attendee reads the minutes on a phone; the coordinator sees the programme's « Comptes
rendus » tab with the session still without validated minutes."""

import base64

from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from notifications.models import OutboxMessage
from plans.models import Action
from tests.ressources.factories import minutes_world

from .conftest import check_a11y
from .test_engagement_journey import log_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def switch_to(page: Page, user, viewport) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(viewport)
    log_in(page, user.email)


def test_a_copil_minutes_from_attendance_to_the_plan(page: Page, live_server):
    with scopes_disabled():
        world = minutes_world()
        member = world.members[0]
        member.first_name, member.last_name = "Mila", "Membre"
        member.save()
    slug = world.organisation.slug

    # The trainer, on a desktop, from the session's page to the editor.
    switch_to(page, world.trainer, DESKTOP)
    page.goto(reverse("parcours:session_detail", args=[slug, world.copil.pk]))
    check_a11y(page, "minutes-01-session")
    page.get_by_role("button", name="Rédiger le compte rendu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compte rendu")
    main = page.locator("main")
    expect(main).to_contain_text("D’après la feuille de présence")
    expect(main).to_contain_text("Mila Membre")
    check_a11y(page, "minutes-02-editor")

    # The agenda's first point, then a decision and an action on rows added by a submit.
    page.locator("[name=items-0-text]").fill("Chaque partenaire présente ses attentes.")
    page.locator("button[name=ajouter][value=decisions]").click()
    page.locator("[name=decisions-0-text]").fill("Le groupe de travail se réunira en janvier.")
    page.locator("button[name=ajouter][value=actions]").click()
    expect(page.locator("[name=items-0-text]")).to_have_value(
        "Chaque partenaire présente ses attentes."
    )
    page.locator("[name=actions-0-text]").fill("Recenser les cantines du territoire")
    page.locator("[name=actions-0-owner]").select_option(label="Mila Membre")
    page.locator("[name=actions-0-team]").select_option(label=world.team.name)
    page.locator("[name=actions-0-due_on]").fill(world.in_a_month.isoformat())
    check_a11y(page, "minutes-03-editor-rows")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Compte rendu enregistré.")
    expect(main).to_contain_text("Le groupe de travail se réunira en janvier.")
    check_a11y(page, "minutes-04-draft")

    # Validation: one e-mail per attendee with the PDF, the action on the team's plan.
    page.get_by_role("button", name="Valider et envoyer").click()
    expect(page.locator(".messages")).to_contain_text("Compte rendu validé")
    expect(main).to_contain_text("Validé")
    check_a11y(page, "minutes-05-validated")
    with scopes_disabled():
        sent = list(OutboxMessage.objects.filter(kind="minutes.validated"))
        assert sorted(m.recipient_id for m in sent) == sorted([member.pk, world.others[0].pk])
        for message in sent:
            (attachment,) = message.attachments
            assert attachment["filename"].endswith("-v1.pdf")
            assert base64.b64decode(attachment["content"]).startswith(b"%PDF")
        action = Action.objects.select_related("plan").get(source="minutes")
        assert action.plan.team_id == world.team.pk and action.owner_id == member.pk
        plan_path = reverse("plans:plan_detail", args=[slug, world.programme.pk, action.plan_id])

    # The attendee, on a phone: the minutes from the session's page, the action on the plan.
    switch_to(page, member, PHONE)
    page.goto(reverse("parcours:session_detail", args=[slug, world.copil.pk]))
    page.get_by_role("link", name="Lire le compte rendu").click()
    expect(main).to_contain_text("Chaque partenaire présente ses attentes.")
    check_a11y(page, "minutes-06-read-phone")
    page.goto(plan_path)
    expect(main).to_contain_text("Recenser les cantines du territoire")

    # The coordinator: the programme's minutes and the gap left (the coaching).
    switch_to(page, world.coordinator, DESKTOP)
    page.goto(reverse("ressources:programme_minutes", args=[slug, world.programme.pk]))
    expect(main).to_contain_text("Séances sans compte rendu validé")
    expect(main).to_contain_text("Accompagnement individuel")
    check_a11y(page, "minutes-07-programme")
