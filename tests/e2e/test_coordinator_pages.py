"""A coordinator logged in with a password walks the pages of their organisation and
account: each passes axe and keeps the page within a phone's width."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import InvitationFactory, MembershipFactory

from .conftest import check_a11y

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory's password


def test_coordinator_pages_are_accessible_on_desktop_and_phone(page: Page):
    membership = MembershipFactory(
        coordinator=True,
        organisation__name="CAF de la Creuse",
        organisation__slug="caf-creuse",
        user__email="coordination@caf.example.org",
    )
    MembershipFactory(organisation=membership.organisation, trainer=True)
    InvitationFactory(organisation=membership.organisation)
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill("coordination@caf.example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes organisations")

    slug = membership.organisation.slug
    pages = {
        "mes-organisations": reverse("home"),
        "parametres": reverse("organisations:settings", args=[slug]),
        "journal": reverse("organisations:audit_log", args=[slug]),
        "profil": reverse("accounts:profile"),
        "supprimer-compte": reverse("accounts:delete"),
    }
    for name, path in pages.items():
        page.goto(path)
        check_a11y(page, name)

    page.set_viewport_size({"width": 390, "height": 844})
    for path in [reverse("organisations:members", args=[slug]), *pages.values()]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    check_a11y(page, "telephone-supprimer-compte")
