"""The library's filters and result lines: the filters offer the organisation's sessions,
teams, themes and programmes as they are now (their choices are cached per organisation
and read again after every change), a team member is offered only their own team's, a
filter keeps the resources it names, an unknown choice is refused next to its field, and
a result line shows its kind, date, readers and tags."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from parcours.services.sessions import create_session
from parcours.services.teams import rename_team
from ressources import services
from tests.factories import SessionFactory
from tests.ressources.factories import library_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    built = library_world()
    with scope(organisation=built.organisation.pk):
        yield built


def library(client, world, user, **query) -> str:
    client.force_login(user)
    response = client.get(reverse("ressources:library", args=[world.organisation.slug]), query)
    assert response.status_code == 200
    return response.content.decode()


def options(page: str, name: str) -> list[str]:
    """The labels of the select ``name``, as a person reads them."""
    select = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    return [html.unescape(label) for label in re.findall(r"<option[^>]*>(.*?)</option>", select[1])]


def selected(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', page, re.S)
    return [
        html.unescape(label)
        for label in re.findall(r"<option[^>]*\bselected[^>]*>(.*?)</option>", select[1])
    ]


def test_a_session_created_renamed_team_and_tags_show_in_the_filters_at_once(client, world):
    page = library(client, world, world.coordinator)
    assert options(page, "session") == ["Toutes", "J1 — Diagnostic"]
    assert "Foncier" not in options(page, "theme")

    starts = timezone.now() + timedelta(days=20)
    create_session(
        programme=world.programme,
        acting_user=world.coordinator,
        title="Bilan collectif",
        kind=world.kind,
        format="visio",
        visio_url="https://visio.exemple.fr/bilan",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    rename_team(team=world.team, acting_user=world.coordinator, name="Les Cévennes")
    services.create_tag(
        organisation=world.organisation,
        acting_user=world.coordinator,
        category="theme",
        name="Foncier",
    )
    services.delete_tag(tag=world.work_stream, acting_user=world.coordinator)

    page = library(client, world, world.coordinator)
    assert options(page, "session") == ["Toutes", "Bilan collectif", "J1 — Diagnostic"]
    assert "Les Cévennes" in options(page, "team")
    assert options(page, "theme") == ["Tous", "Alimentation", "Foncier"]
    assert options(page, "work_stream") == ["Tous"]


def test_a_team_member_is_offered_only_their_team_and_its_sessions(client, world):
    SessionFactory(programme=world.programme, kind=world.kind, title="Préparation interne")
    SessionFactory(
        programme=world.programme, kind=world.kind, title="Réunion interne", audience="internal"
    )

    as_member = library(client, world, world.member)
    assert options(as_member, "team") == ["Toutes", world.team.name]
    assert options(as_member, "programme") == ["Tous", world.programme.name]
    assert "Préparation interne" in options(as_member, "session")
    assert "Réunion interne" not in options(as_member, "session")

    as_coordinator = library(client, world, world.coordinator)
    assert set(options(as_coordinator, "team")) == {
        "Toutes",
        world.team.name,
        world.other_team.name,
    }
    assert "Réunion interne" in options(as_coordinator, "session")


def test_a_filter_keeps_the_resources_it_names_and_refuses_an_unknown_choice(client, world):
    services.create_resource(
        organisation=world.organisation,
        acting_user=world.coordinator,
        title="Support de la J1",
        url="https://example.org/j1",
        session=world.session,
        programme=world.programme,
    )
    services.create_resource(
        organisation=world.organisation,
        acting_user=world.coordinator,
        title="Production de l'équipe",
        url="https://example.org/equipe",
        team=world.team,
        programme=world.programme,
    )
    page = html.unescape(library(client, world, world.coordinator, session=world.session.pk))
    assert "Support de la J1" in page and "Production de l'équipe" not in page
    assert selected(page, "session") == ["J1 — Diagnostic"]
    page = html.unescape(library(client, world, world.coordinator, team=world.team.pk))
    assert "Production de l'équipe" in page and "Support de la J1" not in page

    internal = SessionFactory(programme=world.programme, kind=world.kind, audience="internal")
    page = html.unescape(library(client, world, world.member, session=internal.pk))
    assert "Sélectionnez un choix valide" in page
    assert "Support de la J1" in page


def test_a_result_line_shows_its_kind_date_readers_and_tags(client, world):
    resource = services.create_resource(
        organisation=world.organisation,
        acting_user=world.coordinator,
        title="Grille d'entretien",
        url="https://example.org/grille",
        kind="tool",
        visibility="programme",
        programme=world.programme,
        date=timezone.localdate().replace(month=3, day=9),
        description="Une grille " + "très détaillée " * 30,
        tags=[world.theme, world.work_stream],
    )
    page = html.unescape(library(client, world, world.coordinator))
    detail = reverse("ressources:resource_detail", args=[world.organisation.slug, resource.pk])
    assert f'<a href="{detail}">Grille d\'entretien</a>' in page
    assert "Outil" in page
    assert f"9 mars {resource.date.year}" in page
    assert "Visible par le programme" in page
    assert "Chantier : Documentation & Indexation" in page
    assert "Thème : Alimentation" in page
    assert "Une grille très détaillée" in page and "…" in page
