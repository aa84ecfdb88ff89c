"""The attendance sheet of an open-registration seminar (seed 001): registrants grouped
by collectif with their structure and fonction, the individuals last, the search box
(server side without JavaScript), the « présents N / inscrits M » counter, the rates by
collectif, and a number of queries that does not grow with the registrants."""

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope

from presences import services
from presences.grid import attendance_grid
from presences.models import Attendance
from presences.stats import team_rates
from tests.factories import MembershipFactory, OrganisationFactory
from tests.presences.collectifs import add_people, build_seminar, paris
from tests.querycount import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db
J1 = paris(2026, 12, 10).date()


@pytest.fixture
def world():
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        organisation = OrganisationFactory(slug="cnfpt")
        trainer = MembershipFactory(organisation=organisation, trainer=True).user
        with scope(organisation=organisation.pk):
            world = build_seminar(organisation, trainer=trainer)
        world.coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        yield world


@pytest.fixture
def scoped(world):
    with scope(organisation=world.organisation.pk):
        yield world


def _url(world, name="attendance", *args):
    return reverse(f"presences:{name}", args=[world.organisation.slug, world.session.pk, *args])


def _record(world, user, status="present", half_day="am"):
    with scope(organisation=world.organisation.pk):
        services.record_attendance(
            session=world.session,
            acting_user=world.trainer,
            user=user,
            day=J1,
            half_day=half_day,
            status=status,
        )


def test_registrants_are_grouped_by_collectif(scoped):
    grid = attendance_grid(scoped.session, scoped.organisation)
    assert [block.title for block in grid.blocks] == [
        "Collectif d'Amiens",
        "Collectif du Vimeu",
        "Inscrit·es individuel·les",
    ]
    vimeu = grid.blocks[1]
    assert [row.name for row in vimeu.people] == ["Bruno Caron", "Alice Vasseur"]
    alice = grid.row_for(scoped.alice.pk)
    assert alice.team == scoped.collectifs.vimeu
    assert alice.role == scoped.roles.dgs
    assert alice.structure == "Mairie de Friville-Escarbotin"
    assert alice.function == "DGS"
    denis = grid.row_for(scoped.denis.pk)
    assert denis.team is None and denis.role is None
    assert (denis.structure, denis.function) == (
        "Département de la Somme",
        "Directeur de l'action sociale",
    )


def test_only_individuals_keep_the_plain_title(scoped):
    for user in (scoped.alice, scoped.bruno, scoped.chloe):
        user.team_memberships.all().delete()
    grid = attendance_grid(scoped.session, scoped.organisation)
    assert [block.title for block in grid.blocks] == ["Personnes inscrites"]
    assert len(grid.rows) == 5


def test_a_collectif_of_another_programme_is_not_shown(scoped):
    from tests.factories import TeamFactory, TeamMemberFactory

    elsewhere = TeamFactory(organisation=scoped.organisation, name="Autre collectif")
    TeamMemberFactory(team=elsewhere, user=scoped.denis)
    grid = attendance_grid(scoped.session, scoped.organisation)
    assert grid.row_for(scoped.denis.pk).team is None


def test_sheet_page_shows_collectifs_structures_and_counter(client, world):
    client.force_login(world.trainer)
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        body = client.get(_url(world)).content.decode()
        assert "Collectif du Vimeu" in body
        assert "Inscrit·es individuel·les" in body
        assert "Mairie de Friville-Escarbotin" in body
        assert "Directeur de l&#x27;action sociale" in body
        assert "présents 0 / inscrits 5" in body
        assert 'role="search"' in body
        assert 'for="recherche-personne"' in body
        assert 'aria-live="polite"' in body
        assert "js/sheet-search.js" in body
        assert "Sans équipe" not in body
        _record(world, world.alice)
        _record(world, world.denis, "partial")
        _record(world, world.emma, "absent")
        body = client.get(_url(world)).content.decode()
        assert "présents 2 / inscrits 5" in body


