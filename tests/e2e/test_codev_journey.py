"""A CODEV cycle in Chromium, with axe on every page visited.

The coordinator composes two CODEV groups of a programme of eight teams from Sillon's
proposal (the selects, named after the groups, changed with the keyboard), gives the
first group its facilitator and creates two séances for every group with the series
action, then applies the clients' rotation. The client team's member prepares its case
on a 390 px phone (question, context, what was tried); the facilitator runs the six
steps on a tablet with the timer and notes, records a consultant's advice and the
client's commitments (what, who, by when). Before the group's next séance the reminder
scan asks the former client, once, what became of its commitments (two scans, one
e-mail); its answer opens the next séance's page."""

import re
from datetime import timedelta
from urllib.parse import urlparse

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from codev.models import Advice, Case, Commitment, Group, GroupSession, StepNote
from notifications.scan import scan
from tests.factories import MembershipFactory, build_programme

from .conftest import check_a11y
from .test_engagement_journey import log_in

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
FOLLOW_UP_SUBJECT = "que sont devenus vos engagements"


def build_world():
    with scopes_disabled():
        world = build_programme(teams=8, members_per_team=1)
        coordinator = MembershipFactory(organisation=world.organisation, role="coordinator").user
        trainer = MembershipFactory(organisation=world.organisation, role="trainer").user
        trainer.first_name, trainer.last_name = "Fanny", "Formatrice"
        trainer.save()
    return world, coordinator, trainer


def type_into(page: Page, label: str, text: str) -> None:
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(text)


def press(page: Page, role: str, name: str) -> None:
    """Reach a link or a button with the keyboard and activate it."""
    page.get_by_role(role, name=name).focus()
    page.keyboard.press("Enter")


def create_series(page: Page, slug, programme, title: str, day) -> None:
    page.goto(reverse("codev:series_create", args=[slug, programme.pk]))
    page.get_by_label("Titre", exact=True).fill(title)
    page.get_by_label("Type de séance").select_option(label="Formation")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Heure de début").fill("09:00")
    page.get_by_label("Heure de fin").fill("12:00")
    page.get_by_label("Lien de visio").fill("https://visio.exemple.fr/codev")
    press(page, "button", "Créer les séances")
    expect(page.locator("main")).to_contain_text("2 séance(s) créée(s), une par groupe.")


def scan_at(moment):
    with time_machine.travel(moment, tick=False):
        return scan()


