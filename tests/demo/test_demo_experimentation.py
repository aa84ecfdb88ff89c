"""Seed 002 in the demo: the CNFPT's experimentation « Agir ensemble sur le territoire »,
its three working groups of partner structures meeting three times with their purpose,
each group's first-level plan, and the common plan gathering chosen actions."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scope

from codev.models import Group, GroupKind, GroupSession
from demo import experimentation
from organisations.models import Organisation
from plans.models import Action, ActionPlan, CommonPlanEntry


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def cnfpt(loaded, db):
    organisation = Organisation.objects.get(slug="cnfpt")
    with scope(organisation=organisation.pk):
        yield organisation


def test_three_working_groups_meet_three_times_with_their_purpose(cnfpt):
    groups = list(Group.objects.filter(programme__name=experimentation.PROGRAMME))
    assert len(groups) == 3
    assert {group.kind for group in groups} == {GroupKind.WORKING}
    for group in groups:
        assert group.memberships.current().count() == 3
        meetings = GroupSession.objects.filter(group=group).order_by("session__starts_at")
        assert [gs.expected_output for gs in meetings] == [m[2] for m in experimentation.MEETINGS]


def test_each_group_left_its_plan_and_the_common_plan_gathers_them(cnfpt, client):
    plans = ActionPlan.objects.filter(programme__name=experimentation.PROGRAMME)
    assert plans.filter(kind=ActionPlan.Kind.GROUP).count() == 3
    assert (
        not Action.objects.filter(plan__in=plans)
        .exclude(source="working_group")
        .exclude(plan__kind=ActionPlan.Kind.COMMON)
        .exists()
    )
    common = plans.get(kind=ActionPlan.Kind.COMMON)
    entries = CommonPlanEntry.objects.filter(common_plan=common).select_related("action__plan")
    assert len(entries) == len(experimentation.COMMON)
    assert len({entry.action.plan_id for entry in entries}) == 3  # from the three groups

    # The coordinator reads the common plan with its entries, each naming its group.
    from demo.organisations import member
    from organisations.models import Role

    client.force_login(member("cnfpt", Role.COORDINATOR))
    page = client.get(
        reverse("plans:plan_detail", args=[cnfpt.slug, common.programme_id, common.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Forum emploi commun aux deux villes" in text
    assert "Mobilités du quotidien" in text