def test_afternoon_counts_the_whole_day(client, world):
    client.force_login(world.trainer)
    _record(world, world.alice)
    with time_machine.travel(paris(2026, 12, 10, 15), tick=False):
        _record(world, world.bruno, half_day="pm")
        body = client.get(_url(world) + f"?demi={J1.isoformat()}-pm").content.decode()
    assert "présents 2 / inscrits 5" in body


def test_htmx_click_updates_the_counter_out_of_band(client, world):
    client.force_login(world.trainer)
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        response = client.post(
            _url(world, "attendance_record"),
            {"user": world.chloe.pk, "day": J1.isoformat(), "half_day": "am", "status": "present"},
            headers={"HX-Request": "true"},
        )
    body = response.content.decode()
    assert 'id="compteur-presences"' in body and 'hx-swap-oob="true"' in body
    assert "présents 1 / inscrits 5" in body


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("vimeu", ["Alice Vasseur", "Bruno Caron"]),
        ("CCAS", ["Bruno Caron"]),
        ("helene", ["Denis Hélène"]),
        ("amiens dga", ["Chloé Dupont"]),
    ],
)
def test_search_without_javascript_hides_the_others(client, world, query, shown):
    client.force_login(world.trainer)
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        response = client.get(_url(world), {"q": query})
    grid = response.context["grid"]
    assert sorted(row.name for row in grid.rows if not row.hidden) == shown
    body = response.content.decode()
    count = len(shown)
    assert f"{count} personne{'s' if count > 1 else ''} affichée" in body
    # Every row is still there (the script shows them again), the others hidden.
    assert body.count('class="attendance-person"') == 5
    assert body.count(" hidden>") >= 5 - count


def test_search_with_no_match_says_so(client, world):
    client.force_login(world.trainer)
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        body = client.get(_url(world), {"q": "introuvable"}).content.decode()
    assert "Personne ne correspond à « introuvable »." in body


def test_no_js_click_keeps_the_search(client, world):
    client.force_login(world.trainer)
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        response = client.post(
            _url(world, "attendance_record"),
            {
                "user": world.bruno.pk,
                "day": J1.isoformat(),
                "half_day": "am",
                "status": "present",
                "demi": f"{J1.isoformat()}-am",
                "q": "ccas",
            },
        )
    assert response.status_code == 302
    assert "q=ccas" in response["Location"]


def test_recorded_rows_keep_the_collectif_and_rates_name_it(world):
    _record(world, world.alice)
    _record(world, world.chloe, "absent")
    _record(world, world.denis)
    with scope(organisation=world.organisation.pk):
        alice = Attendance.objects.get(user=world.alice)
        assert (alice.team, alice.role) == (world.collectifs.vimeu, world.roles.dgs)
        rates = {group.label: group.counts for group in team_rates(world.programme)}
    assert rates["Collectif du Vimeu"].present == 1
    assert rates["Collectif d'Amiens"].absent == 1
    assert rates[""].present == 1  # the individual, without collectif


def test_sheet_links_to_workshop_attendance(client, world):
    client.force_login(world.trainer)
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        body = client.get(_url(world)).content.decode()
    assert _url(world, "workshop_list") in body
    assert "Présences par atelier" in body


def test_sheet_queries_do_not_grow_with_registrants(client, world):
    client.force_login(world.trainer)
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):

        def add_rows(count):
            with scope(organisation=world.organisation.pk):
                add_people(world, count)

        assert_constant_queries(client, _url(world), add_rows, sizes=(10, 200))


def test_sheet_with_search_queries_are_bounded(client, world):
    client.force_login(world.trainer)
    with time_machine.travel(paris(2026, 12, 10, 10), tick=False):
        with scope(organisation=world.organisation.pk):
            add_people(world, 10)
        client.get(_url(world) + "?q=vimeu")
        few, _sql = count_queries(client, _url(world) + "?q=vimeu")
        with scope(organisation=world.organisation.pk):
            add_people(world, 190)
        many, _sql = count_queries(client, _url(world) + "?q=vimeu")
    assert few == many
