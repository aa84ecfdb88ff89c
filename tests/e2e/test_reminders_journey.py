"""A coordinator opens the reminders to come, changes the programme's J-7 into a J-3 in
its reminder settings (after a typo refused next to the field), and sees the list of the
next 14 days change — axe on every page, and the list fits a phone."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from tests.factories import MembershipFactory, OrganisationFactory, SessionFactory, build_programme

from .conftest import check_a11y

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory's password
COORDINATOR = "parcours@hautsdefrance.example.org"
PARIS = ZoneInfo("Europe/Paris")


def build_world():
    organisation = OrganisationFactory(name="Région Hauts-de-France", slug="hdf")
    MembershipFactory(organisation=organisation, coordinator=True, user__email=COORDINATOR)
    today = date.today()
    with scopes_disabled():
        parcours = build_programme(
            organisation=organisation,
            teams=2,
            name="Gouvernance des PAT",
            start_date=today.replace(day=1) - timedelta(days=90),
            end_date=today + timedelta(days=600),
        )
        SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            title="Journée de formation J2",
            starts_at=datetime.combine(today + timedelta(days=10), time(9, 30), PARIS),
            ends_at=datetime.combine(today + timedelta(days=10), time(17, 0), PARIS),
        )
    return organisation


def test_coordinator_changes_an_offset_and_sees_the_upcoming_list_change(page: Page):
    organisation = build_world()
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill(COORDINATOR)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes organisations")

    page.goto(reverse("organisations:home", args=[organisation.slug]))
    page.get_by_role("navigation").get_by_role("link", name="Rappels").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rappels")
    upcoming = page.locator("#a-venir ~ section")
    expect(upcoming.get_by_text("J-7", exact=True)).to_have_count(1)
    expect(upcoming.get_by_text("J-1", exact=True)).to_have_count(1)
    page.get_by_text("6 personnes").first.click()  # opens the <details>
    check_a11y(page, "rappels-a-venir")

    page.get_by_role("link", name="Rappels de « Gouvernance des PAT »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rappels du programme « Gouvernance des PAT »"
    )
    session_rule = page.get_by_role("group", name="Rappel avant une séance")
    offsets = session_rule.get_by_label("Délais, en jours avant la séance")
    expect(offsets).to_have_value("7, 1")
    offsets.fill("3, trois")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("« trois » n'est pas un nombre entier.")).to_be_visible()
    expect(offsets).to_have_attribute("aria-invalid", "true")
    check_a11y(page, "rappels-reglages-erreur")

    offsets.fill("3, 1")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rappels")
    expect(
        page.get_by_text("Rappels du programme « Gouvernance des PAT » enregistrés.")
    ).to_be_visible()
    expect(upcoming.get_by_text("J-7", exact=True)).to_have_count(0)
    expect(upcoming.get_by_text("J-3", exact=True)).to_have_count(1)
    expect(upcoming.get_by_text("J-1", exact=True)).to_have_count(1)
    check_a11y(page, "rappels-apres-reglage")

    page.get_by_role("link", name="Rappels de « Gouvernance des PAT »").click()
    expect(
        page.get_by_role("group", name="Rappel avant une séance").get_by_label(
            "Délais, en jours avant la séance"
        )
    ).to_have_value("3, 1")
    check_a11y(page, "rappels-reglages")

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(reverse("parcours:upcoming", args=[organisation.slug]))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the reminders page is {width}px wide on a 375px phone"
