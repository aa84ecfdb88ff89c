"""A team member signs the engagement from the organisation's home page, on a phone, and
sees it signed; the coordinator follows it on the team page and the signatures
dashboard. Axe runs on every page."""

import re
from datetime import date

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from parcours import services
from parcours.models import Signature
from tests.factories import MembershipFactory, SessionFactory, build_programme

from .conftest import check_a11y
from .test_programme_setup_journey import PASSWORD


def log_in(page: Page, email: str) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_member_signs_and_the_coordinator_sees_the_team_engaged(page: Page):
    with scopes_disabled():
        world = build_programme(
            teams=2, members_per_team=2, start_date=date(2026, 6, 1), end_date=date(2028, 6, 30)
        )
        coordinator = MembershipFactory(organisation=world.organisation).user
        team = world.teams[0]
        elu, charge = team.members.select_related("user").order_by("pk")
        for member, (first, last) in zip(
            (elu, charge), [("Élise", "Dupont"), ("Karim", "Benali")], strict=True
        ):
            member.user.first_name, member.user.last_name = first, last
            member.user.save()
        launch = SessionFactory(programme=world.programme, kind=world.kind, title="Lancement")
    with scope(organisation=world.organisation.pk):
        text = services.publish_engagement_text(
            programme=world.programme,
            acting_user=coordinator,
            body="En signant ce parcours, je m'engage à bloquer ces dates clés.",
            key_sessions=[launch],
        )
        services.sign_engagement(
            member=charge,
            acting_user=charge.user,
            typed_name="Karim Benali",
            consent=True,
            ip_address="192.0.2.1",
            user_agent="pytest",
            text_id=text.pk,
            text_hash=text.digest(team.pk),
        )
    slug = world.organisation.slug

    # The élue, on a phone: the home page asks for her signature.
    page.set_viewport_size({"width": 375, "height": 740})
    mobile = page
    log_in(mobile, elu.user.email)
    mobile.goto(reverse("organisations:home", args=[slug]))
    mobile.get_by_role("link", name=re.compile("engagement", re.IGNORECASE)).first.click()
    expect(mobile.get_by_role("heading", level=1)).to_have_text("Mon engagement")
    expect(mobile.get_by_text("Lancement")).to_be_visible()
    check_a11y(mobile, "engagement-a-signer")
    mobile.get_by_role("button", name="Je signe l’engagement").click()
    expect(mobile.get_by_label("Votre prénom et votre nom")).to_be_visible()  # refused
    mobile.get_by_label(re.compile("J'ai lu ce texte")).check()
    mobile.get_by_label("Votre prénom et votre nom").fill("Élise Dupont")
    mobile.get_by_role("button", name="Je signe l’engagement").click()
    expect(mobile.get_by_role("heading", name=re.compile("Vous avez signé"))).to_be_visible()
    check_a11y(mobile, "engagement-signe")
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    with scopes_disabled():
        signature = Signature.objects.get(member=elu)
        assert signature.typed_name == "Élise Dupont" and signature.consent

    # The coordinator: the team page and the dashboard say « engagée ».
    log_in(page, coordinator.email)
    page.goto(reverse("parcours:team_detail", args=[slug, world.programme.pk, team.pk]))
    expect(page.get_by_text("Équipe engagée")).to_be_visible()
    page.locator("summary", has_text="Retirer").first.click()
    check_a11y(page, "equipe")
    page.goto(reverse("parcours:engagement_dashboard", args=[slug, world.programme.pk]))
    expect(page.get_by_role("table")).to_contain_text("Engagée")
    check_a11y(page, "engagement-tableau-de-bord")
    page.goto(reverse("parcours:engagement_edit", args=[slug, world.programme.pk]))
    check_a11y(page, "engagement-texte")
