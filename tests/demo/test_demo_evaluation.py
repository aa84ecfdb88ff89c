"""The evaluation demo: T0 and T1 self-diagnostics of seed 000's teams, the coach's
view beside T1, anonymous « à chaud » satisfaction of two past sessions, an automatic
rule for trainings; loaded twice without duplicates."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from demo.common import HDF_PROGRAMME
from demo.evaluation import COACH_TITLE, T0_TITLE, T1_TITLE
from evaluation import selectors
from evaluation.models import (
    Answer,
    AutomaticCampaign,
    Campaign,
    Participation,
    Questionnaire,
    Response,
)
from organisations.models import AuditEntry
from parcours.models import Programme, Team

pytestmark = pytest.mark.django_db

TODAY = "2026-11-24 10:00:00+01:00"


def counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (
                Questionnaire,
                Campaign,
                Response,
                Answer,
                Participation,
                AutomaticCampaign,
                AuditEntry,
            )
        }


@pytest.fixture
def loaded():
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=StringIO())
        first = counts()
        call_command("load_demo", stdout=StringIO())
    return first


def test_load_twice_changes_nothing(loaded):
    assert counts() == loaded
    assert loaded["Campaign"] >= 5


def test_every_team_has_t0_and_most_have_t1_higher(loaded):
    with scopes_disabled():
        programme = Programme.objects.get(name=HDF_PROGRAMME)
    with scope(organisation=programme.organisation_id):
        teams = list(Team.objects.filter(cohort__programme=programme))
        t0 = Campaign.objects.get(programme=programme, title=T0_TITLE)
        t1 = Campaign.objects.get(programme=programme, title=T1_TITLE)
        assert t0.state == "closed" and t1.state == "open"
        assert t0.version_id and t0.version == t1.version

        def levels(campaign):
            rows = Answer.objects.filter(
                response__campaign=campaign,
                response__status=Response.Status.SUBMITTED,
                criterion__isnull=False,
            ).values_list("response__team_id", "number")
            totals: dict[int, float] = {}
            for team_id, number in rows:
                totals[team_id] = totals.get(team_id, 0) + number
            return totals

        before, after = levels(t0), levels(t1)
        assert set(before) == {team.pk for team in teams}
        assert 5 <= len(after) < len(teams)
        assert all(after[team] > before[team] for team in after)
        pending = selectors.non_respondents(t1)
        assert 1 <= len(pending["teams"]) <= 2
        coach = Campaign.objects.get(programme=programme, title=COACH_TITLE)
        assert coach.paired_with == t1 and coach.mode == Campaign.Mode.ASSESS_TEAM
        assert [u.email for u in coach.assessors.all()] == [
            "marc.lefebvre@conseil-territoires.example"
        ]
        assert coach.responses.filter(status=Response.Status.SUBMITTED).count() == 3


def test_hot_campaigns_are_anonymous_with_a_realistic_satisfaction(loaded):
    with scopes_disabled():
        programme = Programme.objects.get(name=HDF_PROGRAMME)
    with scope(organisation=programme.organisation_id):
        hot = list(Campaign.objects.filter(programme=programme, moment="hot", anonymous=True))
        # The J1/J2 training's automatic one opens at its end (10 December): not answered.
        automatic = [campaign for campaign in hot if campaign.automatic_rule_id]
        assert [campaign.session.title[:15] for campaign in automatic] == ["Formation J1/J2"]
        hot = [campaign for campaign in hot if not campaign.automatic_rule_id]
        assert len(hot) >= 2
        for campaign in hot:
            responses = campaign.responses.filter(status=Response.Status.SUBMITTED)
            assert 15 <= responses.count() <= 25
            assert not responses.filter(respondent__isnull=False).exists()
            assert (
                Participation.objects.filter(campaign=campaign, submitted_at__isnull=False).count()
                == responses.count()
            )
            overall = list(
                Answer.objects.filter(
                    response__campaign=campaign, question__satisfaction=True
                ).values_list("number", flat=True)
            )
            rate = sum(1 for value in overall if value >= 3) / len(overall)
            assert 0.7 <= rate <= 0.95
        assert AutomaticCampaign.objects.filter(
            programme=programme, session_kind__name="Formation"
        ).exists()


def test_the_coordinator_sees_the_demo_campaigns(loaded, client):
    from django.urls import reverse

    from accounts.models import User

    with scopes_disabled():
        programme = Programme.objects.get(name=HDF_PROGRAMME)
        t1 = Campaign.objects.get(programme=programme, title=T1_TITLE)
        client.force_login(User.objects.get(email="claire.dubois@hautsdefrance.example"))
    slug = programme.organisation.slug
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("evaluation:campaign_list", args=[slug, programme.pk]))
        detail = client.get(reverse("evaluation:campaign_detail", args=[slug, t1.pk]))
    assert page.status_code == 200 and detail.status_code == 200
    html = page.content.decode()
    assert T0_TITLE in html and "8 sur 8" in html and "6 sur 8" in html
    assert COACH_TITLE.replace("'", "&#x27;") in detail.content.decode()
