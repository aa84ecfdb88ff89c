"""Issue 17 from end to end, in Chromium: attendance is the truth.

A two-day training with its own half-days (J1 9 h – 12 h 15 / 13 h 45 – 17 h 45, set by
the coordinator on the « Horaires » page; J2 9 h – 12 h 30 / 13 h 30 – 17 h) for four
trinômes (12 people). On J1 morning, ten people sign on the trainer's tablet and two on
their own phone from the room's code; Marc never comes. The trainer cannot validate J1
before 17 h 45, validates it in the evening, then J2 the next evening. The « à chaud »
goes to the 11 who came, not to Marc. A participant's attestation states 14 h 15 (read
back with pypdf), carries a number, and the public verification page finds it from
that number. Axe runs on every page; one signature and the phone code are keyboard
only.

The journey runs in the future (a week from today) under ``time_machine`` with the
clock ticking, so the server sees the room's hours while the browser keeps its cookies.
"""

import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from notifications.scan import scan
from parcours.models import Session
from presences import services as attendance
from presences.models import AttendanceStatus, HalfDay
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    SessionFactory,
    build_programme,
    build_satisfaction_questionnaire,
)

from .conftest import check_a11y
from .test_coaching_journey import tab_to
from .test_engagement_journey import log_in

PARIS = ZoneInfo("Europe/Paris")
TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}
TITLE = "Formation J1/J2 — gouvernance alimentaire"
NAMES = [
    ("Élise", "Dupont"),
    ("Karim", "Benali"),
    ("Inès", "Roux"),
    ("Paul", "Martin"),
    ("Léa", "Moreau"),
    ("Hugo", "Lefèvre"),
    ("Chloé", "Garnier"),
    ("Nadia", "Haddad"),
    ("Yann", "Kerbrat"),
    ("Sarah", "Cohen"),
    ("Tom", "Lemaire"),
    ("Marc", "Absent"),
]
# J1 morning: the first ten sign on the tablet (Élise with the keyboard), Tom on his
# phone; in the afternoon Sarah signs on her phone; Marc never comes.
TABLET_SIGNERS = range(0, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def build_world():
    day1 = timezone.localdate() + timedelta(days=7)
    day2 = day1 + timedelta(days=1)
    with scopes_disabled():
        world = build_programme(teams=4, members_per_team=3)
        organisation = world.organisation
        organisation.city = "Lille"
        organisation.legal_name = "Région Hauts-de-France"
        organisation.signatory_name = "Claire Vasseur"
        organisation.signatory_function = "Directrice de l'agriculture"
        organisation.save()
        coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        trainer = MembershipFactory(
            organisation=organisation,
            trainer=True,
            user__first_name="Sophie",
            user__last_name="Formatrice",
        ).user
        people = []
        for team in world.teams:
            for member in team.members.select_related("user").order_by("pk"):
                people.append(member.user)
        for user, (first, last) in zip(people, NAMES, strict=True):
            user.first_name, user.last_name = first, last
            user.save(update_fields=["first_name", "last_name"])
        training = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            title=TITLE,
            in_person=True,
            place="Hôtel de Région, Lille",
            objectives="Comprendre la gouvernance d'un PAT.",
            audience=Session.Audience.COHORT,
            starts_at=at(day1, 9),
            ends_at=at(day2, 17),
            facilitators=[trainer],
        )
        form = build_satisfaction_questionnaire(organisation=organisation)
        campaign = CampaignFactory(
            programme=world.programme,
            version=form.version,
            title="Satisfaction à chaud — J1/J2",
            moment="hot",
            audience="session",
            session=training,
            opens_at=at(day2, 17),
            closes_at=at(day2 + timedelta(days=14), 17),
            launched_at=at(day1, 8) - timedelta(days=7),
        )
    return world, coordinator, trainer, people, training, campaign, day1, day2


def sign_on_tablet(page: Page, user, *, keyboard: bool = False) -> None:
    row = page.locator(f"#personne-{user.pk}")
    button = row.get_by_role("link", name="Signer")
    if keyboard:
        tab_to(page, button)
        page.keyboard.press("Enter")
        name_field = page.get_by_role("dialog").get_by_label(re.compile("Ou signez au clavier"))
        expect(name_field).to_be_visible()
        name_field.focus()
        page.keyboard.type(user.get_full_name())
        page.keyboard.press("Enter")
    else:
        button.click()
        dialog = page.get_by_role("dialog")
        canvas = dialog.locator("canvas")
        expect(canvas).to_be_visible()
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + 20, box["y"] + 20)
        page.mouse.down()
        for step in range(1, 8):
            page.mouse.move(box["x"] + 20 + step * 30, box["y"] + 20 + (step % 3) * 20)
        page.mouse.up()
        dialog.get_by_role("button", name="Signer").click()
    expect(page.locator(f"#personne-{user.pk}")).to_contain_text("signé à")


