"""A signed-in member on the seminar's own page, in Chromium: the « Inscription » panel
offers the event's registration (never « Je m'inscris »); registered through it, the
panel names their workshops and the link to their registration. Axe on both."""

from django.urls import reverse
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect

from inscriptions import services
from tests.factories import TeamMemberFactory

from .conftest import check_a11y
from .test_engagement_journey import log_in
from .test_inscriptions_journey import DESKTOP, build_world


def test_a_member_registers_from_the_session_page_through_the_event(page: Page):
    built, session, event, first, second, full, _coordinator = build_world()
    with scopes_disabled():
        member = TeamMemberFactory(team__cohort=built.cohort).user
    page.set_viewport_size(DESKTOP)
    log_in(page, member.email)
    page.goto(reverse("parcours:session_detail", args=[built.organisation.slug, session.pk]))
    panel = page.locator("#inscription")
    expect(panel).to_contain_text("Inscription en ligne jusqu'au")
    expect(panel.get_by_role("link", name="M'inscrire")).to_be_visible()
    expect(page.get_by_role("button", name="Je m'inscris")).to_have_count(0)
    check_a11y(page, "inscriptions-11-session-page")

    with scope(organisation=built.organisation.pk):
        (registrant,) = services.register(
            event=event,
            people=[
                services.Person(
                    first_name=member.first_name or "Prénom",
                    last_name=member.last_name or "Nom",
                    email=member.email,
                    structure="Commune du Val",
                    function="DGS",
                    workshops={first.pk: full, second.pk: second.workshops.first()},
                )
            ],
        )
        services.confirm(registrant=registrant, notify=False)
    page.reload()
    expect(panel).to_contain_text("Vous êtes inscrit·e.")
    expect(panel).to_contain_text("CoDir de territoire")
    expect(panel.get_by_role("link", name="Voir ou modifier mon inscription")).to_be_visible()
    check_a11y(page, "inscriptions-12-session-page-registered")
