"""The coordinator's « Rappels » page over the demo (issue 19: every page at or under 20
queries): every rule plans on it, and its query count does not grow with the teams,
their members and the sessions to come."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import User
from demo.common import HDF_PROGRAMME, HDF_SLUG
from parcours.models import Programme
from tests.factories import SessionFactory, TeamFactory, TeamMemberFactory, UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
COORDINATOR = "claire.dubois@hautsdefrance.example"


@pytest.fixture
def demo():
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=StringIO())
        yield


def test_the_reminders_page_of_the_demo_stays_within_20_queries(client, demo):
    client.force_login(User.objects.get(email=COORDINATOR))
    url = reverse("parcours:upcoming", args=[HDF_SLUG])
    with scopes_disabled():
        programme = Programme.objects.get(name=HDF_PROGRAMME)
        cohort = programme.cohorts.get()
        roles = list(programme.team_roles.order_by("order"))
        kind = programme.session_kinds.filter(is_individual=False).first()
    added = []

    def add_teams_and_sessions(count):
        # Each team's members are expected at every session of the cohort, asked to
        # answer its questionnaires and to sign the engagement: per row, the page would
        # grow.
        with scopes_disabled():
            for _index in range(count):
                team = TeamFactory(cohort=cohort)
                for role in roles:
                    TeamMemberFactory(team=team, role=role, user=UserFactory())
                number = len(added)
                added.append(
                    SessionFactory(
                        programme=programme,
                        kind=kind,
                        title=f"Séance ajoutée n°{number}",
                        starts_at=TODAY + timedelta(days=8, hours=number % 8),
                    )
                )

    assert_constant_queries(client, url, add_teams_and_sessions, sizes=(1, 4))

    html = client.get(url).content.decode()
    # The rows added are on the page: the sessions' reminders, their new members.
    assert "Séance ajoutée n°3" in html
    with scopes_disabled():
        newcomer = added[-1].programme.cohorts.get().teams.order_by("-pk").first()
        assert newcomer.members.first().user.email in html
