"""Issue 18's confirmation pages, in Chromium with axe on each: deleting a phase (what
goes with it, a conscious choice made with the keyboard), a session, an agenda item, a
workshop, a document, and duplicating a session; a session put on a public holiday
warns."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from parcours.models import Phase, Session
from ressources.services import create_resource
from tests.factories import (
    AgendaItemFactory,
    MembershipFactory,
    PhaseFactory,
    SessionFactory,
    WorkshopFactory,
    build_programme,
)

from .conftest import check_a11y
from .test_coaching_journey import tab_to
from .test_engagement_journey import log_in

PARIS = ZoneInfo("Europe/Paris")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_confirmation_pages_say_what_goes_and_pass_axe(page: Page):
    with scopes_disabled():
        world = build_programme(published=False)
        coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
        phase = PhaseFactory(programme=world.programme, name="Phase de diagnostic")
        sessions = [
            SessionFactory(
                programme=world.programme,
                kind=world.kind,
                phase=phase,
                title=f"Atelier {n}",
                starts_at=at(2027, 4, 5 + n, 9, 30),
                ends_at=at(2027, 4, 5 + n, 12, 30),
            )
            for n in range(1, 4)
        ]
        session = sessions[0]
        item = AgendaItemFactory(session=session, workshops=True)
        workshop = WorkshopFactory(round=item)
        # The session's document: a resource of the library attached to it.
        document = create_resource(
            organisation=world.organisation,
            acting_user=coordinator,
            title="Programme",
            file=SimpleUploadedFile("programme.pdf", b"%PDF-1.4\n%%EOF\n"),
            session=session,
        )
    slug = world.organisation.slug
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, coordinator.email)

    pages = {
        "suppr-seance": reverse("parcours:session_delete", args=[slug, session.pk]),
        "dupliquer-seance": reverse("parcours:session_duplicate", args=[slug, session.pk]),
        "suppr-temps": reverse("parcours:agenda_item_delete", args=[slug, session.pk, item.pk]),
        "suppr-atelier": reverse("parcours:workshop_delete", args=[slug, session.pk, workshop.pk]),
        "suppr-document": reverse("ressources:resource_delete", args=[slug, document.pk]),
    }
    for name, path in pages.items():
        page.goto(path)
        check_a11y(page, f"deletion-{name}")
        if name == "suppr-seance":
            # The session's document goes with it, and the page says its file does too.
            expect(page.locator("main")).to_contain_text("1 ressource")
            expect(page.locator("main")).to_contain_text("sera effacé définitivement")

    # The phase: what goes with it, then the choice, made with the keyboard.
    page.goto(reverse("parcours:phase_delete", args=[slug, world.programme.pk, phase.pk]))
    expect(page.locator("main")).to_contain_text("Cette phase regroupe 3 séances")
    check_a11y(page, "deletion-phase")
    # A radio group: Tab reaches its first choice, the arrow keys move within it.
    tab_to(page, page.get_by_label("Les garder dans le programme, sans phase"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Les supprimer avec la phase")).to_be_checked()
    button = page.get_by_role("button", name="Supprimer la phase")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()
    with scopes_disabled():
        assert not Phase.objects.filter(pk=phase.pk).exists()
        assert not Session.objects.filter(pk__in=[s.pk for s in sessions]).exists()

    # A session on 14 July 2027 is saved with a warning.
    page.goto(reverse("parcours:session_create", args=[slug, world.programme.pk]))
    page.get_by_label("Titre").fill("Séminaire d'été")
    page.get_by_label("Type de séance").select_option(str(world.kind.pk))
    page.get_by_role("radio", name="Visio").check()
    page.get_by_label("Date de début").fill("2027-07-14")
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Heure de fin").fill("12:30")
    page.get_by_role("button", name="Créer la séance").click()
    expect(page.locator(".messages")).to_contain_text("Le 14 juillet 2027 est un jour férié")
    check_a11y(page, "deletion-ferie")
