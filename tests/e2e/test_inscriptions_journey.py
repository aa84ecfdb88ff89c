"""Open registration in Chromium, axe on every public page.

An anonymous visitor on a 390 px phone registers a collectif of three directors with
their workshops (« Ajouter une personne » twice, no account), each confirms from their
e-mail and receives the .ics; a fourth person finds a workshop full and joins its
waiting list; the coordinator sees the dashboard and exports it; the J-7 and J-1
reminders reach the four, once, naming their workshops. On the day, the coordinator's
attendance sheet groups the registrants by collectif (« présents 0 / inscrits 4 »), and
takes « CoDir de territoire »'s attendance; after the day, Claire's attestation, asked
from her collectif's page, names her collectif, her structure and the workshop she
attended (read back with pdftotext)."""

import re
import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from inscriptions import services
from inscriptions.models import Event, Registrant
from notifications.models import OutboxMessage
from notifications.scan import scan
from parcours.models import Team
from parcours.reminders import SessionReminderRule
from presences.services import attendance
from tests.factories import (
    AgendaItemFactory,
    MembershipFactory,
    SessionFactory,
    TerritoryFactory,
    WorkshopFactory,
    build_programme,
)

from .conftest import check_a11y
from .test_engagement_journey import PASSWORD, log_in

PARIS = ZoneInfo("Europe/Paris")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PEOPLE = [
    ("Claire", "Aubin", "claire.aubin@val.example", "Commune du Val", "DGS"),
    ("Hugo", "Bernier", "hugo.bernier@val.example", "CCAS du Val", "Directeur du CCAS"),
    ("Inès", "Caron", "ines.caron@val.example", "CC du Val", "DGA ressources"),
]


def build_world():
    with scopes_disabled():
        built = build_programme(teams=0)
        # 9 h – 16 h (Paris) in twenty days: a morning and an afternoon.
        day = (timezone.now() + timedelta(days=20)).astimezone(PARIS).date()
        start = datetime.combine(day, time(9), PARIS)
        session = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            title="Séminaire des directions",
            audience="open",
            in_person=True,
            starts_at=start,
            ends_at=start + timedelta(hours=7),
        )
        first = AgendaItemFactory(
            session=session, workshops=True, title="Premier temps", start_time="10:00"
        )
        second = AgendaItemFactory(
            session=session,
            workshops=True,
            title="Second temps",
            start_time="14:00",
            end_time="15:30",
        )
        WorkshopFactory(round=first, title="Histoires de territoire", capacity=20)
        full = WorkshopFactory(round=first, title="CoDir de territoire", capacity=3)
        WorkshopFactory(round=second, title="Santé mentale", capacity=20)
        coordinator = MembershipFactory(organisation=built.organisation).user
        TerritoryFactory(name="Communauté de communes du Val", code="200000009")
    with scope(organisation=built.organisation.pk):
        event = services.save_event(
            event=Event(
                organisation=built.organisation,
                session=session,
                slug="seminaire",
                deadline=start - timedelta(days=5),
                published=True,
                audience_text="Directions des collectivités",
                contact="INSET, 02 00 00 00 00",
                action_code="CIDGI 006",
            ),
            acting_user=coordinator,
        )
    return built, session, event, first, second, full, coordinator


