"""A coordinator builds part of seed 000's calendar from nothing, in Chromium: the
programme with the PAT trinôme, a phase in months, two teams, the launch in visio, the
J1/J2 training with its day agenda and two rounds of workshops, an individual coaching
for every team; a plain http visio link is refused; the programme is published, then
copied to 2029 with every date shifted by the same number of days."""

import re
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from parcours.models import AgendaItem, Programme, Session, Team, Workshop
from tests.factories import MembershipFactory, TerritoryFactory

from .conftest import check_a11y

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory's password
PARIS = ZoneInfo("Europe/Paris")
NAME = "Gouvernance des PAT 2026–2028"


def log_in(page: Page, email: str) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes organisations")


def expect_h1(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_coordinator_builds_seed_000_calendar_then_copies_it_to_2029(page: Page):
    membership = MembershipFactory(
        coordinator=True,
        organisation__name="Région Hauts-de-France",
        organisation__slug="hauts-de-france",
        user__email="parcours@hautsdefrance.example.org",
    )
    slug = membership.organisation.slug
    TerritoryFactory(kind="epci", code="200069037", name="CA du Pays de Saint-Omer")
    TerritoryFactory(kind="commune", code="62765", name="Saint-Omer")
    log_in(page, "parcours@hautsdefrance.example.org")

    # The programme, with the PAT trinôme.
    page.goto(reverse("parcours:programme_create", args=[slug]))
    expect_h1(page, "Nouveau programme")
    check_a11y(page, "programme-nouveau")
    page.get_by_label("Nom du programme").fill(NAME)
    page.get_by_label("Date de début").fill("2026-06-01")
    page.get_by_label("Date de fin").fill("2028-06-30")
    page.get_by_label("Trinôme PAT").check()
    page.get_by_role("button", name="Créer le programme").click()
    expect_h1(page, NAME)
    expect(page.get_by_role("status")).to_contain_text("créé en brouillon")
    check_a11y(page, "programme-preparer")
    with scopes_disabled():
        programme = Programme.objects.get(name=NAME)
        assert programme.team_roles.count() == 3
    tools = page.get_by_role("navigation", name="Préparer le programme")

    # A phase in months of the parcours.
    tools.get_by_role("link", name="Phases").click()
    expect_h1(page, "Phases")
    page.get_by_label("Nom", exact=True).fill("Construction d'une culture commune")
    page.get_by_label("Période exprimée en mois du parcours").check()
    page.get_by_label("Mois de début").fill("4")
    page.get_by_label("Mois de fin").fill("9")
    page.get_by_role("button", name="Ajouter la phase").click()
    phases = page.get_by_role("table", name=f"Phases de {NAME}")
    expect(
        phases.get_by_role("row").filter(has_text="Construction d'une culture commune")
    ).to_contain_text("mois 4 à 9")
    check_a11y(page, "phases")

    # Two teams.
    page.get_by_role("navigation", name="Préparer le programme").get_by_role(
        "link", name="Équipes"
    ).click()
    expect_h1(page, "Équipes")
    for team in ["PAT du Pays de Saint-Omer", "PAT du Grand Amiénois"]:
        page.get_by_label("Nom de l'équipe").fill(team)
        if team == "PAT du Pays de Saint-Omer":
            # The territory combobox, with the keyboard only: type, arrow down, Enter.
            combobox = page.get_by_role("combobox", name="Territoire")
            combobox.press_sequentially("saint omer", delay=30)
            option = page.get_by_role("option", name=re.compile("Pays de Saint-Omer"))
            expect(option).to_be_visible()
            # The commune named exactly so comes first, the EPCI second.
            combobox.press("ArrowDown")
            combobox.press("ArrowDown")
            expect(combobox).to_have_attribute("aria-activedescendant", re.compile("option"))
            combobox.press("Enter")
            expect(combobox).to_have_value(re.compile("Pays de Saint-Omer"))
            check_a11y(page, "equipes-territoire")
        page.get_by_role("button", name="Créer l'équipe").click()
        expect(page.locator(".messages[role=status]")).to_contain_text(f"Équipe « {team} » créée.")
    expect(page.get_by_role("table", name="Équipes de Promotion 2026–2028")).to_contain_text(
        "PAT du Grand Amiénois"
    )
    with scopes_disabled():
        chosen = Team.objects.get(name="PAT du Pays de Saint-Omer").territory
        assert (chosen.kind, chosen.code) == ("epci", "200069037")
    check_a11y(page, "equipes")

    # Renaming a team, then the roles of the teams and editing one (axe on each page).
    page.get_by_role("link", name="Renommer PAT du Grand Amiénois").click()
    expect_h1(page, re.compile("Renommer « PAT du Grand Amiénois »"))
    check_a11y(page, "equipe-renommer")
    page.go_back()
    page.get_by_role("link", name="Rôles", exact=True).click()
    expect_h1(page, "Rôles dans les équipes")
    expect(page.get_by_role("table", name=re.compile("Rôles des équipes"))).to_contain_text(
        "Responsable de service"
    )
    check_a11y(page, "roles")
    page.get_by_role("link", name="Modifier Responsable de service").click()
    expect_h1(page, "Modifier le rôle « Responsable de service »")
    check_a11y(page, "role-modifier")
    page.get_by_role("link", name="Retour aux rôles").click()
    page.get_by_role("link", name="Équipes", exact=True).click()

    # Importing teams from a spreadsheet: the page, then a preview with a problem
    # named on its row; nothing is confirmed here.
    page.get_by_role("link", name=re.compile("Importer des équipes")).click()
    expect_h1(page, "Importer des équipes")
    check_a11y(page, "equipes-import")
    page.get_by_label("Fichier des équipes").set_input_files(
        {
            "name": "equipes.csv",
            "mimeType": "text/csv",
            "buffer": (
                "territoire;équipe;prénom;nom;e-mail;rôle\n"
                "200069037;PAT de l'Audomarois;Léa;Martin;lea@omer.example;Élu·e référent·e\n"
                "62765;PAT de l'Audomarois;Paul;Petit;paul@omer.example;Trésorier\n"
            ).encode(),
        }
    )
    page.get_by_role("button", name="Voir l'aperçu").click()
    expect_h1(page, "Aperçu de l'import")
    expect(page.get_by_role("alert")).to_contain_text("1 ligne a un problème")
    check_a11y(page, "equipes-import-apercu")
    with scopes_disabled():
        assert not Team.objects.filter(name="PAT de l'Audomarois").exists()

    # The launch, in visio: a plain http link is refused next to its field.
    new_session = reverse("parcours:session_create", args=[slug, programme.pk])
    page.goto(new_session)
    expect_h1(page, "Nouvelle séance")
    check_a11y(page, "seance-nouvelle")
    page.get_by_label("Titre").fill("Lancement du projet")
    page.get_by_label("Type de séance").select_option(label="Lancement")
    page.get_by_label("Phase").select_option(label="Construction d'une culture commune")
    page.get_by_label("Visio", exact=True).check()
    page.get_by_label("Date de début").fill("2026-10-16")
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Heure de fin").fill("12:30")
    visio = page.get_by_label("Lien de visio")
    visio.fill("http://visio.hautsdefrance.example.org/lancement")
    page.get_by_role("button", name="Créer la séance").click()
    expect(page.locator("#id_visio_url_error")).to_have_text(
        "Le lien de visio doit commencer par https:// (connexion chiffrée)."
    )
    expect(visio).to_have_attribute("aria-describedby", re.compile("id_visio_url_error"))
    check_a11y(page, "seance-lien-refuse")
    with scopes_disabled():
        assert not Session.objects.filter(title="Lancement du projet").exists()
    visio.fill("https://visio.hautsdefrance.example.org/lancement")
    page.get_by_role("button", name="Créer la séance").click()
    expect(page).to_have_url(re.compile(r"/seances/\d+/$"))
    with scopes_disabled():
        launch = Session.objects.get(title="Lancement du projet")
        assert launch.starts_at.astimezone(PARIS).replace(tzinfo=None).isoformat() == (
            "2026-10-16T09:30:00"
        )
        assert launch.ends_at - launch.starts_at == timedelta(hours=3)

    # The J1/J2 training, in person, whole days, date still to be confirmed.
    page.goto(new_session)
    page.get_by_label("Titre").fill("Formation J1/J2")
    page.get_by_label("Type de séance").select_option(label="Formation")
    page.get_by_label("Présentiel", exact=True).check()
    page.get_by_label("À confirmer").check()
    page.get_by_label("Journée(s) entière(s)").check()
    page.get_by_label("Date de début").fill("2026-12-09")
    page.get_by_label("Date de fin").fill("2026-12-10")
    page.get_by_label("Précision sur la date").fill("options : 9-10 ou 10-11 décembre")
    page.get_by_label("Lieu (adresse)").fill(
        "Hôtel de Région, 151 avenue du Président Hoover, Lille"
    )
    page.get_by_label("Présence attendue").select_option(label="Équipe complète indispensable")
    page.get_by_role("button", name="Créer la séance").click()
    expect(page).to_have_url(re.compile(r"/seances/\d+/$"))
    with scopes_disabled():
        training = Session.objects.get(title="Formation J1/J2")
        assert training.all_day
        assert training.expected_presence == Session.Presence.WHOLE_TEAM_REQUIRED
        assert training.starts_at.astimezone(PARIS).date() == date(2026, 12, 9)
        assert training.ends_at.astimezone(PARIS).date() == date(2026, 12, 11)

    # Its day agenda: a plenary and two rounds of two workshops, each in its room.
    page.goto(reverse("parcours:agenda_edit", args=[slug, training.pk]))
    expect_h1(page, "Programme de la journée : Formation J1/J2")
    check_a11y(page, "agenda-vide")
    slots = [
        ("09:00", "10:30", "Plénière", "Ouverture : la gouvernance alimentaire"),
        ("10:45", "12:15", "Ateliers en parallèle", "Ateliers, 1er tour"),
        ("14:00", "15:30", "Ateliers en parallèle", "Ateliers, 2e tour"),
    ]
    item_form = page.locator("form").filter(
        has=page.get_by_role("button", name="Ajouter au programme")
    )
    for start, end, kind, title in slots:
        item_form.get_by_label("Jour", exact=True).fill("1")
        item_form.get_by_label("Heure de début").fill(start)
        item_form.get_by_label("Heure de fin").fill(end)
        item_form.get_by_label("Nature").select_option(label=kind)
        item_form.get_by_label("Titre", exact=True).fill(title)
        page.get_by_role("button", name="Ajouter au programme").click()
        expect(page.get_by_role("status")).to_contain_text(f"« {title} » ajouté au programme.")
    for round_title, workshops in [
        (
            "Ateliers, 1er tour",
            [("Foncier agricole", "Salle Flandre"), ("Restauration collective", "Salle Artois")],
        ),
        (
            "Ateliers, 2e tour",
            [("Circuits courts", "Salle Flandre"), ("Précarité alimentaire", "Salle Artois")],
        ),
    ]:
        for workshop, room in workshops:
            adder = page.locator("details").filter(
                has=page.get_by_text(f"Ajouter un atelier à « {round_title} »")
            )
            adder.locator("summary").click()
            adder.get_by_label("Titre").fill(workshop)
            adder.get_by_label("Salle").fill(room)
            adder.get_by_role("button", name="Ajouter l'atelier").click()
            expect(page.get_by_role("status")).to_contain_text(f"Atelier « {workshop} » ajouté.")
    first_round = page.get_by_role("table", name="Ateliers de « Ateliers, 1er tour »")
    expect(first_round.get_by_role("row").filter(has_text="Foncier agricole")).to_contain_text(
        "Salle Flandre"
    )
    second_round = page.get_by_role("table", name="Ateliers de « Ateliers, 2e tour »")
    expect(
        second_round.get_by_role("row").filter(has_text="Précarité alimentaire")
    ).to_contain_text("Salle Artois")
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Jour 1 — mercredi 9 décembre 2026"))
    ).to_be_visible()
    check_a11y(page, "agenda-deux-tours")
    with scopes_disabled():
        assert AgendaItem.objects.filter(session=training).count() == 3
        assert Workshop.objects.filter(round__session=training).count() == 4

    # The second individual coaching, for every team.
    page.goto(reverse("parcours:individual_sessions", args=[slug, programme.pk]))
    expect_h1(page, "Générer une séance individuelle pour chaque équipe")
    check_a11y(page, "seances-individuelles")
    expect(page.get_by_label("Type de séance")).to_have_value(re.compile(r"\d+"))
    assert (
        page.get_by_label("Type de séance").evaluate("select => select.selectedOptions[0].text")
        == "Accompagnement individuel"
    )
    page.get_by_label("Titre").fill("Accompagnement individuel n°2")
    page.get_by_label("Date prévue").fill("2027-03-15")
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Durée").select_option(label="2 h")
    page.get_by_label("Lien de visio").fill("https://visio.hautsdefrance.example.org/acc-2")
    page.get_by_role("button", name="Créer les séances").click()
    expect(page).to_have_url(re.compile(rf"/programmes/{programme.pk}/$"))
    with scopes_disabled():
        individual = Session.objects.filter(title__startswith="Accompagnement individuel n°2")
        assert sorted(s.title for s in individual) == [
            "Accompagnement individuel n°2 — PAT du Grand Amiénois",
            "Accompagnement individuel n°2 — PAT du Pays de Saint-Omer",
        ]
        assert {s.status for s in individual} == {Session.Status.TENTATIVE}

    # Publish.
    page.goto(reverse("parcours:programme_edit", args=[slug, programme.pk]))
    page.get_by_role("button", name="Publier le programme").click()
    expect(page).to_have_url(re.compile(rf"/programmes/{programme.pk}/$"))
    with scopes_disabled():
        programme.refresh_from_db()
        assert programme.status == Programme.Status.PUBLISHED

    # Copy to June 2029: the page shows the shift, then copies.
    page.goto(reverse("parcours:programme_copy", args=[slug, programme.pk]))
    expect_h1(page, f"Copier « {NAME} »")
    check_a11y(page, "copier")
    page.get_by_label("Nom du nouveau programme").fill("Gouvernance des PAT 2029–2031")
    page.get_by_label("Nouvelle date de début").fill("2029-06-01")
    page.get_by_role("button", name="Voir le décalage des dates").click()
    days = (date(2029, 6, 1) - date(2026, 6, 1)).days
    expect(page.get_by_text(f"Toutes les dates seront décalées de {days} jours")).to_be_visible()
    check_a11y(page, "copier-decalage")
    page.get_by_role("button", name="Confirmer la copie").click()
    with scopes_disabled():
        expect(page).to_have_url(re.compile(r"/programmes/\d+/$"))
        copy = Programme.objects.get(name="Gouvernance des PAT 2029–2031")
        assert copy.status == Programme.Status.DRAFT
        copied_launch = Session.objects.get(programme=copy, title="Lancement du projet")
        local = copied_launch.starts_at.astimezone(PARIS)
        assert local.date() == date(2026, 10, 16) + timedelta(days=days)
        assert local.time() == time(9, 30)
        copied_training = Session.objects.get(programme=copy, title="Formation J1/J2")
        assert copied_training.starts_at.astimezone(PARIS).date() == date(2026, 12, 9) + (
            timedelta(days=days)
        )
        assert Workshop.objects.filter(round__session=copied_training).count() == 4
        # Individual sessions belong to this cohort's teams: not copied.
        assert not Session.objects.filter(
            programme=copy, title__startswith="Accompagnement individuel"
        ).exists()

    # The copied launch opens in the editing form at the same local time.
    page.goto(reverse("parcours:session_edit", args=[slug, copied_launch.pk]))
    expect(page.get_by_label("Date de début")).to_have_value(local.date().isoformat())
    expect(page.get_by_label("Heure de début")).to_have_value("09:30")
    check_a11y(page, "seance-copiee")

    # On a phone, the session form and the day agenda keep within the screen's width.
    page.set_viewport_size({"width": 375, "height": 812})
    for path in [
        reverse("parcours:session_edit", args=[slug, copied_launch.pk]),
        reverse("parcours:agenda_edit", args=[slug, training.pk]),
        reverse("parcours:team_list", args=[slug, programme.pk]),
    ]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide on a 375px phone"
    check_a11y(page, "telephone-equipes")
