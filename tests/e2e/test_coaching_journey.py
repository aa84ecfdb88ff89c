"""Issue 8 from end to end, in Chromium: the coordinator launches the date polls of the
first individual coaching for every team; team members answer on a phone; the trainer
picks a team's best slot and its members get their convocation with the .ics; on the
day, the trainer keeps the J1/J2 training's attendance per half-day on a tablet and
validates the sheet; the coordinator reads the rates and downloads the cohort's
attestations as a ZIP after watching its build. Axe runs on every page visited; one
vote and one attendance click are made with the keyboard only."""

import io
import re
import zipfile
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Locator, Page, expect

from parcours.models import Session
from presences.models import AttendanceSheet
from sondages.models import DatePoll
from tests.factories import MembershipFactory, SessionFactory, _aware, build_programme

from .conftest import check_a11y, check_skip_link
from .test_engagement_journey import log_in

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 900}
TEAM_NAMES = ["PAT du Pays de Bray", "PAT de l'Amiénois", "PAT Flandre intérieure"]
PEOPLE = [
    [("Élise", "Dupont"), ("Karim", "Benali"), ("Inès", "Roux")],
    [("Paul", "Martin"), ("Léa", "Moreau"), ("Hugo", "Lefèvre")],
    [("Chloé", "Garnier"), ("Nadia", "Haddad"), ("Marc", "Absent")],
]
TRAINING = "Formation J1/J2 — connaissance des organisations"
SERIES = "Accompagnement individuel n°1"
# Per team, the two voters' answers to the three slots (the second slot wins for the
# first team: two « oui » and both indispensable roles available).
VOTES = [
    [("Non", "Oui", "Si nécessaire"), ("Oui", "Oui", "Non")],
    [("Oui", "Si nécessaire", "Non"), ("Oui", "Non", "Oui")],
    [("Si nécessaire", "Oui", "Oui"), ("Non", "Oui", "Si nécessaire")],
]
ANSWER_FEEDBACK = {"Oui": "oui", "Si nécessaire": "si nécessaire", "Non": "non"}


def build_world():
    today = timezone.localdate()
    with scopes_disabled():
        world = build_programme(teams=3, members_per_team=3)
        organisation = world.organisation
        coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        trainer = MembershipFactory(
            organisation=organisation, trainer=True, user__first_name="Sophie"
        ).user
        members = []
        for team, name, names in zip(world.teams, TEAM_NAMES, PEOPLE, strict=True):
            team.name = name
            team.save(update_fields=["name"])
            people = list(team.members.select_related("user", "role").order_by("pk"))
            for member, (first, last) in zip(people, names, strict=True):
                member.user.first_name, member.user.last_name = first, last
                member.user.save(update_fields=["first_name", "last_name"])
            members.append(people)
            SessionFactory(
                programme=world.programme,
                kind=world.individual_kind,
                title=f"{SERIES} — {name}",
                tentative=True,
                in_person=True,
                audience=Session.Audience.TEAM,
                teams=[team],
                facilitators=[trainer],
            )
        training = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title=TRAINING,
            in_person=True,
            audience=Session.Audience.COHORT,
            expected_presence=Session.Presence.WHOLE_TEAM_REQUIRED,
            # Held the day before yesterday and yesterday: its sheet can be validated.
            starts_at=_aware(today - timedelta(days=2), 9, 30),
            ends_at=_aware(today - timedelta(days=1), 17),
            facilitators=[trainer],
        )
    return world, coordinator, trainer, members, training


