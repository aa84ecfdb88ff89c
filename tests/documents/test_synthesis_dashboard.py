"""The live synthesis of a programme: who reads it (coordinators, trainers, observers;
404 for a team member and another organisation), its sections with their charts and
data tables, the filter by period and teams, the CSV/XLSX export of each table
(formulas escaped), the « Synthèse » tab, and a number of queries that does not grow
with the number of teams."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from codev.models import Group
from codev.services import groups as group_services
from parcours import services as parcours_services
from parcours.models import Team
from tests.documents.test_synthesis_figures import (
    _at,
    add_teams,
    members,
    record,
    respond,
    synthesis_world,
)
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    PhaseFactory,
    SessionFactory,
    build_programme,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    built = synthesis_world()
    with scope(organisation=built.organisation.pk):
        yield built


def url(world, name="synthesis"):
    return reverse(f"documents:{name}", args=[world.organisation.slug, world.programme.pk])


def page(client, address) -> str:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def person(world, who: str):
    """The world's coordinator, trainer or observer; a member of its first team; or
    « other », a coordinator of another organisation."""
    if who == "member":
        return members(world.teams[0])[0].user
    if who == "other":
        with scopes_disabled():
            other = build_programme(teams=1).organisation
            return MembershipFactory(organisation=other, role="coordinator").user
    return getattr(world, who)


@pytest.mark.parametrize(
    "who, status",
    [("coordinator", 200), ("trainer", 200), ("observer", 200), ("member", 404), ("other", 404)],
)
def test_who_reads_the_synthesis(client, world, who, status):
    client.force_login(person(world, who))
    assert client.get(url(world)).status_code == status
    export = client.get(url(world, "synthesis_export") + "?table=presences_equipes&format=csv")
    assert export.status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(url(world))
    assert response.status_code == 302
    assert "connexion" in response["Location"] or "login" in response["Location"]


def test_the_observer_reads_every_section_with_charts_and_tables(client, world):
    client.force_login(world.observer)
    text = page(client, url(world))
    for heading in (
        "Calendrier tenu et calendrier prévu",
        "Présences",
        "Satisfaction",
        "Progression des équipes",
        "Plans d’action",
        "CODEV",
    ):
        assert f">{heading}</h3>" in text
    assert "Synthèse" in text  # the tab
    assert "Tout le programme" in text
    assert "Séminaire de lancement" in text
    assert "75\u00a0% (n = 4)" in text
    assert "Moyenne de la promotion à T1" in text
    assert "CODEV Nord" in text
    assert text.count("<svg") >= 6
    assert "Réunion interne" not in text
    assert "table=presences_seances&amp;format=csv" in text


def test_the_synthesis_tab_is_for_readers_only(client, world):
    client.force_login(world.coordinator)
    timeline = reverse("parcours:timeline", args=[world.organisation.slug, world.programme.pk])
    assert url(world) in page(client, timeline)
    client.force_login(members(world.teams[0])[0].user)
    assert url(world) not in page(client, timeline)


def test_filtering_a_period_and_a_team(client, world):
    client.force_login(world.coordinator)
    team_c = world.teams[2]
    today = timezone.localdate()
    text = page(
        client,
        url(world) + f"?periode=dates&du={(today - timedelta(days=7)).isoformat()}"
        f"&au={today.isoformat()}&equipes={team_c.pk}",
    )
    assert f"Équipes : {team_c.name}" in text
    assert "Aucune séance relevée sur la période." in text
    assert "Aucune action inscrite dans les plans des équipes." in text


def test_a_period_ending_before_it_starts_is_refused_in_french(client, world):
    client.force_login(world.coordinator)
    text = page(client, url(world) + "?periode=dates&du=2026-06-10&au=2026-06-01")
    assert "La fin de la période ne peut pas précéder son début." in text
    assert "Tout le programme" in text  # the figures of the whole programme meanwhile
    text = page(client, url(world) + "?periode=dates")
    assert "Indiquez le premier jour de la période." in text


def test_the_observer_never_reads_one_teams_progression_nor_roles(client, world):
    client.force_login(world.observer)
    text = page(client, url(world) + f"?equipes={world.teams[1].pk}")
    assert "Moyenne des équipes choisies" not in text
    assert "Moyennes de toute la promotion." in text
    assert "La répartition par rôle n’est donnée que pour deux équipes ou plus." in text
    client.force_login(world.coordinator)
    text = page(client, url(world) + f"?equipes={world.teams[1].pk}")
    assert "Moyenne des équipes choisies à T0" in text


def test_the_export_of_a_table_with_the_filter_and_formulas_escaped(client, world):
    Team.objects.filter(pk=world.teams[0].pk).update(name="=HYPERLINK(1)")
    client.force_login(world.trainer)
    response = client.get(url(world, "synthesis_export") + "?table=presences_equipes&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Équipe" and rows[0][-1] == "Taux de présence"
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][-1] == "100.0"
    assert rows[-1][0] == "Total"
    filtered = client.get(
        url(world, "synthesis_export")
        + f"?table=presences_equipes&format=csv&equipes={world.teams[1].pk}"
    )
    rows = list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [world.teams[1].name, "Total"]
    xlsx = client.get(url(world, "synthesis_export") + "?table=calendrier&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.parametrize("query", ["?table=inconnue&format=csv", "?table=plans&format=pdf"])
def test_an_unknown_table_or_format_answers_404(client, world, query):
    client.force_login(world.coordinator)
    assert client.get(url(world, "synthesis_export") + query).status_code == 404


def grow(world):
    """``add_rows(n)`` for ``assert_constant_queries``: n more teams, each with a
    session held and recorded, moved after publication, evaluated à chaud (one answer),
    and a CODEV group of its own — what makes every section of the page longer."""

    def add_rows(count: int) -> None:
        for index in range(count):
            add_teams(world, 1)
            team = Team.objects.filter(cohort=world.cohort).latest("pk")
            session = SessionFactory(
                programme=world.programme,
                kind=world.kind,
                title=f"Journée {team.pk}",
                starts_at=_at(-10 - index),
            )
            parcours_services.update_session(
                session=session,
                acting_user=world.coordinator,
                starts_at=_at(-12 - index),
                ends_at=_at(-12 - index, 12),
            )
            session.refresh_from_db()
            record(session, team, ["present", "absent"])
            campaign = CampaignFactory(
                programme=world.programme,
                version=world.satisfaction.version,
                hot=True,
                session=session,
            )
            respond(campaign, {world.satisfaction.scale: 4}, respondent=members(team)[0].user)
            group = group_services.save_group(
                group=Group(programme=world.programme, name=f"Groupe {team.pk}"),
                acting_user=world.coordinator,
            )
            group_services.set_members(
                group=group, teams=[team], people=[], acting_user=world.coordinator
            )

    return add_rows


@pytest.mark.parametrize("who", ["coordinator", "trainer", "observer"])
@pytest.mark.parametrize("chosen", [False, True], ids=["every-team", "two-teams"])
def test_the_dashboard_stays_within_twenty_queries_however_many_teams_and_sessions(
    client, world, who, chosen
):
    client.force_login(getattr(world, who))
    address = url(world)
    if chosen:
        address += "?" + "&".join(f"equipes={team.pk}" for team in world.teams[:2])
    assert_constant_queries(client, address, grow(world), sizes=(1, 4))
    text = page(client, address)
    assert "Journée " in text and "Groupe " in text


def test_a_phase_chosen_in_the_form_and_a_foreign_team_refused(client, world):
    phase = PhaseFactory(
        programme=world.programme,
        name="Diagnostic",
        start_month=None,
        end_month=None,
        start_date=timezone.localdate() - timedelta(days=6),
        end_date=timezone.localdate() - timedelta(days=4),
    )
    client.force_login(world.coordinator)
    text = page(client, url(world) + f"?periode={phase.pk}")
    assert "Phase « Diagnostic »" in text
    assert "Atelier diagnostic" in text and "Séminaire de lancement" not in text
    with scopes_disabled():
        foreign = build_programme(teams=1).teams[0]
    text = page(client, url(world) + f"?equipes={foreign.pk}")
    assert foreign.name not in text
    assert "Équipes : Toutes les équipes" in text