def code_on_tablet(page: Page) -> str:
    code = page.locator("#code-salle .font-monospace").inner_text().split(":")[-1].strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code), code
    return code


def sign_on_phone(browser: Browser, base_url: str, slug: str, user, code: str, name: str):
    """``user`` signs on their own phone: the code typed, then the name, keyboard only."""
    context = browser.new_context(
        base_url=base_url, viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris"
    )
    phone = context.new_page()
    log_in(phone, user.email)
    phone.goto(reverse("presences:phone", args=[slug]))
    check_a11y(phone, f"truth-telephone-code-{name}")
    phone.get_by_label("Code affiché dans la salle").focus()
    phone.keyboard.type(code.lower())
    phone.keyboard.press("Enter")
    typed = phone.get_by_label(re.compile("Ou signez au clavier"))
    expect(typed).to_be_visible()
    check_a11y(phone, f"truth-telephone-signer-{name}")
    typed.focus()
    phone.keyboard.type(user.get_full_name())
    phone.keyboard.press("Enter")
    expect(phone.locator("main")).to_contain_text("signé")
    context.close()


def draw_and_validate_day(page: Page, day: date) -> None:
    panel = page.locator(f"#jour-{day.isoformat()}")
    canvas = panel.locator("canvas")
    expect(canvas).to_be_visible()
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 30)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 90)
    page.mouse.move(box["x"] + 320, box["y"] + 40)
    page.mouse.up()
    panel.get_by_role("button", name="Signer et valider la journée").click()
    expect(page.locator(f"#jour-{day.isoformat()}")).to_contain_text("Validée par Sophie")


def service_sign(session, user, day, half_day, trainer):
    attendance.sign_half_day(
        session=session,
        user=user,
        day=day,
        half_day=half_day,
        method="tablet",
        strokes=[[[10, 10], [100, 60]]],
        recorded_by=trainer,
    )


