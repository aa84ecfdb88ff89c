"""The call for applications from end to end, in Chromium: an anonymous visitor reads the
public call, creates an account, applies with a trinôme on a phone and invites the two
others, who join and confirm their parts; the lead answers the motivation question and
submits; the coordinator scores, selects and announces; the three members accept their
team invitations and sign the engagement; the team page says « engagée ». Axe runs on
every page of the journey."""

import re

from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from candidatures.models import Application
from evaluation.services import intake
from parcours import services
from parcours.models import Signature, Team
from tests.factories import (
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    QuestionFactory,
    ScoringCriterionFactory,
    SectionFactory,
    SessionFactory,
    TerritoryFactory,
    UserFactory,
    VersionFactory,
    build_programme,
)

from .conftest import check_a11y
from .test_invitation_journey import link_in
from .test_programme_setup_journey import PASSWORD

LEAD_EMAIL = "lea.porteuse@paysdebray.example.org"
CHARGE_EMAIL = "karim.benali@paysdebray.example.org"
RESPONSABLE_EMAIL = "ines.roux@paysdebray.example.org"
LEAD_PASSWORD = "potager-partage-2026"
CALL_TITLE = "AMI Gouvernance alimentaire 2026"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
VERIFICATION_CODE = re.compile(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]{2,})*)\s*$", re.MULTILINE)


