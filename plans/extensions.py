"""What plans adds to the pages below it (``sillon.extensions``): the team's page shows
its plan in short (the stages' state, the actions open, done and late) with the way in,
and a team member's home links to their team's plan. The programme's « Plans d'action »
tab (``plans.tabs``) and the personal data (``plans.personal_data``) connect by being
imported here."""

from django.dispatch import receiver
from django.urls import reverse

from organisations.extensions import home_panels
from organisations.home_sections import HomeSection
from parcours.extensions import team_panels
from parcours.models import TeamMember

from . import personal_data, tabs  # noqa: F401 (their receivers connect)


@receiver(team_panels, dispatch_uid="plans.team_plan")
def team_plan_panel(sender, *, request, organisation, team, **kwargs) -> HomeSection:
    """« Plan d'action »: what the plan is and the way in. The team's page is only shown
    to those who may read the plan (its members, the staff). No query: the team's page
    is at the query budget (``tests/parcours/test_teams.py``); the plan's page has the
    stages' states and the actions."""
    programme_id = team.cohort.programme_id
    return HomeSection(
        "plans/partials/team_panel.html",
        {
            "url": reverse("plans:team_plan", args=[organisation.slug, programme_id, team.pk]),
        },
    )


@receiver(home_panels, dispatch_uid="plans.my_plans")
def my_plans_home_panel(sender, *, request, organisation, **kwargs) -> HomeSection | None:
    """« Notre plan d'action »: for a member of a team of a published programme."""
    if not request.user.is_authenticated:
        return None
    members = list(
        TeamMember.objects.current()
        .filter(organisation=organisation, user=request.user)
        .filter(team__cohort__programme__status="published")
        .select_related("team__cohort__programme")
        .order_by("team__name", "pk")
    )
    if not members:
        return None
    links = [
        {
            "team": member.team.name,
            "programme": member.team.cohort.programme.name,
            "url": reverse(
                "plans:team_plan",
                args=[organisation.slug, member.team.cohort.programme_id, member.team_id],
            ),
        }
        for member in members
    ]
    return HomeSection("plans/partials/home_panel.html", {"links": links})
