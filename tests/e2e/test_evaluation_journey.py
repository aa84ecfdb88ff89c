"""Evaluation in Chromium, with axe on every page visited (seeds 000 and 004).

1. A coordinator builds a maturity grid in the builder (a section, a grid question with
   its levels, criteria with a descriptor per level), publishes it, then creates and
   launches the T1 campaign: one collective answer per team. The T0 campaign of the same
   grid, answered and closed, is set up through the services.
   On a 375px phone, a team member answers part of the grid (autosaved) and leaves;
   another member of the team finds those answers signed "modifié par …", completes the
   grid and sends it. The coordinator sees the progression T0 → T1: the radar chart and
   the table per criterion, for the cohort and for the team.
2. A trainer assesses the three participants of a session from the session's page, one
   after the other, on the grid the participants used for their self-assessment; a
   participant then sees both side by side on their team's progression page.
"""

import re
from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from evaluation.answer_values import AnswerValue
from evaluation.models import Campaign, Question, Questionnaire, Response
from evaluation.services import answers as answer_services
from evaluation.services import campaigns as campaign_services
from parcours.models import TeamMember
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    build_grid_questionnaire,
    build_programme,
)

from .conftest import check_a11y

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory's password
PARIS = ZoneInfo("Europe/Paris")
COORDINATOR = "parcours@hautsdefrance.example.org"
TRAINER = "ines.garnier@formation.example.org"
PROGRAMME = "Gouvernance des PAT en Hauts-de-France"
GRID_TITLE = "Autodiagnostic de gouvernance alimentaire"
LEVELS = ["Émergent", "En construction", "Structuré", "Exemplaire"]
CRITERIA = [
    "Connaître son schéma de gouvernance",
    "Partager les décisions",
    "Mobiliser les acteurs du territoire",
]
BRAY = "PAT du Pays de Bray"
AMIENOIS = "PAT de l'Amiénois"
# Team members of the Pays de Bray: (first name, last name, e-mail).
BRAY_MEMBERS = [
    ("Léa", "Moreau", "lea.moreau@pays-de-bray.example.org"),
    ("Hugo", "Lefèvre", "hugo.lefevre@pays-de-bray.example.org"),
    ("Sarah", "Benali", "sarah.benali@pays-de-bray.example.org"),
]
POSTURE = ["Écouter chaque acteur", "Faciliter la décision", "Relier au projet alimentaire"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


# --- Helpers ---------------------------------------------------------------------------


def log_in(page: Page, email: str) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes organisations")


def log_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^Mon compte")).click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()


def expect_h1(page: Page, text) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_fits(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px phone"


def wall_clock(moment) -> str:
    """A datetime-local value on the organisation's wall clock."""
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def answer_grid(campaign, question, levels, *, user, team=None, subject=None):
    """Through the services, as the answering page does: start the response, save one
    level per criterion, send."""
    criteria = list(question.criteria.order_by("order", "pk"))
    response = answer_services.start_response(
        campaign=campaign, acting_user=user, team=team, subject=subject
    )
    values = [
        AnswerValue(question=question, criterion=criterion, number=level)
        for criterion, level in zip(criteria, levels, strict=True)
    ]
    result = answer_services.save_answers(response=response, values=values, acting_user=user)
    assert result.ok, result.errors
    return answer_services.submit_response(response=response, acting_user=user)


def build_world() -> SimpleNamespace:
    """Seed 000's shape: a published programme with two teams of three (élu·e, chargé·e
    de mission, responsable de service), a coordinator, a trainer."""
    with scopes_disabled():
        organisation = OrganisationFactory(name="Région Hauts-de-France", slug="hdf")
        coordinator = MembershipFactory(
            organisation=organisation,
            coordinator=True,
            user__email=COORDINATOR,
            user__first_name="Claire",
            user__last_name="Dubois",
        ).user
        trainer = MembershipFactory(
            organisation=organisation,
            trainer=True,
            user__email=TRAINER,
            user__first_name="Inès",
            user__last_name="Garnier",
        ).user
        today = timezone.localdate()
        parcours = build_programme(
            organisation=organisation,
            teams=2,
            members_per_team=3,
            name=PROGRAMME,
            start_date=today - timedelta(days=150),
            end_date=today + timedelta(days=450),
        )
        bray, amienois = parcours.teams
        for team, name in [(bray, BRAY), (amienois, AMIENOIS)]:
            team.name = name
            team.save(update_fields=["name"])
        members = [
            member.user for member in TeamMember.objects.filter(team=bray).order_by("role__order")
        ]
        for user, (first, last, email) in zip(members, BRAY_MEMBERS, strict=True):
            user.first_name, user.last_name, user.email = first, last, email
            user.save(update_fields=["first_name", "last_name", "email"])
            user.emailaddress_set.update(email=email)
        amienois_member = TeamMember.objects.filter(team=amienois).first().user
    return SimpleNamespace(
        organisation=organisation,
        slug=organisation.slug,
        coordinator=coordinator,
        trainer=trainer,
        programme=parcours.programme,
        parcours=parcours,
        bray=bray,
        amienois=amienois,
        members=members,
        amienois_member=amienois_member,
    )


# --- 1. The grid, the campaign, a team answering on a phone, the progression ------------


def test_coordinator_builds_a_grid_teams_answer_on_a_phone_and_progression_shows(page: Page):
    world = build_world()
    slug = world.slug
    page.set_default_timeout(10_000)
    page.set_viewport_size(DESKTOP)
    log_in(page, COORDINATOR)

    # The library, then a new questionnaire kept with the programme.
    page.goto(reverse("organisations:home", args=[slug]))
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Questionnaires", exact=True
    ).click()
    expect_h1(page, "Questionnaires")
    check_a11y(page, "evaluation-bibliotheque")
    page.get_by_role("link", name="Nouveau questionnaire").click()
    expect_h1(page, "Nouveau questionnaire")
    page.get_by_label("Titre").fill(GRID_TITLE)
    page.get_by_label("Usage du questionnaire").select_option(
        label="Autodiagnostic / autopositionnement"
    )
    page.get_by_label("Rangement").select_option(label=PROGRAMME)
    page.get_by_label("Introduction").fill(
        "Situez ensemble votre gouvernance sur chaque critère, puis commentez si besoin."
    )
    check_a11y(page, "evaluation-questionnaire-nouveau")
    page.get_by_role("button", name="Créer le questionnaire").click()
    expect_h1(page, f"Modifier « {GRID_TITLE} »")
    expect_message(page, "créé en brouillon")

    # A section.
    page.get_by_label("Titre de la section").fill("Gouvernance du projet alimentaire")
    page.get_by_role("button", name="Ajouter la section").click()
    expect_message(page, "Section « Gouvernance du projet alimentaire » enregistrée.")
    check_a11y(page, "evaluation-brouillon-section")

    # A maturity grid question: the levels one per line.
    page.get_by_role(
        "link", name="Ajouter une question à la section Gouvernance du projet alimentaire"
    ).click()
    expect_h1(page, "Ajouter une question")
    page.get_by_label("Type de question").select_option(label="Grille de maturité")
    page.get_by_label("Intitulé").fill("Où en est la gouvernance de votre PAT ?")
    page.get_by_label("Réponse obligatoire").check()
    page.get_by_label("Choix proposés ou niveaux de la grille").fill("\n".join(LEVELS))
    check_a11y(page, "evaluation-question-grille")
    page.get_by_role("button", name="Enregistrer la question").click()

    # The grid: criteria with a descriptor per level, two rows at a time.
    expect_h1(page, "Grille « Où en est la gouvernance de votre PAT ? »")
    expect_message(page, "écrivez maintenant ses critères")

    def fill_criterion(legend: str, label: str) -> None:
        row = page.get_by_role("group", name=legend)
        row.get_by_label("Critère", exact=True).fill(label)
        for value, level in enumerate(LEVELS, start=1):
            row.get_by_label(f"Niveau {value} « {level} »").fill(f"{label} : {level.lower()}.")

    fill_criterion("Nouveau critère (1)", CRITERIA[0])
    fill_criterion("Nouveau critère (2)", CRITERIA[1])
    check_a11y(page, "evaluation-grille")
    page.get_by_role("button", name="Enregistrer et ajouter des lignes").click()
    expect_message(page, "Grille enregistrée : 2 critères.")
    expect(page.get_by_role("group", name="Critère 2")).to_be_visible()
    fill_criterion("Nouveau critère (3)", CRITERIA[2])
    page.get_by_role("button", name="Enregistrer la grille", exact=True).click()
    expect_message(page, "Grille enregistrée : 3 critères.")
    expect_h1(page, f"Modifier « {GRID_TITLE} »")
    check_a11y(page, "evaluation-brouillon-grille")

    # Publish.
    page.get_by_role("button", name="Publier la version 1").click()
    expect_h1(page, GRID_TITLE)
    expect_message(page, "Version 1 publiée")
    check_a11y(page, "evaluation-questionnaire-publie")

    # T0, months ago (from the teams' applications): answered by both teams, closed.
    with scopes_disabled():
        questionnaire = Questionnaire.objects.get(title=GRID_TITLE)
        version = questionnaire.versions.get()
        grid = Question.objects.get(version=version, kind="grid")
        assert [c.label for c in grid.criteria.order_by("order")] == CRITERIA
        assert grid.criteria.get(label=CRITERIA[1]).descriptor(3) == (f"{CRITERIA[1]} : structuré.")
        t0 = CampaignFactory(
            programme=world.programme,
            version=version,
            title="Autodiagnostic T0 (candidature)",
            per_team=True,
            t0=True,
            opens_at=timezone.now() - timedelta(days=120),
        )
        answer_grid(t0, grid, [1, 1, 2], user=world.members[0], team=world.bray)
        answer_grid(t0, grid, [2, 1, 1], user=world.amienois_member, team=world.amienois)
        campaign_services.close_campaign(campaign=t0, acting_user=world.coordinator)

    # The T1 campaign: one collective answer per team, open now for two weeks.
    page.goto(reverse("parcours:timeline", args=[slug, world.programme.pk]))
    page.get_by_role("navigation", name="Vues du programme").get_by_role(
        "link", name="Évaluations"
    ).click()
    expect_h1(page, PROGRAMME)
    check_a11y(page, "evaluation-campagnes")
    page.get_by_role("link", name="Nouvelle campagne").click()
    expect_h1(page, "Nouvelle campagne d’évaluation")
    now = timezone.now()
    page.get_by_label("Titre", exact=True).fill("Autodiagnostic T1 (mi-parcours)")
    page.get_by_label("Questionnaire").select_option(label=GRID_TITLE)
    page.get_by_label("Moment").select_option(label="T1 (mi-parcours)")
    page.get_by_label("Une réponse collective par équipe").check()
    page.get_by_label("Toutes les équipes du programme").check()
    page.get_by_label("Ouverture").fill(wall_clock(now - timedelta(minutes=5)))
    page.get_by_label("Clôture").fill(wall_clock(now + timedelta(days=14)))
    page.get_by_label("Message aux répondant·es").fill(
        "À remplir à plusieurs : chaque membre de l'équipe peut compléter la grille."
    )
    check_a11y(page, "evaluation-campagne-nouvelle")
    page.get_by_role("button", name="Créer la campagne (brouillon)").click()
    expect_h1(page, "Autodiagnostic T1 (mi-parcours)")
    expect_message(page, "créée en brouillon")
    page.get_by_role("button", name="Lancer").click()
    expect_message(page, "Campagne « Autodiagnostic T1 (mi-parcours) » lancée")
    expect(page.get_by_text("État : Ouverte")).to_be_visible()
    expect(page.get_by_text("0 sur 2")).to_be_visible()
    check_a11y(page, "evaluation-campagne-lancee")
    with scopes_disabled():
        t1 = Campaign.objects.get(title="Autodiagnostic T1 (mi-parcours)")
        assert (t1.moment, t1.mode, t1.version_id) == ("t1", "team", version.pk)
        # The other team answers on its own.
        answer_grid(t1, grid, [3, 2, 2], user=world.amienois_member, team=world.amienois)
    log_out(page)

    # On a phone, Léa answers part of the grid: every choice is saved as she goes.
    page.set_viewport_size(PHONE)
    lea, hugo = world.members[0], world.members[1]
    log_in(page, lea.email)
    page.goto(reverse("organisations:home", args=[slug]))
    page.get_by_role("region", name="Questionnaires à remplir").get_by_role(
        "link", name="Autodiagnostic T1 (mi-parcours)"
    ).click()
    expect_h1(page, "Autodiagnostic T1 (mi-parcours)")
    expect(page.get_by_text(f"Réponse collective de l'équipe {BRAY}")).to_be_visible()
    progress = page.locator("#answer-progress-label")
    expect(progress).to_have_text(
        "0 questions sur 1 répondues · critères de grille positionnés : 0 sur 3"
    )
    expect_fits(page, PHONE["width"])
    check_a11y(page, "evaluation-reponse-telephone")

    first = page.get_by_role("group", name=CRITERIA[0])
    first.get_by_role("radio", name=re.compile("^Niveau 2 · En construction")).check()
    expect(progress).to_contain_text("positionnés : 1 sur 3")
    expect(page.get_by_role("status").filter(has_text="Enregistré à")).to_be_visible()
    second = page.get_by_role("group", name=CRITERIA[1])
    second.get_by_role("radio", name=re.compile("^Niveau 3 · Structuré")).check()
    expect(progress).to_contain_text("positionnés : 2 sur 3")
    with page.expect_response(lambda r: r.request.method == "POST" and "repondre" in r.url):
        second.get_by_label("Commentaire (facultatif)").fill(
            "Le comité de pilotage décide ; les habitants sont consultés une fois par an."
        )
    expect(second.get_by_text(re.compile("^Modifié par Léa Moreau le"))).to_be_visible()
    check_a11y(page, "evaluation-reponse-telephone-brouillon")

    # She leaves: her questionnaires show the draft.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mes questionnaires"
    ).click()
    expect_h1(page, "Mes questionnaires")
    expect(page.get_by_text("brouillon 67 %")).to_be_visible()
    expect_fits(page, PHONE["width"])
    check_a11y(page, "evaluation-mes-questionnaires-telephone")
    log_out(page)

    # Hugo, of the same team, finds her answers signed, completes the grid and sends it.
    log_in(page, hugo.email)
    page.goto(reverse("evaluation:my_campaigns", args=[slug]))
    page.get_by_role("link", name="Autodiagnostic T1 (mi-parcours)").click()
    progress = page.locator("#answer-progress-label")
    expect(progress).to_contain_text("positionnés : 2 sur 3")
    first = page.get_by_role("group", name=CRITERIA[0])
    expect(
        first.get_by_role("radio", name=re.compile("^Niveau 2 · En construction"))
    ).to_be_checked()
    expect(first.get_by_text(re.compile("^Modifié par Léa Moreau le"))).to_be_visible()
    second = page.get_by_role("group", name=CRITERIA[1])
    expect(second.get_by_label("Commentaire (facultatif)")).to_have_value(
        "Le comité de pilotage décide ; les habitants sont consultés une fois par an."
    )
    third = page.get_by_role("group", name=CRITERIA[2])
    third.get_by_role("radio", name=re.compile("^Niveau 3 · Structuré")).check()
    expect(progress).to_have_text(
        "1 question sur 1 répondue · critères de grille positionnés : 3 sur 3"
    )
    expect(third.get_by_text(re.compile("^Modifié par Hugo Lefèvre le"))).to_be_visible()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect_message(page, "Vos réponses ont été envoyées.")
    expect(page.get_by_text(re.compile("Réponses envoyées par Hugo Lefèvre le"))).to_be_visible()
    expect_fits(page, PHONE["width"])
    check_a11y(page, "evaluation-reponse-telephone-envoyee")
    with scopes_disabled():
        response = Response.objects.get(campaign=t1, team=world.bray)
        assert response.status == Response.Status.SUBMITTED
        assert response.submitted_by == hugo
        assert sorted(
            (a.criterion.label, a.number, a.updated_by.first_name)
            for a in response.answers.select_related("criterion", "updated_by")
        ) == [(CRITERIA[0], 2, "Léa"), (CRITERIA[2], 3, "Hugo"), (CRITERIA[1], 3, "Léa")]
    log_out(page)

    # The coordinator sees the progression: the cohort, then the Pays de Bray.
    page.set_default_timeout(10_000)
    page.set_viewport_size(DESKTOP)
    log_in(page, COORDINATOR)
    page.goto(reverse("parcours:timeline", args=[slug, world.programme.pk]))
    page.get_by_role("navigation", name="Vues du programme").get_by_role(
        "link", name="Progression"
    ).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Progression T0 → T1 → T2")
    chart = page.get_by_role("img", name=re.compile("Moyenne de la promotion par critère"))
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_name(re.compile("T0.*T1"))
    cohort = page.get_by_role("table", name=re.compile("Niveau moyen de la promotion"))
    expect(cohort.get_by_role("columnheader")).to_have_text(["Critère", "T0", "T1", "Évolution"])
    expect(cohort.get_by_role("row").filter(has_text=CRITERIA[0])).to_contain_text("1,5 → 2,5 (+1)")
    teams = page.get_by_role("table", name=re.compile("Niveau de chaque équipe"))
    expect(teams.get_by_role("row").filter(has_text=BRAY)).to_contain_text("1 → 2 (+1)")
    check_a11y(page, "evaluation-progression-promotion")

    teams.get_by_role("link", name=BRAY).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(f"Progression de {BRAY}")
    radar = page.get_by_role("img", name=re.compile(f"Progression de {BRAY}"))
    expect(radar).to_be_visible()
    expect(radar).to_have_accessible_name(re.compile(f"{BRAY} à T0.*{BRAY} à T1"))
    table = page.get_by_role("table", name=re.compile(f"Niveau de {BRAY} par critère"))
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Critère", "T0", "T1", "Évolution", "Promotion (T1)"]
    )
    row = table.get_by_role("row").filter(has_text=CRITERIA[1])
    expect(row).to_contain_text("1 — Émergent")
    expect(row).to_contain_text("3 — Structuré")
    expect(row).to_contain_text("1 → 3 (+2)")
    check_a11y(page, "evaluation-progression-equipe")


