"""Issue 16: from the team invitation e-mail to a signed engagement, on a 390 px phone,
in at most 3 clicks and 2 typed fields — the person had no account, chooses no password
and types no code. Clicks on buttons and links, ticks of checkboxes and typed fields
are counted apart."""

import re

from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from parcours import services
from parcours.models import Signature
from tests.factories import MembershipFactory, TeamFactory, build_programme

from .conftest import check_a11y

PHONE = {"width": 390, "height": 844}
EMAIL = "lea.martin@bray.example"


def test_from_the_invitation_email_to_a_signed_engagement(page: Page, live_server, settings):
    settings.SITE_URL = live_server.url
    with scopes_disabled():
        world = build_programme(teams=0)
        team = TeamFactory(cohort=world.cohort, name="PAT du Pays de Bray")
        coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
    with scope(organisation=world.organisation.pk):
        services.publish_engagement_text(
            programme=world.programme,
            acting_user=coordinator,
            body="Nous participons à toutes les séances du parcours.",
            key_sessions=[],
        )
        services.invite_to_team(
            team=team,
            acting_user=coordinator,
            email=EMAIL,
            first_name="Léa",
            last_name="Martin",
            role=world.roles[0],
        )
    (message,) = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(re.escape(f"{live_server.url}/equipes/invitation/") + r"\S+", message.body)
    assert link, message.body
    clicks, ticks, typed = 0, 0, 0

    page.set_viewport_size(PHONE)
    page.goto(link.group(0))  # the link in the e-mail
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rejoindre l’équipe PAT du Pays de Bray"
    )
    expect(page.get_by_text(world.organisation.name).first).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Léa")
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Martin")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_a11y(page, "onboarding-invitation-equipe")
    expect(page.get_by_text(re.compile("vous acceptez que vos données"))).to_be_visible()
    page.get_by_role("button", name="Rejoindre l’équipe").click()
    clicks += 1

    # Logged in, on the engagement to sign.
    expect(page).to_have_url(
        live_server.url
        + reverse(
            "parcours:engagement_sign",
            args=[world.organisation.slug, world.programme.pk, team.pk],
        )
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon engagement")
    page.get_by_label(re.compile("J'ai lu ce texte")).check()
    ticks += 1
    page.get_by_label("Votre prénom et votre nom").fill("Léa Martin")
    typed += 1
    page.get_by_role("button", name="Je signe l’engagement").click()
    clicks += 1
    expect(page.get_by_text("votre engagement est signé")).to_be_visible()

    with scopes_disabled():
        assert Signature.objects.filter(member__user__email=EMAIL).exists()
    # A tick is a click too: join, « J'ai lu », sign.
    assert clicks + ticks <= 3 and typed <= 2, (clicks, ticks, typed)
