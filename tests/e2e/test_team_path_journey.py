"""Issue 16, « Done when »: a published « Trinôme PAT » programme selects six trinômes
from its call; each of the 18 people (no account) opens the team invitation of their
e-mail on a 390 px phone, joins in one click and signs the engagement — all but one,
who joins without signing. Each was convened to the sessions to come, in one message,
as they joined. The unsigned person's trinôme shows « 2 signatures sur 3 — manque :
Responsable de service », the coordinator's dashboard 5 trinômes engagés sur 6; exactly
one signature reminder goes out at J+3, to that person only. Then the coordinator
renames a trinôme and adds a fourth role, through the browser. Axe on each kind of
page."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from candidatures import services as selection
from candidatures.models import Application
from notifications.scan import scan
from parcours import services
from parcours.models import Convocation, Programme, Signature, Team, TeamMember
from tests.factories import (
    ApplicationFactory,
    ApplicationMemberFactory,
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    TerritoryFactory,
    UserFactory,
)

from .conftest import check_a11y

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory's password
COORDINATOR = "parcours@hautsdefrance.example.org"
PROGRAMME = "Gouvernance alimentaire 2026"
ROLES = ["Élu·e référent·e", "Chargé·e de mission", "Responsable de service"]
SESSIONS = ["Séance de lancement", "Atelier gouvernance partagée", "Journée des territoires"]
TERRITORIES = [
    "CC des Quatre Rivières en Bray",
    "CC du Pays de Bray",
    "CA du Beauvaisis",
    "CC de la Picardie Verte",
    "CC du Vexin-Thelle",
    "CC des Sablons",
]
PEOPLE = [  # (first name, last name) per territory, in the order of ROLES
    [("Léa", "Martin"), ("Karim", "Benali"), ("Inès", "Roux")],
    [("Hugo", "Lefebvre"), ("Chloé", "Garnier"), ("Mehdi", "Haddad")],
    [("Sophie", "Moreau"), ("Julien", "Fabre"), ("Aïcha", "Diallo")],
    [("Marc", "Dubois"), ("Emma", "Lambert"), ("Thomas", "Girard")],
    [("Claire", "Bonnet"), ("Yanis", "Mercier"), ("Laura", "Faure")],
    [("Nicolas", "Rousseau"), ("Camille", "Perrin"), ("Pauline", "Chevalier")],
]
UNSIGNED = (5, 2)  # the « Responsable de service » of the last trinôme
SIGNATURE_REMINDER = "Rappel : votre engagement à signer"


def email_of(first: str, last: str) -> str:
    ascii_name = f"{first}.{last}".lower().translate(str.maketrans("éèëïîôç", "eeeiioc"))
    return f"{ascii_name}@territoire.example"


def messages_to(email: str) -> list:
    return [message for message in mail.outbox if message.to == [email]]


def build_world():
    """A draft « Trinôme PAT » programme, its sessions to come and engagement text, then
    published with no team yet; six submitted applications of three people each."""
    with scopes_disabled():
        organisation = OrganisationFactory(
            name="Région Hauts-de-France", slug="hauts-de-france", time_zone="Europe/Paris"
        )
        coordinator = MembershipFactory(
            organisation=organisation, coordinator=True, user__email=COORDINATOR
        ).user
        depositor = UserFactory(email="depot@territoire.example")
        territories = [TerritoryFactory(name=name) for name in TERRITORIES]
    today = timezone.localdate()
    with scope(organisation=organisation.pk):
        programme = services.create_programme(
            organisation=organisation,
            acting_user=coordinator,
            name=PROGRAMME,
            start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=700),
            team_roles="pat",
        )
        roles = list(programme.team_roles.order_by("order"))
        assert [role.name for role in roles] == ROLES
        assert all(role.required for role in roles)
        assert programme.team_label == Programme.TeamLabel.TRINOME
        cohort = programme.cohorts.get()
        kind = programme.session_kinds.filter(is_individual=False).first()
        # Far enough ahead that no J-7 / J-1 reminder falls in the days scanned below.
        sessions = [
            SessionFactory(
                programme=programme,
                kind=kind,
                title=title,
                starts_at=datetime.combine(today + timedelta(days=days), time(9, 30), PARIS),
                ends_at=datetime.combine(today + timedelta(days=days), time(17, 0), PARIS),
            )
            for title, days in zip(SESSIONS, (20, 40, 60), strict=True)
        ]
        services.publish_engagement_text(
            programme=programme,
            acting_user=coordinator,
            body="Nous participons, en trinôme, à toutes les séances du parcours.",
            key_sessions=sessions[:1],
        )
        services.publish_programme(programme=programme, acting_user=coordinator)
        assert not Team.objects.filter(cohort__programme=programme).exists()
        call = CallFactory(cohort=cohort, published=True, title="AMI PAT 2026")
        for territory, people in zip(territories, PEOPLE, strict=True):
            application = ApplicationFactory(
                call=call, created_by=depositor, territory=territory, submitted=True
            )
            for index, ((first, last), role) in enumerate(zip(people, roles, strict=True)):
                ApplicationMemberFactory(
                    application=application,
                    first_name=first,
                    last_name=last,
                    email=email_of(first, last),
                    role=role,
                    is_lead=index == 0,
                )
    return organisation, coordinator, programme, call, sessions


def select_and_announce(call, coordinator):
    """The coordinator retains the six applications and announces: each becomes a
    trinôme whose three people are invited by e-mail."""
    with scope(organisation=call.organisation_id):
        for application in Application.objects.filter(call=call).order_by("pk"):
            selection.decide(application=application, acting_user=coordinator, decision="selected")
        selection.announce_decisions(call=call, acting_user=coordinator)
        teams = {
            application.territory.name: application.team
            for application in Application.objects.filter(call=call).select_related(
                "team", "territory"
            )
        }
    assert len(teams) == 6 and all(teams.values())
    return [teams[name] for name in TERRITORIES]


def log_in(page: Page, email: str) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes organisations")


def signature_due(joined_at: datetime) -> datetime:
    """J+3 on the Paris wall clock, moved out of the quiet hours (21:00–07:00)."""
    local = joined_at.astimezone(PARIS)
    due = datetime.combine(local.date() + timedelta(days=3), local.time(), PARIS)
    if due.hour >= 21:
        due = datetime.combine(due.date() + timedelta(days=1), time(7), PARIS)
    elif due.hour < 7:
        due = datetime.combine(due.date(), time(7), PARIS)
    return due


def test_six_trinomes_join_sign_are_convened_and_reminded(page: Page, live_server, settings):
    settings.SITE_URL = live_server.url  # links in e-mails lead to the live server
    organisation, coordinator, programme, call, sessions = build_world()
    slug = organisation.slug
    teams = select_and_announce(call, coordinator)

    # --- Each of the 18 opens their invitation on a phone, joins and signs. ----------
    accept_prefix = f"{live_server.url}/equipes/invitation/"
    page.set_viewport_size(PHONE)
    for t, (team, people) in enumerate(zip(teams, PEOPLE, strict=True)):
        for r, (first, last) in enumerate(people):
            email = email_of(first, last)
            first_person = (t, r) == (0, 0)
            (invitation,) = [m for m in messages_to(email) if accept_prefix in m.body]
            link = re.search(re.escape(accept_prefix) + r"\S+", invitation.body).group(0)
            page.context.clear_cookies()  # a new person, on their own phone
            clicks, ticks, typed = 0, 0, 0

            page.goto(link)  # the link in the e-mail
            expect(page.get_by_role("heading", level=1)).to_have_text(
                f"Rejoindre l’équipe {team.name}"
            )
            expect(page.get_by_label("Prénom")).to_have_value(first)
            expect(page.get_by_label("Nom", exact=True)).to_have_value(last)
            if first_person:
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
                check_a11y(page, "parcours-equipe-invitation")
            page.get_by_role("button", name="Rejoindre l’équipe").click()
            clicks += 1

            expect(page).to_have_url(
                live_server.url
                + reverse("parcours:engagement_sign", args=[slug, programme.pk, team.pk])
            )
            expect(page.get_by_role("heading", level=1)).to_have_text("Mon engagement")
            if first_person:
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
                check_a11y(page, "parcours-engagement-a-signer")
            if (t, r) == UNSIGNED:
                # Joined, not signed: the page says what the trinôme still lacks.
                expect(page.locator("#progression-equipe")).to_contain_text(
                    "2 signatures sur 3 — manque : Responsable de service"
                )
            else:
                page.get_by_label(re.compile("J'ai lu ce texte")).check()
                ticks += 1
                page.get_by_label("Votre prénom et votre nom").fill(f"{first} {last}")
                typed += 1
                page.get_by_role("button", name="Je signe l’engagement").click()
                clicks += 1
                expect(
                    page.get_by_role("heading", name=re.compile("Vous avez signé"))
                ).to_be_visible()
            assert clicks + ticks <= 3 and typed <= 2, (email, clicks, ticks, typed)
    page.context.clear_cookies()

    unsigned_email = email_of(*PEOPLE[UNSIGNED[0]][UNSIGNED[1]])
    with scopes_disabled():
        members = {
            member.user.email: member
            for member in TeamMember.objects.current()
            .filter(team__cohort__programme=programme)
            .select_related("user", "role")
        }
        assert len(members) == 18
        signed = set(
            Signature.objects.filter(member__team__cohort__programme=programme).values_list(
                "member__user__email", flat=True
            )
        )
        assert signed == set(members) - {unsigned_email}
        convocations = list(
            Convocation.objects.filter(session__programme=programme).select_related("user")
        )

    # --- Each was convened to the three sessions to come, in one message, on joining.
    for email, member in members.items():
        rows = [row for row in convocations if row.user.email == email]
        assert {row.session_id for row in rows} == {session.pk for session in sessions}, email
        assert {row.kind for row in rows} == {Convocation.Kind.DIGEST}, email
        assert len({row.outbox_message_id for row in rows}) == 1, email
        assert rows[0].outbox_message_id is not None, email
        for row in rows:
            assert abs(row.sent_at - member.joined_at) < timedelta(seconds=10), email
        (calendar,) = [
            m
            for m in messages_to(email)
            if m.subject.startswith("Votre calendrier du parcours")
            or m.subject.startswith("Convocation")
        ]
        assert calendar.subject == f"Votre calendrier du parcours {PROGRAMME}"
        for title in SESSIONS:
            assert title in calendar.body, (email, title)

    # --- The coordinator: 2 signatures sur 3 on the trinôme, 5 engaged out of 6. ----
    page.set_viewport_size(DESKTOP)
    log_in(page, COORDINATOR)
    last_team = teams[UNSIGNED[0]]
    page.goto(reverse("parcours:team_detail", args=[slug, programme.pk, last_team.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(last_team.name)
    expect(page.get_by_text("Équipe pas encore engagée")).to_be_visible()
    expect(page.get_by_text("2 signatures sur 3 — manque : Responsable de service")).to_be_visible()
    page.goto(reverse("parcours:engagement_dashboard", args=[slug, programme.pk]))
    expect(page.get_by_text(re.compile(r"5 trinômes engagés sur 6"))).to_be_visible()
    dashboard_row = page.get_by_role("row").filter(has_text=last_team.name)
    expect(dashboard_row).to_contain_text("Pas encore engagée")

    # --- Exactly one signature reminder, at J+3, to the one who did not sign. --------
    due = signature_due(members[unsigned_email].joined_at)
    before = len(mail.outbox)
    with time_machine.travel(due - timedelta(minutes=5), tick=False):
        scan()
    assert len(mail.outbox) == before, [m.subject for m in mail.outbox[before:]]
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        scan()
        scan()  # a second scan finds the reminder taken
    new = mail.outbox[before:]
    assert [(m.to, m.subject.split(" — ")[0]) for m in new] == [
        ([unsigned_email], SIGNATURE_REMINDER)
    ]
    assert reverse("parcours:engagement_sign", args=[slug, programme.pk, last_team.pk]) in (
        new[0].body
    )
    with time_machine.travel(due + timedelta(days=1), tick=False):
        scan()
    assert len(mail.outbox) == before + 1, [m.subject for m in mail.outbox[before + 1 :]]

    # --- The coordinator renames a trinôme and adds a fourth role. -------------------
    first_team = teams[0]
    new_name = "PAT du Pays de Bray et des Quatre Rivières"
    page.goto(reverse("parcours:team_detail", args=[slug, programme.pk, first_team.pk]))
    page.get_by_role("link", name=f"Renommer {first_team.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Renommer « {first_team.name} » (Trinôme)"
    )
    check_a11y(page, "parcours-trinome-renommer")
    page.get_by_label("Nouveau nom de l'équipe").fill(new_name)
    page.get_by_role("button", name="Renommer").click()
    expect(page).to_have_url(
        live_server.url + reverse("parcours:team_detail", args=[slug, programme.pk, first_team.pk])
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(new_name)

    page.goto(reverse("parcours:role_list", args=[slug, programme.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Rôles dans les équipes")
    check_a11y(page, "parcours-roles")
    page.get_by_label("Nom", exact=True).fill("Agent de l'État")
    page.get_by_label("Rôle indispensable").uncheck()
    page.get_by_label("Ordre").fill("3")
    page.get_by_role("button", name="Ajouter le rôle").click()
    roles_table = page.get_by_role("table", name=f"Rôles des équipes de {PROGRAMME}")
    row = roles_table.get_by_role("row").filter(has_text="Agent de l'État")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text("non")
    expect(roles_table.get_by_role("row")).to_have_count(5)  # the header and 4 roles
    check_a11y(page, "parcours-roles-ajoute")
    with scopes_disabled():
        assert Team.objects.get(pk=first_team.pk).name == new_name
        added = programme.team_roles.get(name="Agent de l'État")
        assert not added.required
    # A role not required leaves the engagement as it was.
    page.goto(reverse("parcours:engagement_dashboard", args=[slug, programme.pk]))
    expect(page.get_by_text(re.compile(r"5 trinômes engagés sur 6"))).to_be_visible()

    # Making « Responsable de service » optional would engage the last trinôme: the
    # confirmation page names it, and cancelling saves nothing.
    with scopes_disabled():
        service_role = programme.team_roles.get(name="Responsable de service")
    page.goto(reverse("parcours:role_edit", args=[slug, programme.pk, service_role.pk]))
    page.get_by_label("Rôle indispensable").uncheck()
    page.get_by_role("button", name=re.compile("Enregistrer")).click()
    expect(page.get_by_text(re.compile(re.escape(last_team.name) + " : "))).to_be_visible()
    check_a11y(page, "parcours-role-confirmer")
    page.get_by_role("link", name="Annuler").click()
    with scopes_disabled():
        assert programme.team_roles.get(pk=service_role.pk).required

    # A member's arrival and departure dates, corrected on their own page.
    with scopes_disabled():
        member = TeamMember.objects.filter(team=first_team).order_by("pk").first()
    page.goto(
        reverse("parcours:team_member_dates", args=[slug, programme.pk, first_team.pk, member.pk])
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dates de")
    check_a11y(page, "parcours-membre-dates")
