"""A team member of a PAT governance parcours (seed 000) reads their calendar: the
timeline, a session reached from a mark with the keyboard, the month grid, the filtered
list, and a seminar day where they pick a workshop in each of two rounds (seed 001) —
with axe on every page, on a desktop and on a 375px phone."""

import re
from datetime import date, timedelta

from django.urls import reverse
from django_scopes import scope
from playwright.sync_api import Page, expect

from parcours.months import add_months
from tests.factories import (
    AgendaItemFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    SessionFactory,
    SessionKindFactory,
    TeamMemberFactory,
    UserFactory,
    WorkshopFactory,
    _aware,
    build_programme,
)

from .conftest import check_a11y, check_skip_link

PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory's password
EMAIL = "lea.moreau@pat-exemple.fr"
COORDINATOR = "parcours@hautsdefrance.example.org"
SEMINAR = "Séminaire « Histoires de territoire »"


def build_parcours():
    """Seed 000's shape around today: launched five months ago, twenty months ahead."""
    organisation = OrganisationFactory(name="Région Hauts-de-France", slug="hdf")
    MembershipFactory(organisation=organisation, coordinator=True, user__email=COORDINATOR)
    today = date.today()
    start = add_months(today.replace(day=1), -5)
    with scope(organisation=organisation.pk):
        parcours = build_programme(
            organisation=organisation,
            teams=3,
            name="Gouvernance des PAT en Hauts-de-France",
            start_date=start,
            end_date=add_months(start, 21) - timedelta(days=1),
        )
        programme = parcours.programme
        teams = parcours.teams
        for team, name in zip(
            teams,
            ["PAT du Pays de Bray", "PAT de l'Amiénois", "PAT Flandre intérieure"],
            strict=True,
        ):
            team.name = name
            team.save(update_fields=["name"])
        member = UserFactory(email=EMAIL, first_name="Léa", last_name="Moreau")
        TeamMemberFactory(team=teams[0], user=member, role=parcours.roles[1])

        def month(n, day=1):
            return programme.month_start(n) + timedelta(days=day - 1)

        for order, (name, first, last, colour) in enumerate(
            [
                ("Sélection des participants", 0, 2, "#6b7280"),
                ("Construction d'une culture commune", 3, 8, "#2a6f97"),
                ("Accompagner la mise en œuvre de la gouvernance", 8, 18, "#1b7837"),
                ("Capitalisation", 18, 20, "#b35806"),
            ]
        ):
            PhaseFactory(
                programme=programme,
                name=name,
                order=order,
                start_month=first,
                end_month=last,
                colour=colour,
            )
        kinds = {
            name: SessionKindFactory(programme=programme, name=name, colour=colour, order=order)
            for order, (name, colour) in enumerate(
                [
                    ("Lancement", "#7b3294"),
                    ("Webinaire", "#1b7837"),
                    ("COPIL", "#b35806"),
                    ("Voyage apprenant", "#c51b7d"),
                    ("Séminaire", "#2a6f97"),
                ]
            )
        }
        kinds["Formation"] = parcours.kind

        def add(title, kind, day, hours=(9, 12), **kwargs):
            return SessionFactory(
                programme=programme,
                kind=kind,
                title=title,
                starts_at=_aware(day, hours[0]),
                ends_at=_aware(day, hours[1]),
                **kwargs,
            )

        add("Webinaire Q&R de l'AMI", kinds["Webinaire"], month(0, 15), (14, 16))
        add("Lancement du parcours", kinds["Lancement"], month(4, 16), (9, 12))
        add(
            "Formation J1 — connaissance des organisations",
            kinds["Formation"],
            month(6, 9),
            (9, 17),
            in_person=True,
        )
        add(
            "Formation J2 — connaissance de son organisation",
            kinds["Formation"],
            month(6, 10),
            (9, 17),
            in_person=True,
        )
        add("Formation méthode et posture", kinds["Formation"], month(8, 12), (9, 17))
        add("Mobiliser mon trinôme", kinds["Webinaire"], month(9, 4), (10, 12))
        add(
            "COPIL de mi-parcours",
            kinds["COPIL"],
            month(10, 20),
            (14, 17),
            format="hybride",
            place="Hôtel de Région, Lille",
        )
        add(
            "Voyage apprenant",
            kinds["Voyage apprenant"],
            month(12, 14),
            (8, 19),
            in_person=True,
            tentative=True,
            date_note="Date à confirmer dans le parcours",
        )
        add(
            "Mobiliser les acteurs et la société civile",
            kinds["Webinaire"],
            month(13, 8),
            (10, 12),
            cancelled=True,
            cancellation_reason="Reporté au mois suivant",
        )
        add("Restitution finale", kinds["Séminaire"], month(20, 10), (9, 17), in_person=True)
        for number, n in enumerate([2, 5, 9, 14], start=1):
            for index, team in enumerate(teams):
                add(
                    f"Accompagnement individuel n°{number} — {team.name}",
                    parcours.individual_kind,
                    month(n, 6 + 3 * index),
                    (10, 12),
                    audience="team",
                    teams=[team],
                    tentative=n > 9,
                )
        seminar = add(
            SEMINAR,
            kinds["Séminaire"],
            today + timedelta(days=9),
            (9, 17),
            in_person=True,
            place="Maison de la culture, Amiens",
        )
        AgendaItemFactory(
            session=seminar,
            kind="break",
            start_time="09:00",
            end_time="09:30",
            title="Accueil café",
        )
        AgendaItemFactory(
            session=seminar,
            start_time="09:30",
            end_time="10:30",
            title="Plénière d'ouverture",
            speakers="Vice-présidente de la Région",
            room="Grand auditorium",
        )
        for start, end, label in [("10:45", "12:15", "1"), ("14:00", "15:30", "2")]:
            workshop_round = AgendaItemFactory(
                session=seminar,
                workshops=True,
                start_time=start,
                end_time=end,
                title=f"Ateliers en parallèle — tour {label}",
            )
            for letter, room in [("A", "Salle Somme"), ("B", "Salle Authie")]:
                WorkshopFactory(
                    round=workshop_round,
                    title=f"Histoires de territoire {letter}{label}",
                    room=room,
                    speakers="Réseau rural",
                    capacity=20,
                )
    return organisation, programme


