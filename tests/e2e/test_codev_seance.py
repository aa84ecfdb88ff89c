"""A CODEV séance on a 390 px phone, with axe on each page: the client prepares its
case (keyboard only, a refusal next to the field, a document joined), records its
commitments, corrects one (a refusal next to the field, then saved) and removes
another, and a consultant reads it all on the séance page. The facilitator's six steps
on a tablet are in ``test_codev_journey``."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from codev.models import Case, Commitment, Group, GroupKind
from codev.services import groups, sessions
from tests.factories import MembershipFactory, build_programme

from .conftest import check_a11y
from .test_engagement_journey import log_in

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}


def make_seance():
    with scopes_disabled():
        world = build_programme(teams=4, members_per_team=2)
        coordinator = MembershipFactory(organisation=world.organisation, role="coordinator").user
        trainer = MembershipFactory(organisation=world.organisation, role="trainer").user
        trainer.first_name, trainer.last_name = "Fanny", "Formatrice"
        trainer.save()
    with scope(organisation=world.organisation.pk):
        group = groups.save_group(
            group=Group(programme=world.programme, name="CODEV Nord", kind=GroupKind.CODEV),
            acting_user=coordinator,
            facilitators=[trainer],
        )
        groups.set_members(group=group, teams=world.teams, acting_user=coordinator)
        starts = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
        (seance,) = sessions.create_series(
            groups=[group],
            acting_user=coordinator,
            title="CODEV visio n° 1",
            kind=world.kind,
            format="visio",
            visio_url="https://visio.exemple.fr/codev",
            starts_at=starts + timedelta(days=2),
            ends_at=starts + timedelta(days=2, hours=3),
        )
        sessions.set_roles(
            group_session=seance,
            client=group.memberships.get(team=world.teams[0]),
            facilitator=trainer,
            acting_user=coordinator,
        )
        client_people = [m.user for m in world.teams[0].members.select_related("user")]
    return world, seance, trainer, client_people


def type_into(page: Page, label: str, text: str) -> None:
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(text)


def test_a_client_prepares_its_case_and_keeps_its_commitments_on_a_phone(
    page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world, seance, _trainer, (client, colleague) = make_seance()
    slug = world.organisation.slug
    seance_url = reverse("codev:seance", args=[slug, seance.pk])

    # Before: the client prepares its case on a phone, with the keyboard only.
    page.set_viewport_size(PHONE)
    log_in(page, client.email)
    page.goto(seance_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("CODEV visio n° 1")
    check_a11y(page, "codev-seance-telephone")
    page.get_by_role("link", name="Préparer notre cas").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Préparer notre cas")
    check_a11y(page, "codev-cas-telephone")
    type_into(page, "Titre du cas", "Mobiliser les élu·es")
    page.get_by_role("button", name="Enregistrer notre cas").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Formulez la question que vous posez au groupe.")
    check_a11y(page, "codev-cas-erreur-telephone")
    type_into(page, "La question que vous posez au groupe", "Comment associer les élu·es ?")
    type_into(page, "Le contexte", "Deux réunions désertées.")
    type_into(page, "Ce que vous avez déjà essayé", "Un courrier du président.")
    note = tmp_path / "note.pdf"
    note.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    page.get_by_label("Joindre un document (facultatif)").set_input_files(str(note))
    type_into(page, "Titre du document", "Note de cadrage")
    page.get_by_role("button", name="Enregistrer notre cas").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Votre cas est enregistré.")
    expect(page.locator("main")).to_contain_text("Note de cadrage")
    with scopes_disabled():
        assert Case.objects.get(group_session=seance).title == "Mobiliser les élu·es"
    page.context.clear_cookies()

    # After: the client records its commitments on the phone, corrects one, removes one.
    log_in(page, colleague.email)
    page.goto(seance_url)
    page.get_by_role("link", name="Nos engagements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nos engagements")
    type_into(page, "Engagement", "Écrire aux maires")
    page.get_by_role("button", name="Enregistrer l’engagement").click()
    expect(page.locator("main")).to_contain_text("Choisissez qui porte cet engagement.")
    check_a11y(page, "codev-engagements-erreur-telephone")
    owner = client.get_full_name() or client.email
    due = timezone.localdate() + timedelta(days=30)
    for what in ("Appeler la DDT", "Rédiger une note"):
        page.get_by_label("Engagement", exact=True).fill(what)
        page.get_by_label("Qui le porte").select_option(label=owner)
        page.get_by_label("Pour le").fill(due.isoformat())
        page.get_by_role("button", name="Enregistrer l’engagement").click()
        expect(page.locator("main")).to_contain_text("Engagement enregistré.")
    check_a11y(page, "codev-engagements-telephone")
    page.get_by_role("link", name="Modifier — Appeler la DDT").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier l’engagement")
    expect(page.get_by_label("Engagement", exact=True)).to_have_value("Appeler la DDT")
    page.get_by_label("Pour le").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("main")).to_contain_text("L'échéance ne peut pas précéder la séance")
    check_a11y(page, "codev-engagement-modifier-erreur-telephone")
    page.get_by_label("Pour le").fill((due + timedelta(days=15)).isoformat())
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator("main")).to_contain_text("Engagement modifié.")
    page.get_by_role("button", name="Supprimer — Rédiger une note").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Engagement « Rédiger une note » supprimé.")
    check_a11y(page, "codev-engagement-supprime-telephone")
    with scopes_disabled():
        (commitment,) = Commitment.objects.filter(case__group_session=seance)
        assert (commitment.what, commitment.owner) == ("Appeler la DDT", client)
        assert commitment.due_on == due + timedelta(days=15)
    page.goto(seance_url)
    expect(page.locator("main")).to_contain_text("Appeler la DDT")
    check_a11y(page, "codev-seance-apres-telephone")
    page.context.clear_cookies()

    # A consultant reads the whole séance on a desktop.
    page.set_viewport_size({"width": 1280, "height": 900})
    with scopes_disabled():
        reader = world.teams[2].members.select_related("user").first().user
    log_in(page, reader.email)
    page.goto(seance_url)
    expect(page.locator("main")).to_contain_text("Un courrier du président.")
    expect(page.locator("main")).to_contain_text("Appeler la DDT")
    expect(page.get_by_role("link", name="Préparer notre cas")).to_have_count(0)
    check_a11y(page, "codev-seance-consultant")