# --- 2. A trainer assesses the participants of a session; self and coach side by side --


def test_trainer_assesses_three_participants_and_the_team_sees_both_views(page: Page):
    world = build_world()
    slug = world.slug
    with scopes_disabled():
        now = timezone.now()
        session = SessionFactory(
            programme=world.programme,
            kind=world.parcours.kind,
            title="Formation J1 — animer une gouvernance partagée",
            audience="teams",
            teams=[world.bray],
            facilitators=[world.trainer],
            starts_at=now - timedelta(hours=4),
            ends_at=now - timedelta(hours=1),
            in_person=True,
        )
        posture = build_grid_questionnaire(
            organisation=world.organisation,
            title="Posture d'animation",
            criteria=POSTURE,
        )
        own = CampaignFactory(
            programme=world.programme,
            version=posture.version,
            title="Mon autoévaluation — Formation J1",
            moment="during",
            audience="session",
            session=session,
        )
        for user, levels in zip(world.members, [[2, 1, 3], [3, 2, 2], [1, 1, 2]], strict=True):
            answer_grid(own, posture.grid, levels, user=user)
        CampaignFactory(
            programme=world.programme,
            version=posture.version,
            title="Regard de l'intervenante — Formation J1",
            moment="during",
            assess_person=True,
            audience="session",
            session=session,
            assessors=[world.trainer],
            paired_with=own,
        )

    # From the session's page, the trainer assesses each participant in turn.
    page.set_default_timeout(10_000)
    page.set_viewport_size(DESKTOP)
    log_in(page, TRAINER)
    page.goto(reverse("parcours:session_detail", args=[slug, session.pk]))
    expect_h1(page, "Formation J1 — animer une gouvernance partagée")
    panel = page.get_by_role("region", name="Évaluation")
    expect(panel).to_contain_text("0 sur 3 évalué·es")
    check_a11y(page, "evaluation-seance-intervenante")
    panel.get_by_role("link", name=re.compile("^Évaluer les participant·es")).click()
    expect_h1(page, "Regard de l'intervenante — Formation J1")
    check_a11y(page, "evaluation-a-evaluer")
    subjects = page.get_by_role("table", name=re.compile("Personnes ou équipes à évaluer"))
    names = [name.strip() for name in subjects.locator("tbody th[scope=row]").all_inner_texts()]
    assert sorted(names) == sorted(f"{first} {last}" for first, last, _ in BRAY_MEMBERS)
    subjects.get_by_role("link", name=f"Commencer — {names[0]}").click()

    coach_levels = {"Léa Moreau": [3, 2, 3], "Hugo Lefèvre": [3, 3, 2], "Sarah Benali": [2, 2, 2]}
    for position, name in enumerate(names, start=1):
        expect_h1(page, f"Évaluation de {name}")
        expect(page.get_by_text(f"{position} sur 3", exact=False).first).to_be_visible()
        for criterion, level in zip(POSTURE, coach_levels[name], strict=True):
            page.get_by_role("group", name=criterion).get_by_role(
                "radio", name=re.compile(f"^Niveau {level} · {LEVELS[level - 1]}")
            ).check()
        expect(page.locator("#answer-progress-label")).to_contain_text("positionnés : 3 sur 3")
        if position == 1:
            check_a11y(page, "evaluation-evaluer-participant")
        page.get_by_role("button", name="Enregistrer et passer au suivant").click()
        if position < 3:
            expect_message(page, f"Évaluation de {name} envoyée. Au tour de {names[position]}.")
    expect_message(page, "Toutes les évaluations sont envoyées.")
    expect(page.get_by_text("3 sur 3 évalué·es")).to_be_visible()
    check_a11y(page, "evaluation-evaluations-envoyees")
    with scopes_disabled():
        assert (
            Response.objects.filter(
                campaign__title="Regard de l'intervenante — Formation J1", status="submitted"
            ).count()
            == 3
        )
    log_out(page)

    # Léa sees her team's self-assessments and the trainer's, side by side.
    log_in(page, BRAY_MEMBERS[0][2])
    page.goto(reverse("parcours:timeline", args=[slug, world.programme.pk]))
    page.get_by_role("navigation", name="Vues du programme").get_by_role(
        "link", name="Progression"
    ).click()
    expect(page.get_by_role("heading", level=2, name=f"Progression de {BRAY}")).to_be_visible()
    expect(
        page.get_by_role(
            "heading", name="Auto-évaluation / Regard de l'intervenant·e : Regard de l'intervenante"
        )
    ).to_be_visible()
    for (first, last, _email), own_levels, coach in zip(
        BRAY_MEMBERS,
        [[2, 1, 3], [3, 2, 2], [1, 1, 2]],
        [coach_levels[f"{f} {la}"] for f, la, _e in BRAY_MEMBERS],
        strict=True,
    ):
        table = page.get_by_role("table", name=f"{first} {last}")
        expect(table.get_by_role("columnheader")).to_have_text(
            ["Critère", "Auto-évaluation", "Regard de l'intervenant·e"]
        )
        for criterion, mine, theirs in zip(POSTURE, own_levels, coach, strict=True):
            expect(table.get_by_role("row").filter(has_text=criterion)).to_have_text(
                re.compile(
                    rf"{criterion}\s*{mine} — {LEVELS[mine - 1]}\s*"
                    rf"{theirs} — {LEVELS[theirs - 1]}"
                )
            )
    check_a11y(page, "evaluation-auto-et-regard")