def link_in(message, kind: str) -> str:
    url = re.search(rf"https?://\S+/{kind}/\S+/", message.body).group(0)
    return "/" + url.split("/", 3)[3]


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_a_collectif_registers_on_a_phone_and_the_coordinator_follows(page: Page):
    built, session, event, first, second, full, coordinator = build_world()
    slug = built.organisation.slug
    mail.outbox.clear()

    # The public page, on a phone, anonymous.
    page.set_viewport_size(PHONE)
    page.goto(reverse("inscriptions:event", args=[slug, event.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Séminaire des directions")
    expect(page.locator("main")).to_contain_text("3 places restantes")
    expect(page.locator("main")).to_contain_text("CIDGI 006")
    check_a11y(page, "inscriptions-01-event-phone")

    # A collectif of three, growing without JavaScript's help.
    page.get_by_role("link", name="Inscrire un collectif").click()
    page.get_by_label("Nom du collectif").fill("Collectif du Val")
    page.get_by_label("Territoire du collectif").fill("Communauté de communes du Val")
    page.get_by_role("button", name="Ajouter une personne").click()
    page.get_by_role("button", name="Ajouter une personne").click()
    expect(page.locator("#id_personnes-2-email")).to_be_visible()
    check_a11y(page, "inscriptions-02-collective-phone")
    for index, (first_name, last_name, email, structure, function) in enumerate(PEOPLE):
        page.locator(f"#id_personnes-{index}-first_name").fill(first_name)
        page.locator(f"#id_personnes-{index}-last_name").fill(last_name)
        page.locator(f"#id_personnes-{index}-email").fill(email)
        page.locator(f"#id_personnes-{index}-structure").fill(structure)
        page.locator(f"#id_personnes-{index}-function").fill(function)
        page.locator(f"#id_personnes-{index}-round_{first.pk}").select_option(str(full.pk))
        page.locator(f"#id_personnes-{index}-round_{second.pk}").select_option(index=1)
    page.get_by_role("button", name="Inscrire le collectif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez vos e-mails")
    check_a11y(page, "inscriptions-03-thanks-phone")

    # Each confirms from their own e-mail; the confirmation carries the .ics.
    for number, (_first, _last, email, _structure, _function) in enumerate(PEOPLE):
        (request,) = to(email)
        page.goto(link_in(request, "confirmer"))
        if number == 0:
            check_a11y(page, "inscriptions-04-confirm-phone")
        page.get_by_role("button", name="Je confirme mon inscription").click()
        expect(page.locator(".messages")).to_contain_text("Votre inscription est confirmée")
        (confirmed,) = [m for m in to(email) if m.subject.startswith("Inscription confirmée")]
        (calendar,) = confirmed.attachments
        assert calendar.get_filename() == "inscription.ics"
        assert b"CoDir de territoire" in calendar.get_payload(decode=True)
    check_a11y(page, "inscriptions-05-personal-phone")

    # A fourth person: the workshop is full, its waiting list is offered.
    page.goto(reverse("inscriptions:event", args=[slug, event.slug]))
    expect(page.locator("main")).to_contain_text("complet : liste d'attente")
    page.get_by_role("link", name="M'inscrire").click()
    check_a11y(page, "inscriptions-06-register-phone")
    option = page.locator(f"#id_round_{first.pk} option", has_text="CoDir de territoire")
    expect(option).to_have_text(re.compile("complet : liste d’attente|complet : liste d'attente"))
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label("Nom", exact=True).fill("Faure")
    page.get_by_label("Adresse e-mail").first.fill("nadia.faure@saumur.example")
    page.get_by_label("Structure").fill("Commune de Saumur")
    page.get_by_label("Fonction").fill("DGA")
    page.locator(f"#id_round_{first.pk}").select_option(str(full.pk))
    page.locator(f"#id_round_{second.pk}").select_option(index=1)
    page.get_by_role("button", name="M'inscrire").click()
    (request,) = to("nadia.faure@saumur.example")
    page.goto(link_in(request, "confirmer"))
    page.get_by_role("button", name="Je confirme mon inscription").click()
    expect(page.locator("main")).to_contain_text("liste d'attente")
    check_a11y(page, "inscriptions-07-waiting-phone")

    # The coordinator, on a desktop: the dashboard and the export.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    log_in(page, coordinator.email)
    page.goto(reverse("inscriptions:dashboard", args=[slug, built.programme.pk, event.pk]))
    main = page.locator("main")
    expect(main).to_contain_text("Collectif du Val")
    expect(main).to_contain_text("Communauté de communes du Val")
    expect(main).to_contain_text("1. Nadia Faure")
    check_a11y(page, "inscriptions-08-dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Collectif du Val" in text and "Faure" in text and "liste d'attente" in text

    # J-7 and J-1, once each, to the four, with their workshops.
    with scopes_disabled():
        assert Registrant.objects.filter(status="confirmed").count() == 4
    zone = ZoneInfo("Europe/Paris")
    for offset in (7, 1):
        due = SessionReminderRule.due_at(session.starts_at, offset, zone)
        for later in (timedelta(minutes=5), timedelta(hours=1)):
            with time_machine.travel(due + later, tick=False):
                scan()
    with scopes_disabled():
        reminders = list(OutboxMessage.objects.filter(kind="session.reminder"))
    assert sorted(m.to_email for m in reminders) == sorted(
        [p[2] for p in PEOPLE] * 2 + ["nadia.faure@saumur.example"] * 2
    )
    assert all("Vos ateliers" in m.body_text for m in reminders)

    # On the day: the sheet by collectif, and the attendance of one workshop.
    with time_machine.travel(session.starts_at + timedelta(hours=1, minutes=40), tick=True):
        page.context.clear_cookies()
        log_in(page, coordinator.email)
        page.goto(reverse("presences:attendance", args=[slug, session.pk]))
        expect(page.get_by_role("heading", name="Collectif du Val")).to_be_visible()
        expect(page.get_by_role("heading", name="Inscrit·es individuel·les")).to_be_visible()
        expect(page.locator("main")).to_contain_text("CCAS du Val")
        expect(page.locator("#compteur-presences")).to_contain_text("présents 0 / inscrits 4")
        check_a11y(page, "inscriptions-09-sheet")
        page.get_by_role("link", name="Présences par atelier").click()
        page.get_by_role("link", name="CoDir de territoire").click()
        with scopes_disabled():
            claire = Registrant.objects.get(email=PEOPLE[0][2]).user
        row = page.locator(f"#personne-{claire.pk}")
        row.get_by_role("button", name="Présent·e").click()
        expect(row.get_by_role("button", name="Présent·e")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(page.locator("#compteur-atelier")).to_contain_text("présents 1 / inscrits 3")
        check_a11y(page, "inscriptions-10-workshop")
    local_day = session.starts_at.astimezone(PARIS).date()
    with scopes_disabled(), time_machine.travel(session.starts_at + timedelta(hours=5)):
        for half_day in ("am", "pm"):
            attendance.mark_all_present(
                session=session, acting_user=coordinator, day=local_day, half_day=half_day
            )
    with scopes_disabled(), time_machine.travel(session.ends_at + timedelta(hours=1)):
        attendance.validate_attendance_sheet(session=session, acting_user=coordinator)
        claire.set_password(PASSWORD)
        claire.save(update_fields=["password"])
        collectif = Team.objects.get(name="Collectif du Val")

    # The next day, Claire's attestation from her collectif's page.
    with time_machine.travel(session.starts_at + timedelta(days=1), tick=True):
        page.context.clear_cookies()
        log_in(page, claire.email)
        page.goto(reverse("parcours:team_detail", args=[slug, built.programme.pk, collectif.pk]))
        page.get_by_role("button", name="Obtenir mon attestation (PDF)").click()
        download_link = page.get_by_role("link", name=re.compile("Télécharger"))
        expect(download_link).to_be_visible(timeout=30_000)
        with page.expect_download() as download_info:
            download_link.click()
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"],
            input=download_info.value.path().read_bytes(),
            capture_output=True,
            check=True,
        )
    text = " ".join(result.stdout.decode("utf-8").split())
    assert "Collectif du Val" in text, text
    assert "Commune du Val" in text, text
    assert "Ateliers suivis : CoDir de territoire" in text, text
