"""The plans demo: seed 000's fiches d'intention (submitted, one validated with a
comment), three plans d'action in every state with one action late and updates over
the months before the day of the load, the « Suivi des plans d'action » séance marked;
loaded twice without duplicates, e-mailing nobody."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_scopes import scopes_disabled

from demo.common import HDF_PROGRAMME
from notifications.models import OutboxMessage
from parcours.models import Programme
from plans.models import (
    Action,
    ActionPlan,
    ActionUpdate,
    FollowUpSession,
    StageComment,
    StageVersion,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)


def counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (ActionPlan, StageVersion, StageComment, Action, ActionUpdate)
        }


@pytest.fixture
def loaded():
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=StringIO())
        first = counts()
        call_command("load_demo", stdout=StringIO())
    return first


def test_load_twice_changes_nothing_and_e_mails_nobody(loaded):
    assert counts() == loaded
    with scopes_disabled():
        assert not OutboxMessage.objects.filter(kind__startswith="plans.").exists()


def test_the_fiches_d_intention(loaded):
    with scopes_disabled():
        programme = Programme.objects.get(name=HDF_PROGRAMME)
        versions = StageVersion.objects.filter(plan__programme=programme, stage="intention")
        assert versions.filter(number=0).count() == 5
        assert versions.filter(number__gt=0).count() == 4
        validated = versions.get(status="validated")
        assert validated.reviewed_by is not None
        assert StageComment.objects.filter(version=validated).exists()
        assert versions.filter(status="changes").count() == 1
        assert versions.filter(status="submitted").count() == 2


def test_three_plans_d_action_in_every_state_with_history(loaded):
    with scopes_disabled():
        programme = Programme.objects.get(name=HDF_PROGRAMME)
        plans = [
            plan
            for plan in ActionPlan.objects.filter(programme=programme, kind="team")
            if plan.actions.exists()
        ]
        assert len(plans) == 3
        for plan in plans:
            assert 4 <= plan.actions.count() <= 6
        actions = Action.objects.filter(plan__programme=programme)
        assert set(actions.values_list("status", flat=True)) == {
            "todo",
            "in_progress",
            "done",
            "dropped",
        }
        today = TODAY.date()
        assert actions.late(today).count() == 1
        assert actions.filter(owner__isnull=True).exclude(owner_name="").exists()
        updates = ActionUpdate.objects.filter(action__plan__programme=programme)
        moments = sorted(update.created_at for update in updates)
        assert moments[0] < TODAY - timedelta(days=90)
        assert moments[-1] < TODAY
        months = {moment.astimezone(PARIS).strftime("%Y-%m") for moment in moments}
        assert len(months) >= 4


def test_the_follow_up_seance_is_marked(loaded):
    with scopes_disabled():
        (row,) = FollowUpSession.objects.select_related("session")
        assert "Suivi des plans d'action" in row.session.title