def expect_h1(page: Page, text) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def expect_within_phone(page: Page) -> None:
    """Nothing sticks out sideways on a phone (a wide table scrolls in its own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"


def messages(page: Page):
    """The flash messages of the page (other live regions may be on it)."""
    return page.locator(".messages[role=status]")


def messages_to(email: str) -> list:
    return [message for message in mail.outbox if message.to == [email]]


def link_sent_to(email: str, prefix: str) -> str:
    """The link starting with ``prefix`` in the last e-mail to ``email`` that has one."""
    for message in reversed(messages_to(email)):
        if prefix in message.body:
            return link_in(message, prefix)
    raise AssertionError(f"no e-mail to {email} with a link starting with {prefix}")


def log_in_from_here(page: Page, email: str, password: str = PASSWORD) -> None:
    """On the login page reached from a link (``?next=``): the password form."""
    expect_h1(page, "Connexion")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()


def build_world():
    with scopes_disabled():
        organisation = OrganisationFactory(
            name="Région Hauts-de-France", slug="hauts-de-france", time_zone="Europe/Paris"
        )
        world = build_programme(organisation=organisation, teams=0, name="Gouvernance des PAT")
        world.coordinator = MembershipFactory(
            organisation=organisation,
            coordinator=True,
            user__email="parcours@hautsdefrance.example.org",
            user__first_name="Camille",
            user__last_name="Durand",
        ).user
        world.call = CallFactory(
            cohort=world.cohort,
            published=True,
            slug="ami-2026",
            title=CALL_TITLE,
            summary="Un parcours de formation pour les trinômes des projets alimentaires.",
            body="Le parcours accompagne **huit territoires** pendant deux ans.",
            eligibility="Un trinôme : élu·e, chargé·e de mission, responsable de service.",
        )
        ScoringCriterionFactory(call=world.call, name="Portage politique", weight=2)
        ScoringCriterionFactory(call=world.call, name="Ancrage territorial", weight=1)
        version = VersionFactory(
            questionnaire__organisation=organisation,
            questionnaire__purpose="application",
            questionnaire__title="Motivation de la candidature",
        )
        section = SectionFactory(version=version, title="Votre projet")
        QuestionFactory(
            section=section, long_text=True, required=True, label="Pourquoi candidatez-vous ?"
        )
        world.questionnaire = version.questionnaire
        world.launch = SessionFactory(
            programme=world.programme, kind=world.kind, title="Lancement du parcours"
        )
        TerritoryFactory(kind="epci", code="200069581", name="CC des Quatre Rivières en Bray")
        world.charge = UserFactory(email=CHARGE_EMAIL, first_name="Karim", last_name="Benali")
        world.responsable = UserFactory(
            email=RESPONSABLE_EMAIL, first_name="Inès", last_name="Roux"
        )
    with scope(organisation=organisation.pk):
        intake.attach_questionnaire(
            call=world.call,
            slot=intake.MOTIVATION,
            questionnaire=world.questionnaire,
            acting_user=world.coordinator,
        )
        services.publish_engagement_text(
            programme=world.programme,
            acting_user=world.coordinator,
            body="En signant ce parcours, je m'engage à bloquer ces dates clés.",
            key_sessions=[world.launch],
        )
    return world


def test_a_trinome_applies_is_selected_and_signs_the_engagement(page: Page, live_server, settings):
    settings.SITE_URL = live_server.url  # links in e-mails lead to the live server
    world = build_world()
    slug = world.organisation.slug
    call = world.call

    # --- The anonymous visitor reads the public call, on a phone. -------------------
    page.set_viewport_size(PHONE)
    page.goto(reverse("candidatures:call_public", args=[slug, call.slug]))
    expect_h1(page, CALL_TITLE)
    expect(page.get_by_text("huit territoires")).to_be_visible()
    check_a11y(page, "appel-public")
    page.get_by_role("link", name="Créer un compte pour candidater").click()

    # Signup, then the code sent to the address.
    page.get_by_label("Courriel").fill(LEAD_EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(LEAD_PASSWORD)
    page.get_by_label(re.compile("Mot de passe \\(")).fill(LEAD_PASSWORD)
    check_a11y(page, "candidat-inscription")
    page.get_by_role("button", name="Création de compte").click()
    code_message = messages_to(LEAD_EMAIL)[-1]
    code = VERIFICATION_CODE.search(code_message.body)
    assert code, f"no verification code in:\n{code_message.body}"
    check_a11y(page, "candidat-code")
    page.get_by_label("Code").fill(code.group(1))
    page.get_by_role("button", name="Confirmer").click()

    # Back on the call's application form.
    expect_h1(page, "Candidater")
    check_a11y(page, "candidature-commencer")
    combobox = page.get_by_role("combobox", name="Territoire")
    combobox.press_sequentially("quatre rivi", delay=30)
    option = page.get_by_role("option", name=re.compile("Quatre Rivières en Bray"))
    expect(option).to_be_visible()
    option.click()
    expect(combobox).to_have_value(re.compile("Quatre Rivières en Bray"))
    page.get_by_label("Structure porteuse").fill("CC des Quatre Rivières en Bray")
    page.get_by_label("Nom du projet").fill("PAT du Pays de Bray")
    page.get_by_label("Votre prénom").fill("Léa")
    page.get_by_label("Votre nom").fill("Porteuse")
    page.get_by_label(re.compile("^Élu·e référent·e")).check()
    page.get_by_label("Votre fonction").fill("Vice-présidente à l'agriculture")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    # The team page: two more people, each invited by e-mail.
    expect_h1(page, "L’équipe")
    expect(messages(page)).to_contain_text("enregistrée comme brouillon")
    check_a11y(page, "candidature-equipe-vide")
    for first, last, email, role, function in [
        ("Karim", "Benali", CHARGE_EMAIL, "Chargé·e de mission", "Chargé de mission PAT"),
        ("Inès", "Roux", RESPONSABLE_EMAIL, "Responsable de service", "Responsable agriculture"),
    ]:
        page.get_by_label("Prénom").fill(first)
        page.get_by_label("Nom", exact=True).fill(last)
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label(re.compile(f"^{role}")).check()
        page.get_by_label("Fonction").fill(function)
        page.get_by_role("button", name="Ajouter et inviter").click()
        expect_h1(page, "L’équipe")
        team_table = page.get_by_role("region", name="Tableau de l’équipe de la candidature")
        expect(team_table.get_by_role("row").filter(has_text=email)).to_contain_text(
            "Invitation envoyée"
        )
    expect_within_phone(page)
    check_a11y(page, "candidature-equipe-invitee")

    # The summary, still on the phone: the motivation question is missing.
    page.get_by_role("link", name="Revenir à la candidature").click()
    expect_h1(page, re.compile("Candidature : "))
    expect(page.get_by_role("region", name="Ce qu’il reste à faire")).to_be_visible()
    expect_within_phone(page)
    check_a11y(page, "candidature-resume-telephone")
    page.get_by_role("link", name=re.compile("Remplir")).click()
    expect_h1(page, re.compile("Questions de motivation"))
    check_a11y(page, "candidature-questionnaire")
    why = page.get_by_label("Pourquoi candidatez-vous ?")
    why.fill("Pour structurer la gouvernance de notre PAT avec les communes.")
    # The answer saves itself as it is typed, and again when the field is left: let
    # both saves end before submitting (the test server shares one SQLite connection
    # between its threads, where concurrent transactions trip over each other).
    expect(page.get_by_text(re.compile("Enregistré à"))).to_be_visible()
    with page.expect_response(lambda r: r.request.method == "POST" and "/questionnaires/" in r.url):
        why.press("Tab")
    page.get_by_role("button", name="Enregistrer et revenir à la candidature").click()
    expect_h1(page, re.compile("Candidature : "))
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)

    # --- Each invitee follows the link of their e-mail, logs in, joins, confirms. ----
    join_prefix = f"{live_server.url}/{slug}/appels/{call.slug}/rejoindre/"
    for email, name in [(CHARGE_EMAIL, "karim"), (RESPONSABLE_EMAIL, "ines")]:
        page.goto(link_sent_to(email, join_prefix))
        expect_h1(page, "Invitation à compléter une candidature")
        check_a11y(page, f"candidature-invitation-{name}")
        page.get_by_role("main").get_by_role("link", name="Me connecter").click()
        log_in_from_here(page, email)
        expect_h1(page, "Invitation à compléter une candidature")
        page.get_by_role("button", name="Rejoindre la candidature").click()
        expect_h1(page, "Ma partie")
        check_a11y(page, f"candidature-ma-partie-{name}")
        page.get_by_role("button", name="Je confirme ma participation").click()
        expect(messages(page)).to_contain_text("votre participation est confirmée")
        expect_h1(page, re.compile("Candidature : "))
        page.context.clear_cookies()

    # --- The lead submits: the receipt is offered. ----------------------------------
    page.goto(reverse("account_login"))
    log_in_from_here(page, LEAD_EMAIL, LEAD_PASSWORD)
    with scopes_disabled():
        application = Application.objects.get(call=call)
    detail = reverse("candidatures:application_detail", args=[slug, call.slug, application.pk])
    page.goto(detail)
    expect(page.get_by_text("Rien ne manque")).to_be_visible()
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(messages(page)).to_contain_text("Votre candidature est déposée")
    expect(page.get_by_role("link", name="Télécharger le récépissé (PDF)")).to_be_visible()
    check_a11y(page, "candidature-deposee")
    (confirmation,) = [
        message
        for message in messages_to(LEAD_EMAIL)
        if message.subject.startswith("Candidature déposée")
    ]
    assert [part.get_content_type() for part in confirmation.attachments] == ["application/pdf"]
    page.context.clear_cookies()

    # --- The coordinator scores, selects and announces. -----------------------------
    page.goto(reverse("account_login"))
    log_in_from_here(page, world.coordinator.email)
    page.goto(reverse("candidatures:application_list", args=[slug, world.programme.pk, call.pk]))
    expect_h1(page, "Candidatures")
    applications = page.get_by_role("table", name=f"Candidatures à {CALL_TITLE}")
    row = applications.get_by_role("row").filter(has_text="CC des Quatre Rivières en Bray")
    expect(row).to_contain_text("Déposée")
    check_a11y(page, "selection-candidatures")
    row.get_by_role("link").click()
    expect_h1(page, re.compile("Quatre Rivières en Bray|PAT du Pays de Bray"))
    expect(page.get_by_role("table", name=re.compile("Membres proposés"))).to_contain_text(
        "Inès Roux"
    )
    page.get_by_role("group", name=re.compile("^Portage politique")).get_by_label(
        "4", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("^Ancrage territorial")).get_by_label(
        "3", exact=True
    ).check()
    page.get_by_label("Commentaire").fill("Trinôme complet, élue très impliquée.")
    page.get_by_role("button", name="Enregistrer mon évaluation").click()
    expect(messages(page)).to_contain_text("Votre évaluation est enregistrée.")
    expect(page.get_by_role("table", name=re.compile("Notes de chaque"))).to_contain_text(
        "Trinôme complet"
    )
    page.get_by_role("group", name="Décision").get_by_label("Retenue", exact=True).check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(messages(page)).to_contain_text("Décision enregistrée : Retenue")
    check_a11y(page, "selection-candidature-retenue")

    page.goto(reverse("candidatures:application_list", args=[slug, world.programme.pk, call.pk]))
    page.get_by_role("link", name="Annoncer les décisions").click()
    expect_h1(page, "Annoncer les décisions")
    expect(page.get_by_role("region", name="Ce qui sera envoyé")).to_contain_text("Retenue : 1")
    check_a11y(page, "selection-annoncer")
    page.get_by_role("button", name="Annoncer les décisions").click()
    expect(messages(page)).to_contain_text("1 décision annoncée")
    check_a11y(page, "selection-annoncee")
    page.context.clear_cookies()
    with scopes_disabled():
        team = Team.objects.get(cohort=world.cohort)
    team_url = reverse("parcours:team_detail", args=[slug, world.programme.pk, team.pk])

    # --- Each member accepts the team invitation and signs the engagement. ----------
    accept_prefix = f"{live_server.url}/equipes/invitation/"
    members = [
        (LEAD_EMAIL, LEAD_PASSWORD, "Léa Porteuse", "lea"),
        (CHARGE_EMAIL, PASSWORD, "Karim Benali", "karim"),
        (RESPONSABLE_EMAIL, PASSWORD, "Inès Roux", "ines"),
    ]
    for email, password, full_name, name in members:
        page.set_viewport_size(PHONE if email == LEAD_EMAIL else DESKTOP)
        page.goto(link_sent_to(email, accept_prefix))
        # They have an account: the invitation's page asks them to log in first.
        page.get_by_role("link", name="Me connecter").click()
        log_in_from_here(page, email, password)
        expect_h1(page, f"Rejoindre l’équipe {team.name}")
        if email == LEAD_EMAIL:
            expect_within_phone(page)
        check_a11y(page, f"equipe-invitation-{name}")
        page.get_by_role("button", name="Rejoindre l’équipe").click()
        # Joined: straight to the engagement to sign (issue 16).
        expect(messages(page)).to_contain_text("Bienvenue dans l")
        expect_h1(page, "Mon engagement")
        expect(page.get_by_text("Lancement du parcours")).to_be_visible()
        check_a11y(page, f"engagement-a-signer-{name}")
        page.get_by_label(re.compile("J'ai lu ce texte")).check()
        page.get_by_label("Votre prénom et votre nom").fill(full_name)
        page.get_by_role("button", name="Je signe l’engagement").click()
        expect(page.get_by_role("heading", name=re.compile("Vous avez signé"))).to_be_visible()
        if email == LEAD_EMAIL:
            expect_within_phone(page)
        check_a11y(page, f"engagement-signe-{name}")
        page.context.clear_cookies()
    with scopes_disabled():
        assert Signature.objects.filter(member__team=team).count() == 3

    # --- The coordinator sees the team « engagée ». ---------------------------------
    page.set_viewport_size(DESKTOP)
    page.goto(reverse("account_login"))
    log_in_from_here(page, world.coordinator.email)
    page.goto(team_url)
    expect_h1(page, re.compile(re.escape(team.name)))
    expect(page.get_by_text("Équipe engagée")).to_be_visible()
    check_a11y(page, "equipe-engagee")