def login(page: Page, email: str = EMAIL):
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes organisations")


def test_team_member_reads_the_calendar_and_picks_workshops(page: Page):
    organisation, programme = build_parcours()
    slug = organisation.slug
    login(page)

    page.goto(reverse("parcours:programme_list", args=[slug]))
    check_a11y(page, "calendrier-programmes")
    page.get_by_role("link", name=programme.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(programme.name)
    region = page.get_by_role("region", name="Frise du parcours, défilement horizontal")
    expect(region).to_be_visible()
    check_skip_link(page)
    check_a11y(page, "calendrier-frise")

    # Only the member's own individual sessions, and the whole cohort's.
    expect(page.locator("a.tl-mark", has_text="")).not_to_have_count(0)
    assert page.locator("a.tl-mark[aria-label*='PAT de l']").count() == 0
    assert page.locator("a.tl-mark[aria-label*='PAT du Pays de Bray']").count() == 4

    # Keyboard: from the scrolling region, Tab through the marks to the seminar.
    region.focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if name.startswith(SEMINAR):
            break
    else:
        raise AssertionError("the seminar's mark is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(SEMINAR)
    check_a11y(page, "calendrier-seance")

    # Two rounds of workshops: pick one in each (htmx, the page stays).
    page.get_by_role("button", name="Choisir cet atelier : Histoires de territoire B1").click()
    expect(
        page.get_by_text("Vous participerez à l'atelier « Histoires de territoire B1 ».")
    ).to_be_visible()
    page.get_by_role("button", name="Choisir cet atelier : Histoires de territoire A2").click()
    expect(page.get_by_text("Votre choix :").nth(1)).to_be_visible()
    expect(page.locator(".workshop-card.is-chosen")).to_have_count(2)
    check_a11y(page, "calendrier-seance-ateliers")

    # The month grid and the filtered list.
    page.goto(reverse("parcours:month", args=[slug, programme.pk]))
    expect(page.get_by_role("table")).to_be_visible()
    check_a11y(page, "calendrier-mois")
    page.get_by_role("link", name="Liste").click()
    page.get_by_label("Type").select_option(label="Webinaire")
    expect(page.locator(".results-count")).to_have_text("3 séances")
    expect(page).to_have_url(re.compile(rf"[?&]kind={_kind_id(page)}(&|$)"))  # pushed
    expect(page.get_by_role("link", name="Mobiliser mon trinôme")).to_be_visible()
    expect(page.get_by_role("link", name="Lancement du parcours")).to_have_count(0)
    check_a11y(page, "calendrier-liste-filtree")

    page.goto(reverse("my_calendar"))
    expect(page.get_by_role("link", name=SEMINAR)).to_be_visible()
    check_a11y(page, "calendrier-personnel")


def _kind_id(page: Page) -> str:
    return page.get_by_label("Type").input_value()


def test_timeline_and_session_on_a_phone(page: Page):
    organisation, programme = build_parcours()
    login(page)
    page.set_viewport_size({"width": 375, "height": 812})
    slug = organisation.slug
    for name, path in [
        ("telephone-frise", reverse("parcours:timeline", args=[slug, programme.pk])),
        ("telephone-mois", reverse("parcours:month", args=[slug, programme.pk])),
    ]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide on a 375px phone"
        check_a11y(page, name)
    page.goto(reverse("parcours:timeline", args=[slug, programme.pk]))
    page.get_by_role("link", name=SEMINAR).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEMINAR)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the session page is {width}px wide on a 375px phone"
    check_a11y(page, "telephone-seance")


def test_coordinator_sees_every_team_and_the_tools(page: Page):
    organisation, programme = build_parcours()
    with scope(organisation=organisation.pk):
        programme.status = "draft"
        programme.save(update_fields=["status"])
    login(page, COORDINATOR)
    page.goto(reverse("parcours:timeline", args=[organisation.slug, programme.pk]))
    expect(
        page.get_by_text("Brouillon : les participants ne voient pas encore ce programme.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Publier le programme")).to_be_visible()
    assert page.locator("a.tl-mark[aria-label*='PAT de l']").count() == 4
    check_a11y(page, "calendrier-frise-coordination")
    page.get_by_role("link", name="Liste").click()
    page.get_by_label("Équipe").select_option(label="PAT Flandre intérieure")
    expect(
        page.get_by_role("link", name="Accompagnement individuel n°1 — PAT Flandre intérieure")
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="Accompagnement individuel n°1 — PAT de l'Amiénois")
    ).to_have_count(0)
    check_a11y(page, "calendrier-liste-coordination")
    # Who was convened to a session, and when (nobody yet: the programme is a draft).
    page.get_by_role("link", name="Accompagnement individuel n°1 — PAT Flandre intérieure").click()
    page.get_by_role("link", name="Convocations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Convocations")
    expect(page.get_by_text("jamais convoqué·e").first).to_be_visible()
    check_a11y(page, "seance-convocations")
