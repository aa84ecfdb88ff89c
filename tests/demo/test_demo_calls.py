"""``manage.py load_demo``: seed 000's call for applications — published on 3 June 2026,
closed on 11 June at midnight, decided and announced on 12 June; the eight teams come
from their applications."""

from datetime import date
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope

from candidatures.models import Application, ApplicationEvent, Call
from demo import calls as demo_calls
from demo import common as demo
from organisations.models import Organisation
from parcours.models import Team

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_call_its_twelve_applications_and_their_history():
    output = load()
    assert "12 candidatures (8 retenues, 1 brouillon, 1 retirée)" in output
    organisation = Organisation.objects.get(slug=demo.HDF_SLUG)
    with scope(organisation=organisation.pk):
        call = Call.objects.get(slug=demo_calls.CALL_SLUG)
        assert call.is_published and not call.is_open()
        assert call.opens_at.astimezone(PARIS).date() == date(2026, 6, 3)
        assert call.webinar.title == "Webinaire Q&R de l'AMI"
        applications = Application.objects.filter(call=call)
        decisions = sorted(applications.exclude(decision="").values_list("decision", flat=True))
        assert decisions.count("selected") == 8
        assert "waiting_list" in decisions and "not_selected" in decisions
        assert applications.filter(status="withdrawn").count() == 1
        # Every selected application became one of the programme's teams, with a project.
        teams = Team.objects.filter(cohort__programme=call.programme)
        assert teams.count() == 8
        assert set(teams.values_list("application__decision", flat=True)) == {"selected"}
        assert all(team.project_id for team in teams)
        # The first chargée de mission of the Pays de Laon applied, not her successor.
        laon = applications.get(team__name="Communauté d'agglomération du Pays de Laon")
        assert "romain.delattre@agglo-laon.example" not in set(
            laon.members.values_list("email", flat=True)
        )
        # Each state change is dated and signed.
        refused = applications.get(decision="not_selected")
        steps = list(
            ApplicationEvent.objects.filter(application=refused).values_list("to_status", flat=True)
        )
        assert steps == ["draft", "submitted", "under_review", "decided"]
        assert refused.decision_reasons
    # Loading again changes nothing.
    assert "12 candidatures" in load()
    with scope(organisation=organisation.pk):
        assert Application.objects.count() == 12


def test_the_public_page_of_the_closed_call(client):
    load()
    url = reverse(
        "candidatures:call_public",
        kwargs={"organisation_slug": demo.HDF_SLUG, "call_slug": demo_calls.CALL_SLUG},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "Gouvernance des PAT" in response.content.decode()
