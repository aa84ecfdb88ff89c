"""A team member follows their notifications from the header bell, then turns the
reminders off: a later reminder reaches them neither in the app nor by e-mail, while a
cancelled session still does — with axe on every page."""

import re

from django.db import transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from notifications import services
from notifications.models import Notification, OutboxMessage, UnsubscribeKey
from tests.factories import OrganisationFactory, TeamMemberFactory, UserFactory, build_programme

from .conftest import check_a11y

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory's password
EMAIL = "lea.moreau@pat-exemple.fr"


def build_member():
    organisation = OrganisationFactory(name="Région Hauts-de-France", slug="hdf")
    member = UserFactory(email=EMAIL, first_name="Léa", last_name="Moreau")
    with scope(organisation=organisation.pk):
        parcours = build_programme(organisation=organisation, teams=1, members_per_team=1)
        TeamMemberFactory(team=parcours.teams[0], user=member, role=parcours.roles[1])
    return organisation, member


def send(organisation, member, title, *, url="", category="reminders", mandatory=False):
    with scope(organisation=organisation.pk), transaction.atomic():
        services.send(
            organisation=organisation,
            recipients=[member],
            kind="test",
            category=category,
            build=lambda user: services.Email(subject=title, text=title),
            url=url,
            mandatory=mandatory,
        )


def login(page: Page):
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes organisations")


def bell(page: Page):
    return page.locator("#notification-bell")


def test_member_follows_the_bell_then_turns_reminders_off(page: Page):
    organisation, member = build_member()
    slug = organisation.slug
    home = reverse("organisations:home", args=[slug])
    login(page)
    page.goto(home)
    expect(bell(page)).to_have_accessible_name("Notifications, aucune non lue")

    send(organisation, member, "Rappel : formation J1 dans 7 jours", url=home)
    send(organisation, member, "Rappel : COPIL demain")
    send(organisation, member, "Nouveau membre dans votre équipe", category="team_news")
    page.reload()
    expect(bell(page)).to_have_accessible_name("Notifications, 3 non lues")
    expect(bell(page).locator(".badge")).to_have_text("3")
    check_a11y(page, "notifications-cloche")

    bell(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_text("Non lue", exact=True)).to_have_count(3)
    check_a11y(page, "notifications-liste")

    # Following one marks it read and leads to its page.
    page.get_by_role("button", name="Rappel : formation J1 dans 7 jours").click()
    expect(page).to_have_url(re.compile(re.escape(home) + "$"))
    expect(bell(page)).to_have_accessible_name("Notifications, 2 non lues")
    expect(bell(page).locator(".badge")).to_have_text("2")

    bell(page).click()
    expect(page.get_by_text("Non lue", exact=True)).to_have_count(2)
    page.get_by_role("button", name="Tout marquer comme lu").click()  # htmx
    expect(page.get_by_role("status")).to_contain_text("Toutes vos notifications sont marquées")
    expect(bell(page)).to_have_accessible_name("Notifications, aucune non lue")
    expect(page.get_by_text("Non lue", exact=True)).to_have_count(0)
    check_a11y(page, "notifications-toutes-lues")

    # The preferences, from the account menu.
    page.get_by_role("button", name=re.compile("Mon compte")).click()
    page.get_by_role("link", name="Mes notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes notifications")
    expect(page.get_by_text("Les messages qu'on ne peut pas désactiver")).to_be_visible()
    check_a11y(page, "notifications-preferences")
    reminders = page.get_by_role("group", name=re.compile("^Rappels"))
    reminders.get_by_label("Rien (ni e-mail ni notification)").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_role("status")).to_contain_text("Vos préférences sont enregistrées.")
    expect(
        page.get_by_role("group", name=re.compile("^Rappels")).get_by_label(
            "Rien (ni e-mail ni notification)"
        )
    ).to_be_checked()
    check_a11y(page, "notifications-preferences-enregistrees")

    # A reminder now reaches nothing; a cancelled session still arrives.
    with scopes_disabled():
        before = (Notification.objects.count(), OutboxMessage.objects.count())
    send(organisation, member, "Rappel : séance J-1")
    with scopes_disabled():
        assert (Notification.objects.count(), OutboxMessage.objects.count()) == before
        assert not Notification.objects.filter(title="Rappel : séance J-1").exists()
        assert not OutboxMessage.objects.filter(subject="Rappel : séance J-1").exists()
    send(organisation, member, "Séance annulée : COPIL", url=home, mandatory=True)
    with scopes_disabled():
        assert Notification.objects.filter(user=member, title="Séance annulée : COPIL").exists()
        assert OutboxMessage.objects.filter(
            recipient=member, subject="Séance annulée : COPIL"
        ).exists()
    page.goto(reverse("notifications:list", args=[slug]))
    expect(bell(page)).to_have_accessible_name("Notifications, 1 non lue")
    expect(page.get_by_role("button", name="Séance annulée : COPIL")).to_be_visible()
    expect(page.get_by_role("button", name="Rappel : séance J-1")).to_have_count(0)


def test_unsubscribe_link_without_login(page: Page):
    _organisation, member = build_member()
    key = UnsubscribeKey.objects.create(user=member)

    page.goto(reverse("notifications_unsubscribe", args=[key.token, "team_news"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Se désabonner")
    check_a11y(page, "notifications-desabonnement")
    page.get_by_role("button", name="Confirmer le désabonnement").click()
    expect(page.get_by_text("Vous ne recevrez plus de messages")).to_be_visible()
    check_a11y(page, "notifications-desabonnement-fait")
    assert services.channels_for([member], "team_news")[member.pk] == "off"
