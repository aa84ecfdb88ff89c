"""Asking for a PDF synthesis: the « Générer le PDF » page (coordinators, trainers,
observers; 404 for a team member and another organisation), a team's journey report
(its members and the staff, never another team: 404), French errors next to fields, and
the named step on the document's page."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from documents.describe import progress_text
from documents.models import Document
from tests.documents.test_synthesis_dashboard import person
from tests.documents.test_synthesis_figures import members, synthesis_world
from tests.factories import build_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    built = synthesis_world()
    with scope(organisation=built.organisation.pk):
        yield built


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """The build is not run here (test_synthesis_pdf builds them)."""
    monkeypatch.setattr("documents.queue.send", lambda *args: True)


def request_url(world):
    return reverse(
        "documents:synthesis_request", args=[world.organisation.slug, world.programme.pk]
    )


def report_url(world, team):
    return reverse(
        "documents:team_report_request",
        args=[world.organisation.slug, world.programme.pk, team.pk],
    )


@pytest.mark.parametrize(
    "who, status",
    [("coordinator", 200), ("trainer", 200), ("observer", 200), ("member", 404), ("other", 404)],
)
def test_who_may_ask_for_a_pdf(client, world, who, status):
    client.force_login(person(world, who))
    assert client.get(request_url(world)).status_code == status


def test_the_coordinator_asks_for_the_synthesis_with_a_foreword_and_a_period(client, world):
    client.force_login(world.coordinator)
    team = world.teams[1]
    response = client.post(
        request_url(world),
        {
            "document": "programme_synthesis",
            "avant_propos": "Pour le comité de pilotage.",
            "periode": "dates",
            "du": world.programme.start_date.isoformat(),
            "au": world.programme.end_date.isoformat(),
            "equipes": [team.pk],
        },
    )
    document = Document.objects.get(kind=Document.Kind.PROGRAMME_SYNTHESIS)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/documents/{document.pk}/")
    assert document.foreword == "Pour le comité de pilotage."
    assert document.scope["teams"] == [team.pk]
    assert document.scope["starts_on"] == world.programme.start_date.isoformat()
    assert document.requested_by == world.coordinator


def test_a_team_report_needs_its_team_said_in_french(client, world):
    client.force_login(world.coordinator)
    response = client.post(request_url(world), {"document": "team_report", "periode": "programme"})
    assert response.status_code == 200
    assert "Choisissez l’équipe du rapport de parcours." in response.content.decode()
    assert not Document.objects.exists()


def test_the_dashboard_offers_the_pdf(client, world):
    client.force_login(world.coordinator)
    page = client.get(
        reverse("documents:synthesis", args=[world.organisation.slug, world.programme.pk])
    )
    assert "Générer le PDF" in page.content.decode()


@pytest.mark.parametrize("who, status", [("own", 302), ("other_team", 404), ("observer", 302)])
def test_a_team_report_is_for_its_team_and_the_staff_never_another_team(client, world, who, status):
    team = world.teams[0]
    if who == "own":
        user = members(team)[0].user
    elif who == "other_team":
        user = members(world.teams[1])[0].user
    else:
        user = world.observer
    client.force_login(user)
    response = client.post(report_url(world, team))
    assert response.status_code == status
    assert Document.objects.filter(team=team).exists() == (status == 302)


def test_a_team_report_of_another_organisation_is_404(client, world):
    with scopes_disabled():
        other = build_programme(teams=1)
    client.force_login(world.coordinator)
    response = client.post(
        reverse(
            "documents:team_report_request",
            args=[world.organisation.slug, world.programme.pk, other.teams[0].pk],
        )
    )
    assert response.status_code == 404


def test_the_progress_names_its_step(world):
    document = Document(
        kind=Document.Kind.PROGRAMME_SYNTHESIS,
        status=Document.Status.BUILDING,
        steps_done=1,
        steps_total=7,
        step="Présences",
    )
    assert progress_text(document) == "Présences (1 sur 7 étapes)"


def test_the_team_page_offers_its_report_to_its_members(client, world):
    team = world.teams[0]
    client.force_login(members(team)[0].user)
    page = client.get(
        reverse("parcours:team_detail", args=[world.organisation.slug, world.programme.pk, team.pk])
    )
    assert page.status_code == 200
    assert "Rapport de parcours (PDF)" in page.content.decode()


def test_the_request_page_starts_from_the_dashboards_filter(client, world):
    client.force_login(world.coordinator)
    team = world.teams[1]
    page = client.get(request_url(world) + f"?periode=programme&equipes={team.pk}")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["equipes"] == [team.pk]
    assert form.initial["document"] == "programme_synthesis"
