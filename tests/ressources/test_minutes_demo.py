"""Seed 002's preparatory COPILs in the demo: validated minutes with their decisions
and actions, the actions in the experimentation's common plan (the first COPIL's done),
loaded once (a second run adds nothing) and e-mailing nobody."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scope

from demo import minutes as demo_minutes
from notifications.models import OutboxMessage
from organisations.models import Organisation
from plans.models import Action
from ressources.models import Minutes


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


def test_the_preparatory_copils_have_validated_minutes(loaded, db):
    organisation = Organisation.objects.get(slug="cnfpt")
    with scope(organisation=organisation.pk):
        line = demo_minutes.load(organisation)
        assert "2 COPIL préparatoires validés" in line
        assert demo_minutes.load(organisation) == line
        minutes = list(Minutes.objects.select_related("session").order_by("session__starts_at"))
        assert [m.session.title for m in minutes] == list(demo_minutes.COPILS)
        for item in minutes:
            version = item.versions.get()
            assert version.status == "validated"
            assert version.decisions.count() >= 2 and version.actions.count() == 2
            assert version.attendees.filter(user__isnull=False).count() == demo_minutes.PRESENT
        actions = Action.objects.filter(source="minutes").select_related("plan")
        assert actions.count() == 4
        assert {action.plan.kind for action in actions} == {"common"}
        assert actions.filter(status="done").count() == 2
        assert not OutboxMessage.objects.filter(kind="minutes.validated").exists()