def tab_to(page: Page, target: Locator, limit: int = 120) -> None:
    """Press Tab until ``target`` has the keyboard focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus with Tab")


def slot_card(page: Page, slot) -> Locator:
    return page.locator(f"#slot-{slot.pk}")


def person(page: Page, user) -> Locator:
    return page.locator(f"#personne-{user.pk}")


def set_status(page: Page, user, label: str) -> None:
    row = person(page, user)
    row.get_by_role("button", name=label, exact=True).click()
    expect(person(page, user).get_by_role("button", name=label, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def all_present(page: Page, count: int) -> None:
    page.get_by_role("button", name="Tous présents").click()
    expect(page.locator(".messages")).to_contain_text(f"{count} personnes notées présentes")


def test_polls_attendance_and_attestations(page: Page):
    world, coordinator, trainer, members, training = build_world()
    slug = world.organisation.slug
    programme = world.programme
    today = timezone.localdate()
    absentee = members[2][2].user  # absent the whole training: no attestation
    mail.outbox.clear()

    # 1. The coordinator launches the polls of every team from the « Sondages » tab.
    page.set_viewport_size(DESKTOP)
    log_in(page, coordinator.email)
    page.goto(reverse("parcours:timeline", args=[slug, programme.pk]))
    page.get_by_role("navigation", name="Vues du programme").get_by_role(
        "link", name="Sondages"
    ).click()
    expect(page.get_by_role("heading", name="Sondages de date")).to_be_visible()
    check_a11y(page, "sondages-vide")
    page.get_by_role("link", name="Lancer les sondages pour toutes les équipes").click()
    for name in TEAM_NAMES:
        expect(page.get_by_label(f"{SERIES} — {name}")).to_be_checked()
    expect(page.get_by_label(TRAINING)).to_have_count(0)  # cohort-wide: not a team's
    for index, offset in enumerate((14, 15, 16)):
        day = today + timedelta(days=offset)
        page.locator(f"#id_slots-{index}-day").fill(day.isoformat())
        page.locator(f"#id_slots-{index}-start_time").fill("09:30")
        page.locator(f"#id_slots-{index}-end_time").fill("12:30")
    page.get_by_label("Réponses attendues avant le").fill((today + timedelta(days=7)).isoformat())
    check_a11y(page, "sondages-lancer")
    page.get_by_role("button", name="Lancer les sondages").click()
    expect(page.locator(".messages")).to_contain_text("3 sondages lancés")
    for name in TEAM_NAMES:
        expect(page.get_by_role("table")).to_contain_text(f"{SERIES} — {name}")
    check_a11y(page, "sondages-lances")
    page.context.clear_cookies()
    with scope(organisation=world.organisation.pk):
        polls = [
            DatePoll.objects.get(session__teams=team, status=DatePoll.Status.OPEN)
            for team in world.teams
        ]
        slots = [list(poll.slots.order_by("starts_at")) for poll in polls]
    assert all(len(poll_slots) == 3 for poll_slots in slots)

    # 2. Two members of each team answer on a phone, in place (htmx).
    page.set_viewport_size(PHONE)
    for team_index, team_members in enumerate(members):
        for voter_index, answers in enumerate(VOTES[team_index]):
            voter = team_members[voter_index].user
            poll_url = reverse("sondages:poll_detail", args=[slug, polls[team_index].pk])
            log_in(page, voter.email)
            if team_index == 0 and voter_index == 0:
                page.goto(reverse("sondages:my_polls", args=[slug]))
                check_a11y(page, "mes-sondages-telephone")
                page.get_by_role("link", name=re.compile(SERIES)).first.click()
                expect(page).to_have_url(re.compile(re.escape(poll_url) + "$"))
                check_skip_link(page)
            else:
                page.goto(poll_url)
            keyboard = team_index == 0 and voter_index == 1
            for slot, answer in zip(slots[team_index], answers, strict=True):
                card = slot_card(page, slot)
                if keyboard and answer == "Oui" and slot == slots[0][0]:
                    # Keyboard only: Tab into the slot's choices, Space picks « Oui ».
                    tab_to(page, card.get_by_role("radio", name="Oui"))
                    page.keyboard.press("Space")
                else:
                    card.get_by_text(answer, exact=True).click()
                expect(slot_card(page, slot)).to_contain_text(
                    f"Réponse enregistrée : {ANSWER_FEEDBACK[answer]}."
                )
            if team_index == 0 and voter_index == 0:
                check_a11y(page, "sondage-vote-telephone")
                page.get_by_label("Commentaire").fill("Le mardi je peux me libérer l'après-midi.")
                page.get_by_role("button", name="Enregistrer mes réponses").click()
                expect(page.locator(".messages")).to_contain_text("vos réponses sont enregistrées")
            page.reload()
            for slot, answer in zip(slots[team_index], answers, strict=True):
                expect(slot_card(page, slot).get_by_role("radio", name=answer)).to_be_checked()
            page.context.clear_cookies()

    # 3. The trainer opens the first team's poll, picks the best slot; convocations go out.
    page.set_viewport_size(DESKTOP)
    log_in(page, trainer.email)
    page.goto(reverse("sondages:poll_detail", args=[slug, polls[0].pk]))
    ranked = page.get_by_role("table", name=re.compile("Créneaux classés"))
    best = ranked.locator("tbody tr").first
    expect(best).to_contain_text("Meilleur créneau")
    expect(best.locator("td").first).to_have_text("2")  # two « oui »
    expect(page.get_by_role("table", name=re.compile("Réponses de chaque"))).to_contain_text(
        "Le mardi je peux me libérer"
    )
    check_a11y(page, "sondage-organisateur")
    best.get_by_role("link", name=re.compile("Retenir ce créneau")).click()
    check_a11y(page, "sondage-retenir")
    page.get_by_role("button", name="Retenir ce créneau et convoquer").click()
    expect(page.locator(".messages")).to_contain_text("Date retenue")
    check_a11y(page, "sondage-decide")
    with scope(organisation=world.organisation.pk):
        session = Session.objects.get(pk=polls[0].session_id)
        assert session.status == Session.Status.SCHEDULED
        assert session.starts_at == slots[0][1].starts_at
    for member in members[0]:
        convocations = [
            message
            for message in mail.outbox
            if message.to == [member.user.email] and "Convocation" in message.subject
        ]
        assert len(convocations) == 1, [
            m.subject for m in mail.outbox if m.to == [member.user.email]
        ]
        (calendar,) = convocations[0].attachments
        assert calendar.get_content_type() == "text/calendar"
        assert calendar.get_filename().endswith(".ics")
    other_teams = {m.user.email for team in members[1:] for m in team}
    assert not any(
        "Convocation" in message.subject and set(message.to) & other_teams
        for message in mail.outbox
    )

    # 4. On a tablet, the trainer keeps the J1/J2 attendance per half-day and validates.
    page.set_viewport_size(TABLET)
    page.goto(reverse("presences:attendance", args=[slug, training.pk]))
    halfdays = page.get_by_role("navigation", name="Demi-journées de la séance")
    elu_a, charge_b, responsable_b = members[0][0].user, members[1][1].user, members[1][2].user

    halfdays.get_by_role("link", name="J1 matin").click()
    set_status(page, absentee, "Absent·e")
    all_present(page, 8)
    check_a11y(page, "presences-j1-matin")

    halfdays.get_by_role("link", name="J1 après-midi").click()
    set_status(page, elu_a, "Absent·e")
    team_a = page.locator("section.attendance-block", has_text=TEAM_NAMES[0])
    expect(team_a).to_contain_text("Absence : Élu·e référent·e (indispensable)")
    # Keyboard only: Tab to the absentee's « Absent·e » button, Enter saves it.
    absent_button = person(page, absentee).get_by_role("button", name="Absent·e", exact=True)
    page.goto(page.url)
    tab_to(page, absent_button, limit=200)
    page.keyboard.press("Enter")
    expect(absent_button).to_have_attribute("aria-pressed", "true")
    expect(person(page, absentee)).to_contain_text("Enregistré : Absent·e.")
    all_present(page, 7)
    check_a11y(page, "presences-j1-apres-midi")

    halfdays.get_by_role("link", name="J2 matin").click()
    set_status(page, charge_b, "Retard ou départ anticipé")
    person(page, charge_b).get_by_label("Précision (heure d'arrivée ou de départ)").fill(
        "Arrivée à 10 h 15"
    )
    person(page, charge_b).get_by_role("button", name="Enregistrer la précision").click()
    expect(person(page, charge_b)).to_contain_text("Enregistré : Retard ou départ anticipé.")
    set_status(page, responsable_b, "Excusé·e")
    person(page, responsable_b).get_by_role("button", name=re.compile("^Annuler")).click()
    for label in ("Présent·e", "Absent·e", "Excusé·e", "Retard ou départ anticipé"):
        expect(
            person(page, responsable_b).get_by_role("button", name=label, exact=True)
        ).to_have_attribute("aria-pressed", "false")
    set_status(page, absentee, "Absent·e")
    all_present(page, 7)
    check_a11y(page, "presences-j2-matin")

    halfdays.get_by_role("link", name="J2 après-midi").click()
    set_status(page, absentee, "Absent·e")
    all_present(page, 8)
    page.get_by_role("button", name="Valider la feuille").click()
    expect(page.get_by_role("heading", name="Feuille validée")).to_be_visible()
    expect(page.get_by_role("button", name="Tous présents")).to_have_count(0)
    expect(page.locator(".attendance-buttons")).to_have_count(0)
    table = page.get_by_role("table", name=re.compile("Présences à"))
    expect(table).to_contain_text("Arrivée à 10 h 15")
    check_a11y(page, "presences-validees")
    with scope(organisation=world.organisation.pk):
        assert AttendanceSheet.objects.get(session=training).is_validated
    page.context.clear_cookies()

    # 5. The coordinator reads the rates and builds the cohort's attestations.
    page.set_viewport_size(DESKTOP)
    log_in(page, coordinator.email)
    page.goto(reverse("parcours:timeline", args=[slug, programme.pk]))
    page.get_by_role("navigation", name="Vues du programme").get_by_role(
        "link", name="Présences"
    ).click()
    # 31 half-days attended out of 36 recorded (one absent all along, one absent once).
    expect(page.locator("#presences-resume + dl")).to_contain_text("86,1\u00a0%")
    check_a11y(page, "presences-tableau-de-bord")
    page.get_by_role("button", name="Attestations de la promotion (ZIP)").click()
    state = page.locator("#document-state")
    expect(state).to_contain_text(re.compile("En attente|Création en cours|Le document est prêt"))
    download_link = state.get_by_role("link", name=re.compile("^Télécharger"))
    expect(download_link).to_be_visible(timeout=30_000)
    check_a11y(page, "attestations-pretes")
    with page.expect_download() as download_info:
        download_link.click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 8, archive.namelist()
    assert not any("absent" in name.lower() for name in pdfs), pdfs
    for name in pdfs:
        assert archive.read(name).startswith(b"%PDF")
