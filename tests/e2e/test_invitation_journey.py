"""A coordinator is invited by e-mail, creates an account, logs in with an e-mailed code
and invites a trainer — in Chromium, as a person would, through accessible names."""

import re

from django.core import mail
from django.urls import reverse
from django_scopes import scope
from playwright.sync_api import Page, expect

from organisations import services
from organisations.models import Role

from .conftest import check_a11y, check_skip_link

COORDINATOR_EMAIL = "camille.durand@example.org"
TRAINER_EMAIL = "sacha.martin@example.org"
LOGIN_CODE = re.compile(r"^\s*([A-Z0-9]{2,}(?:-[A-Z0-9]{2,})+)\s*$", re.MULTILINE)


def link_in(message, prefix: str) -> str:
    match = re.search(re.escape(prefix) + r"\S+", message.body)
    assert match, f"no link starting with {prefix} in:\n{message.body}"
    return match.group(0)


def test_password_login_page(page: Page):
    response = page.goto(reverse("account_login"))
    # axe and the keyboard check run under the strict policy the site really sends.
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    check_skip_link(page)
    check_a11y(page, "connexion")


def test_invited_coordinator_joins_then_invites_a_trainer(page: Page, live_server, settings):
    settings.SITE_URL = live_server.url  # links in e-mails lead to the live server
    organisation = services.create_organisation(
        name="Région Bourgogne-Franche-Comté", slug="bfc", contact_email="parcours@example.org"
    )
    with scope(organisation=organisation.pk):
        services.invite_member(
            organisation=organisation,
            email=COORDINATOR_EMAIL,
            role=Role.COORDINATOR,
            acting_user=None,
        )
    assert [message.to for message in mail.outbox] == [[COORDINATOR_EMAIL]]
    accept_url = link_in(mail.outbox[0], f"{live_server.url}/invitation/")

    # The invitation page: give a name, accept.
    page.goto(accept_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rejoindre Région Bourgogne-Franche-Comté"
    )
    check_a11y(page, "invitation")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_role("button", name="Rejoindre Région Bourgogne-Franche-Comté").click()

    # The account exists, its address verified: logged in at once, no code to type.
    expect(page.get_by_text("Bienvenue dans Région Bourgogne-Franche-Comté !")).to_be_visible()

    # Logged in, on the organisation's home page.
    expect(page).to_have_url(
        live_server.url + reverse("organisations:home", args=[organisation.slug])
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Région Bourgogne-Franche-Comté")
    check_skip_link(page)
    check_a11y(page, "accueil-organisation")

    # Members, then invite a trainer.
    navigation = page.get_by_role("navigation", name="Navigation principale")
    navigation.get_by_role("link", name="Membres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Membres")
    members = page.get_by_role("table", name="Membres de Région Bourgogne-Franche-Comté")
    expect(members.get_by_role("row").filter(has_text=COORDINATOR_EMAIL)).to_contain_text(
        "Camille Durand"
    )
    check_a11y(page, "membres")

    page.get_by_role("link", name="Inviter un membre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inviter un membre")
    check_a11y(page, "inviter-un-membre")
    page.get_by_label("Adresse e-mail").fill(TRAINER_EMAIL)
    page.get_by_label("Rôle").select_option(label="Formateur·rice / intervenant·e")
    page.get_by_role("button", name="Envoyer l'invitation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Membres")
    expect(page.get_by_role("status")).to_contain_text(f"Invitation envoyée à {TRAINER_EMAIL}.")
    pending = page.get_by_role("table", name="Invitations en attente")
    expect(pending.get_by_role("row").filter(has_text=TRAINER_EMAIL)).to_contain_text(
        "Formateur·rice / intervenant·e"
    )
    check_a11y(page, "membres-invitation-envoyee")

    invitation_message = mail.outbox[-1]
    assert invitation_message.to == [TRAINER_EMAIL]
    assert f"{live_server.url}/invitation/" in invitation_message.body
