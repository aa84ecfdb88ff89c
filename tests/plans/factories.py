"""Factories of the plans app, built on ``tests.factories`` (``TeamFactory``…).

They write rows directly, for tests that need a state without going through the
services (the services' own tests call the services). Traits name domain states:
``ActionFactory(late=True)``, ``StageVersionFactory(submitted=True)``.

``ActionPlanFactory(team=team)`` is the plan of ``team`` (its programme and organisation
follow the team); ``ActionPlanFactory(common=True, programme=…)`` a cohort's common plan.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import ProgrammeFactory, TeamFactory, UserFactory


def _programme_of(plan):
    if plan.team is not None:
        return plan.team.cohort.programme
    return ProgrammeFactory()


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """A team's plan; traits ``group`` and ``common`` make a plan without a team."""

    class Meta:
        model = "plans.ActionPlan"

    team = factory.SubFactory(TeamFactory)
    programme = factory.LazyAttribute(_programme_of)
    organisation = factory.SelfAttribute("programme.organisation")
    kind = "team"

    class Params:
        group = factory.Trait(
            kind="group", team=None, title=factory.Sequence(lambda n: f"Groupe de travail {n}")
        )
        common = factory.Trait(kind="common", team=None, title="Plan d'action commun")


class StageVersionFactory(factory.django.DjangoModelFactory):
    """The working draft of a stage (number 0); ``submitted``, ``validated`` and
    ``changes`` make it a submitted version (number 1 unless given)."""

    class Meta:
        model = "plans.StageVersion"

    plan = factory.SubFactory(ActionPlanFactory)
    organisation = factory.SelfAttribute("plan.organisation")
    stage = "intention"
    number = 0
    status = "draft"
    body = "## Contexte et enjeux du territoire\n\nUn territoire rural et agricole.\n"
    written_by = factory.SubFactory(UserFactory)
    revision = 1

    class Params:
        submitted = factory.Trait(
            number=1, status="submitted", submitted_at=factory.LazyFunction(timezone.now)
        )
        validated = factory.Trait(
            number=1,
            status="validated",
            submitted_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
            reviewed_at=factory.LazyFunction(timezone.now),
            reviewed_by=factory.SubFactory(UserFactory),
        )
        changes = factory.Trait(
            number=1,
            status="changes",
            submitted_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
            reviewed_at=factory.LazyFunction(timezone.now),
            reviewed_by=factory.SubFactory(UserFactory),
        )


class ActionFactory(factory.django.DjangoModelFactory):
    """An action to launch, started ten days ago, due in a month. Traits: ``in_progress``
    (40 %), ``done`` (100 %), ``dropped``, ``late`` (in progress, due a week ago)."""

    class Meta:
        model = "plans.Action"

    plan = factory.SubFactory(ActionPlanFactory)
    organisation = factory.SelfAttribute("plan.organisation")
    title = factory.Sequence(lambda n: f"Action {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    status = "todo"
    progress = 0

    class Params:
        in_progress = factory.Trait(status="in_progress", progress=40)
        done = factory.Trait(status="done", progress=100)
        dropped = factory.Trait(status="dropped")
        late = factory.Trait(
            status="in_progress",
            progress=30,
            starts_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60)),
            due_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7)),
        )


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    """A follow-up of an action, now, carrying the action's progress and status."""

    class Meta:
        model = "plans.ActionUpdate"

    action = factory.SubFactory(ActionFactory)
    organisation = factory.SelfAttribute("action.organisation")
    author = factory.SubFactory(UserFactory)
    note = "Point d'étape."
    progress = factory.SelfAttribute("action.progress")
    status = factory.SelfAttribute("action.status")
    changes = factory.LazyFunction(dict)


class CommonPlanEntryFactory(factory.django.DjangoModelFactory):
    """An action of a team chosen into the common plan of the action's programme."""

    class Meta:
        model = "plans.CommonPlanEntry"

    action = factory.SubFactory(ActionFactory)
    organisation = factory.SelfAttribute("action.organisation")
    common_plan = factory.SubFactory(
        ActionPlanFactory, common=True, programme=factory.SelfAttribute("..action.plan.programme")
    )
    priority = 2
    lead = "Communauté de communes"
    added_by = factory.SubFactory(UserFactory)


class FollowUpSessionFactory(factory.django.DjangoModelFactory):
    """A session marked « suivi des plans » (the session's factory by default)."""

    class Meta:
        model = "plans.FollowUpSession"

    session = factory.SubFactory("tests.factories.SessionFactory")
    organisation = factory.SelfAttribute("session.organisation")