def test_attendance_is_the_truth(page: Page, browser: Browser, live_server):
    world, coordinator, trainer, people, training, _campaign, day1, day2 = build_world()
    organisation = world.organisation
    slug = organisation.slug
    absent = people[-1]

    # The coordinator sets J1's half-days on the « Horaires » page.
    with time_machine.travel(at(day1 - timedelta(days=6), 10), tick=True):
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, coordinator.email)
        page.goto(reverse("parcours:session_days", args=[slug, training.pk]))
        check_a11y(page, "truth-01-horaires")
        first_day = page.get_by_role("group", name=re.compile("^J1"))
        first_day.get_by_label("Fin de la matinée").fill("12:15")
        first_day.get_by_label("Début de l'après-midi").fill("13:45")
        first_day.get_by_label("Fin de l'après-midi").fill("17:45")
        second_day = page.get_by_role("group", name=re.compile("^J2"))
        second_day.get_by_label("Fin de la matinée").fill("12:30")
        second_day.get_by_label("Début de l'après-midi").fill("13:30")
        second_day.get_by_label("Fin de l'après-midi").fill("17:00")
        page.get_by_role("button", name="Enregistrer les horaires").click()
        expect(page.locator(".messages")).to_be_visible()
        page.goto(reverse("parcours:session_detail", args=[slug, training.pk]))
        expect(page.locator("main")).to_contain_text("9 h – 12 h 15 · 13 h 45 – 17 h 45")
        check_a11y(page, "truth-02-seance")
        page.context.clear_cookies()

    # J1, 9 h 05: the trainer's tablet. Ten people sign there (one with the keyboard).
    with time_machine.travel(at(day1, 9, 5), tick=True):
        page.set_viewport_size(TABLET)
        log_in(page, trainer.email)
        page.goto(reverse("presences:signatures", args=[slug, training.pk]))
        check_a11y(page, "truth-03-tablette")
        code = code_on_tablet(page)
        for index in TABLET_SIGNERS:
            sign_on_tablet(page, people[index], keyboard=index == 0)
            if index == 1:
                check_a11y(page, "truth-04-tablette-signee")

        # Tom signs on his own phone from the room's code, with the keyboard only.
        sign_on_phone(browser, live_server.url, slug, people[10], code, "matin")

        # Validating J1 now is refused: it ends at 17 h 45.
        expect(page.locator(f"#jour-{day1.isoformat()}")).to_contain_text(
            "Vous pourrez valider cette journée à partir de 17 h 45"
        )

    # J1 afternoon: Sarah signs on her phone with the afternoon's code (the morning's
    # no longer works).
    with time_machine.travel(at(day1, 13, 50), tick=True):
        page.goto(reverse("presences:signatures", args=[slug, training.pk]))
        afternoon_code = code_on_tablet(page)
        assert afternoon_code != code
        sign_on_phone(browser, live_server.url, slug, people[9], afternoon_code, "apres-midi")

    # The rest of J1 and J2 go through the same services the tablet calls.
    with scopes_disabled(), scope(organisation=organisation):
        with time_machine.travel(at(day1, 13, 55), tick=False):
            for user in [*people[:9], people[10]]:
                service_sign(training, user, day1, HalfDay.AFTERNOON, trainer)
        with time_machine.travel(at(day2, 9, 5), tick=False):
            for user in people[:11]:
                service_sign(training, user, day2, HalfDay.MORNING, trainer)
        with time_machine.travel(at(day2, 13, 35), tick=False):
            for user in people[:11]:
                service_sign(training, user, day2, HalfDay.AFTERNOON, trainer)
        for moment, day, half in (
            (at(day1, 9, 30), day1, HalfDay.MORNING),
            (at(day1, 14), day1, HalfDay.AFTERNOON),
            (at(day2, 9, 30), day2, HalfDay.MORNING),
            (at(day2, 14), day2, HalfDay.AFTERNOON),
        ):
            with time_machine.travel(moment, tick=False):
                attendance.record_attendance(
                    session=training,
                    acting_user=trainer,
                    user=absent,
                    day=day,
                    half_day=half,
                    status=AttendanceStatus.ABSENT,
                )

    # J1 evening, then J2 evening: the trainer signs and validates each day.
    with time_machine.travel(at(day1, 17, 50), tick=True):
        page.goto(reverse("presences:signatures", args=[slug, training.pk]))
        draw_and_validate_day(page, day1)
        check_a11y(page, "truth-07-j1-validee")
    with time_machine.travel(at(day2, 17, 5), tick=True):
        page.goto(reverse("presences:signatures", args=[slug, training.pk]))
        draw_and_validate_day(page, day2)
        page.goto(reverse("presences:attendance", args=[slug, training.pk]))
        check_a11y(page, "truth-08-feuille-validee")

    # The « à chaud » goes to the eleven who came, never to Marc.
    mail.outbox.clear()
    with scopes_disabled(), time_machine.travel(at(day2, 17, 10), tick=False):
        scan()
    invited = {address for message in mail.outbox for address in message.to}
    assert invited == {user.email for user in people[:11]}, invited
    assert absent.email not in invited

    # Élise asks for her attestation: 14 h 15 (3 h 15 + 4 h + 3 h 30 + 3 h 30).
    elise = people[0]
    with time_machine.travel(at(day2 + timedelta(days=1), 10), tick=True):
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in(page, elise.email)
        page.goto(
            reverse("parcours:team_detail", args=[slug, world.programme.pk, world.teams[0].pk])
        )
        page.get_by_role("button", name="Obtenir mon attestation (PDF)").click()
        download_link = page.get_by_role("link", name=re.compile("Télécharger"))
        expect(download_link).to_be_visible(timeout=30_000)
        check_a11y(page, "truth-09-attestation-prete")
        with page.expect_download() as download_info:
            download_link.click()
        pdf = download_info.value.path().read_bytes()
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "14 h 15" in text, text
        assert "PROVISOIRE" not in text
        assert "Claire Vasseur" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        number = re.search(r"ATT-\d{4}-\d+", text).group(0)

        # Anyone finds it on the public verification page from its number.
        page.context.clear_cookies()
        page.goto(reverse("documents:verify", args=[slug]))
        check_a11y(page, "truth-10-verification")
        page.get_by_label(re.compile("[Nn]uméro")).fill(number)
        page.get_by_role("button", name=re.compile("Vérifier")).click()
        result = page.locator("main")
        expect(result).to_contain_text("Élise Dupont")
        expect(result).to_contain_text("14 h 15")
        check_a11y(page, "truth-11-verification-trouvee")
