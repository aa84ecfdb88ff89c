"""Shared world and helpers of the manage tests: one module per group of behaviours."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from parcours.models import (
    Programme,
    Session,
)
from ressources.models import ResourceKind, Visibility
from ressources.services import create_resource
from tests.factories import (
    AgendaItemFactory,
    MembershipFactory,
    PhaseFactory,
    SessionFactory,
    WorkshopFactory,
    build_programme,
)

PARIS = ZoneInfo("Europe/Paris")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def messages_of(response) -> list[str]:
    """The messages a redirect carries to the next page (not rendered here: the next
    page belongs to the calendar views)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def paris(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def world():
    """A draft programme from 1 June 2026 to 30 June 2028 with two teams, its
    coordinator, a trainer, an observer and a team member."""
    with scopes_disabled():
        built = build_programme(
            published=False, start_date=date(2026, 6, 1), end_date=date(2028, 6, 30)
        )
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
        built.trainer = MembershipFactory(organisation=built.organisation, trainer=True).user
        built.observer = MembershipFactory(organisation=built.organisation, observer=True).user
        built.participant = built.teams[0].members.first().user
        built.session = SessionFactory(
            programme=built.programme,
            kind=built.kind,
            starts_at=paris(2027, 3, 10, 9, 30),
            ends_at=paris(2027, 3, 10, 12, 30),
        )
        built.phase = PhaseFactory(programme=built.programme)
        built.round = AgendaItemFactory(session=built.session, workshops=True)
        built.workshop = WorkshopFactory(round=built.round)
        # A document of the session: a resource of the library attached to it.
        built.document = create_resource(
            organisation=built.organisation,
            acting_user=built.coordinator,
            title="Programme",
            file=SimpleUploadedFile("programme.pdf", PDF),
            kind=ResourceKind.TRAINING,
            visibility=Visibility.PROGRAMME,
            session=built.session,
        )
    return built


@pytest.fixture
def coordinator_client(client, world):
    client.force_login(world.coordinator)
    return client


def url(name, world, **kwargs):
    return reverse(name, kwargs={"organisation_slug": world.organisation.slug, **kwargs})


def page_urls(world):
    """(url name, kwargs, GET allowed) for every coordinator tool."""
    p = {"programme_id": world.programme.pk}
    s = {"session_id": world.session.pk}
    return [
        ("parcours:programme_create", {}, True),
        ("parcours:programme_edit", p, True),
        ("parcours:programme_publish", p, False),
        ("parcours:programme_archive", p, False),
        ("parcours:programme_copy", p, True),
        ("parcours:phase_list", p, True),
        ("parcours:phase_edit", {**p, "phase_id": world.phase.pk}, True),
        ("parcours:phase_delete", {**p, "phase_id": world.phase.pk}, True),
        ("parcours:kind_list", p, True),
        ("parcours:kind_edit", {**p, "kind_id": world.kind.pk}, True),
        ("parcours:team_list", p, True),
        ("parcours:team_rename", {**p, "team_id": world.teams[0].pk}, True),
        ("parcours:role_list", p, True),
        ("parcours:role_preset", p, False),
        ("parcours:team_label", p, False),
        ("parcours:role_edit", {**p, "role_id": world.roles[0].pk}, True),
        ("parcours:role_move", {**p, "role_id": world.roles[0].pk}, False),
        ("parcours:role_delete", {**p, "role_id": world.roles[0].pk}, False),
        ("parcours:session_create", p, True),
        ("parcours:individual_sessions", p, True),
        ("parcours:session_edit", s, True),
        ("parcours:session_duplicate", s, True),
        ("parcours:session_cancel", s, True),
        ("parcours:session_delete", s, True),
        ("parcours:agenda_edit", s, True),
        ("parcours:agenda_item_edit", {**s, "item_id": world.round.pk}, True),
        ("parcours:agenda_item_delete", {**s, "item_id": world.round.pk}, True),
        ("parcours:workshop_add", {**s, "item_id": world.round.pk}, False),
        ("parcours:workshop_edit", {**s, "workshop_id": world.workshop.pk}, True),
        ("parcours:workshop_delete", {**s, "workshop_id": world.workshop.pk}, True),
    ]


def test_every_tool_opens_for_the_coordinator_with_one_h1_and_a_breadcrumb(
    coordinator_client, world
):
    for name, kwargs, get_allowed in page_urls(world):
        response = coordinator_client.get(url(name, world, **kwargs))
        if not get_allowed:
            assert response.status_code == 405, name
            continue
        assert response.status_code == 200, name
        html = response.content.decode()
        assert html.count("<h1") == 1, name
        assert 'class="breadcrumb"' in html, name
        assert ">Programmes</a>" in html, name


@pytest.mark.parametrize("who", ["trainer", "observer", "participant"])
def test_every_tool_is_a_404_for_others(client, world, who):
    with scopes_disabled():
        world.programme.status = Programme.Status.PUBLISHED
        world.programme.save(update_fields=["status"])
    client.force_login(getattr(world, who))
    for name, kwargs, _get in page_urls(world):
        target = url(name, world, **kwargs)
        assert client.get(target).status_code == 404, (who, name)
        assert client.post(target, {"name": "x"}).status_code == 404, (who, name)
    with scopes_disabled():
        world.programme.refresh_from_db()
        assert world.programme.status == Programme.Status.PUBLISHED
        assert Session.objects.count() == 1