def test_a_codev_cycle_from_the_groups_to_the_follow_up(page: Page, live_server):
    world, coordinator, trainer = build_world()
    slug, programme = world.organisation.slug, world.programme
    with scopes_disabled():
        team_names = [team.name for team in world.teams]

    # The coordinator composes two groups of four from Sillon's proposal.
    page.set_viewport_size(DESKTOP)
    log_in(page, coordinator.email)
    page.goto(reverse("codev:group_list", args=[slug, programme.pk]))
    expect(page.locator("main")).to_contain_text("Aucun groupe pour l’instant")
    check_a11y(page, "codev-parcours-groupes-vide")
    press(page, "link", "Proposer des groupes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer des groupes")
    check_a11y(page, "codev-parcours-proposer")
    page.get_by_label("Équipes par groupe").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.get_by_label("Nom des groupes").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("CODEV")
    press(page, "button", "Proposer")
    expect(page.get_by_role("button", name="Créer les groupes")).to_be_visible()
    check_a11y(page, "codev-parcours-proposition")

    # Each select names the groups as proposed; the keyboard moves one team.
    selects = [page.get_by_label(name, exact=True) for name in team_names]
    for select in selects:
        expect(select.locator("option")).to_have_text(["(aucun groupe)", "CODEV 1", "CODEV 2"])
    placed = [select.input_value() for select in selects]
    assert sorted(placed) == ["0"] * 4 + ["1"] * 4
    moved = next(i for i, value in enumerate(placed) if value == "0")
    selects[moved].focus()
    page.keyboard.press("End")  # the last option: « CODEV 2 »
    expect(selects[moved]).to_have_value("1")
    back = next(i for i, value in enumerate(placed) if value == "1")
    selects[back].focus()
    page.keyboard.press("ArrowUp")  # from « CODEV 2 » to « CODEV 1 »
    expect(selects[back]).to_have_value("0")
    page.get_by_label("Nom du groupe n° 2").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("CODEV Sud")
    press(page, "button", "Créer les groupes")
    expect(page.locator("main")).to_contain_text("2 groupe(s) créé(s).")
    expect(page.locator("main")).to_contain_text("CODEV Sud")
    check_a11y(page, "codev-parcours-groupes")
    with scopes_disabled():
        north = Group.objects.get(programme=programme, name="CODEV 1")
        south = Group.objects.get(programme=programme, name="CODEV Sud")
        assert north.memberships.filter(team=world.teams[back]).exists()
        assert south.memberships.filter(team=world.teams[moved]).exists()
        assert north.memberships.count() == south.memberships.count() == 4

    # The first group's facilitator.
    page.goto(reverse("codev:group_edit", args=[slug, north.pk]))
    check_a11y(page, "codev-parcours-groupe-modifier")
    page.get_by_label("Fanny Formatrice").check()
    press(page, "button", "Enregistrer")
    expect(page.get_by_role("heading", level=1)).to_have_text("CODEV 1")

    # Two séances for every group with the series action, then the clients' rotation.
    page.goto(reverse("codev:series_create", args=[slug, programme.pk]))
    expect(page.get_by_label("CODEV 1")).to_be_checked()
    expect(page.get_by_label("CODEV Sud")).to_be_checked()
    check_a11y(page, "codev-parcours-serie")
    today = timezone.localdate()
    create_series(page, slug, programme, "CODEV n° 1", today + timedelta(days=3))
    create_series(page, slug, programme, "CODEV n° 2", today + timedelta(days=31))
    page.goto(reverse("codev:group_detail", args=[slug, north.pk]))
    expect(page.locator("main")).to_contain_text("Rotation proposée des clients")
    check_a11y(page, "codev-parcours-rotation")
    press(page, "button", "Appliquer la rotation")
    expect(page.locator("main")).to_contain_text("Client désigné pour 2 séance(s).")
    with scopes_disabled():
        first, second = GroupSession.objects.filter(group=north).order_by("session__starts_at")
        assert GroupSession.objects.filter(group=south).count() == 2
        client_team = first.client.team
        client = client_team.members.get().user
        assert second.client.team != client_team
    first_url = reverse("codev:seance", args=[slug, first.pk])
    second_url = reverse("codev:seance", args=[slug, second.pk])
    page.context.clear_cookies()

    # Before: the client team's member prepares its case on a phone, keyboard only.
    page.set_viewport_size(PHONE)
    log_in(page, client.email)
    page.goto(first_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("CODEV n° 1")
    check_a11y(page, "codev-parcours-seance-telephone")
    press(page, "link", "Préparer notre cas")
    expect(page.get_by_role("heading", level=1)).to_have_text("Préparer notre cas")
    check_a11y(page, "codev-parcours-cas-telephone")
    type_into(page, "Titre du cas", "Mobiliser les élu·es")
    type_into(page, "La question que vous posez au groupe", "Comment associer les élu·es ?")
    type_into(page, "Le contexte", "Deux réunions désertées.")
    type_into(page, "Ce que vous avez déjà essayé", "Un courrier du président.")
    press(page, "button", "Enregistrer notre cas")
    expect(page.locator("main")).to_contain_text("Votre cas est enregistré.")
    expect(page.locator("main")).to_contain_text("Un courrier du président.")
    check_a11y(page, "codev-parcours-cas-enregistre-telephone")
    with scopes_disabled():
        case = Case.objects.get(group_session=first)
        assert (case.question, case.context, case.tried) == (
            "Comment associer les élu·es ?",
            "Deux réunions désertées.",
            "Un courrier du président.",
        )
    page.context.clear_cookies()

    # During: the facilitator runs the six steps on a tablet, with the timer and notes.
    page.set_viewport_size(TABLET)
    log_in(page, trainer.email)
    page.goto(first_url)
    page.get_by_role("link", name="Animer la séance (six étapes)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Animer la séance")
    check_a11y(page, "codev-parcours-deroule-tablette")
    page.get_by_role("button", name="Commencer l’étape 1 : exposé").click()
    expect(page.get_by_role("heading", name="Étape 1 : Exposé de la situation")).to_be_visible()
    expect(page.locator("[data-codev-timer]")).to_have_text(re.compile(r"^1[45]:\d\d restantes$"))
    check_a11y(page, "codev-parcours-etape-1-tablette")
    with scopes_disabled():
        consultant = north.memberships.exclude(team=client_team).first().team.name
    due = today + timedelta(days=20)
    for step in range(1, 7):
        page.get_by_label("Notes de l'étape", exact=True).fill(f"Notes de l’étape {step}")
        if step == 4:
            page.get_by_label("Consultant·e", exact=True).select_option(label=consultant)
            page.get_by_label("Conseil", exact=True).fill("Rencontrer chaque maire.")
            page.get_by_role("button", name="Ajouter ce conseil").click()
            expect(page.locator("main")).to_contain_text("Conseil ajouté.")
            check_a11y(page, "codev-parcours-conseil-tablette")
            page.get_by_label("Notes de l'étape", exact=True).fill(f"Notes de l’étape {step}")
        if step == 5:
            # The client's action plan: what, who, by when.
            page.get_by_role("link", name="Noter les engagements du client").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Engagements du client")
            page.get_by_label("Engagement", exact=True).fill("Écrire aux maires")
            page.get_by_role("button", name="Enregistrer l’engagement").click()
            expect(page.locator("main")).to_contain_text("Choisissez qui porte cet engagement.")
            check_a11y(page, "codev-parcours-engagement-erreur-tablette")
            page.get_by_label("Qui le porte").select_option(label=client.get_full_name())
            page.get_by_label("Pour le").fill(due.isoformat())
            page.get_by_role("button", name="Enregistrer l’engagement").click()
            expect(page.locator("main")).to_contain_text("Engagement enregistré.")
            check_a11y(page, "codev-parcours-engagements-tablette")
            page.get_by_role("link", name="Retour à la séance").click()
            page.get_by_role("link", name="Animer la séance (six étapes)").click()
            expect(
                page.get_by_role("heading", name="Étape 5 : Plan d'action du client")
            ).to_be_visible()
            page.get_by_label("Notes de l'étape", exact=True).fill(f"Notes de l’étape {step}")
        label = (
            f"Enregistrer et passer à l’étape {step + 1}"
            if step < 6
            else "Enregistrer et terminer la séance"
        )
        page.get_by_role("button", name=label).click()
        expect(page.locator("main")).to_contain_text("Notes enregistrées.")
    expect(page.locator("main")).to_contain_text("Séance terminée.")
    check_a11y(page, "codev-parcours-fin-tablette")
    with scopes_disabled():
        assert StepNote.objects.filter(group_session=first).count() == 6
        assert Advice.objects.get(case=case).text == "Rencontrer chaque maire."
        commitment = Commitment.objects.get(case=case)
        assert (commitment.what, commitment.owner, commitment.due_on) == (
            "Écrire aux maires",
            client,
            due,
        )
    page.context.clear_cookies()

    # Before the next séance: the follow-up question, sent once to the former client.
    mail.outbox.clear()
    with scopes_disabled():
        second.session.refresh_from_db()
        moment = second.session.starts_at - timedelta(days=7) + timedelta(minutes=1)
    scan_at(moment)
    scan_at(moment + timedelta(hours=2))
    asked = [m for m in mail.outbox if FOLLOW_UP_SUBJECT in m.subject]
    assert [message.to for message in asked] == [[client.email]]
    assert "Écrire aux maires" in asked[0].body
    link = re.search(r"https?://\S+/groupes/seances/\d+/suivi/", asked[0].body).group(0)

    # The former client answers from the e-mail's link, on the phone.
    page.set_viewport_size(PHONE)
    log_in(page, client.email)
    page.goto(urlparse(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce que sont devenus nos engagements")
    check_a11y(page, "codev-parcours-suivi-telephone")
    page.get_by_label("Écrire aux maires").select_option(label="Réalisé")
    type_into(
        page, "Ce que sont devenus vos engagements", "Douze maires ont répondu ; huit viendront."
    )
    press(page, "button", "Envoyer notre réponse")
    expect(page.locator("main")).to_contain_text("Merci : votre réponse est enregistrée.")
    page.context.clear_cookies()

    # The next séance opens with the answer, for everyone of the group.
    page.set_viewport_size(DESKTOP)
    log_in(page, trainer.email)
    page.goto(second_url)
    opening = page.locator("main section").first
    expect(opening.get_by_role("heading", level=2)).to_have_text(
        "Ce que sont devenus les engagements"
    )
    expect(opening).to_contain_text("Douze maires ont répondu ; huit viendront.")
    expect(opening).to_contain_text("Réalisé")
    check_a11y(page, "codev-parcours-seance-suivante")
