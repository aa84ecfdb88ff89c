"""Evaluation's panel on a team's page: a link to the team's self-diagnostic and
progression (T0 / T1 / T2), for the people who may read it (coordinators, trainers and
the team's own members; not observers), saying when its T0 is the self-diagnostic
answered with its application."""

from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation.models import Moment, Response
from organisations.home_sections import HomeSection
from organisations.models import Role
from organisations.roles import role_in


def team_evaluation_section(request, organisation, team) -> HomeSection | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    if role_in(user, organisation) == Role.OBSERVER:
        return None
    text = _("Les niveaux de l'équipe à l'autodiagnostic et leur évolution au fil du parcours.")
    # The T0 self-diagnostic answered with the application the team comes from.
    if Response.objects.filter(
        team=team,
        campaign__call__isnull=False,
        campaign__moment=Moment.T0,
        status=Response.Status.SUBMITTED,
    ).exists():
        text = _(
            "L'autodiagnostic T0 rempli avec la candidature est le point de départ de "
            "l'équipe : ses niveaux et leur évolution au fil du parcours."
        )
    return HomeSection(
        "parcours/partials/team_link_section.html",
        {
            "key": "progression",
            "title": _("Autodiagnostic et progression"),
            "text": text,
            "label": _("Voir la progression de l'équipe"),
            "url": reverse(
                "evaluation:team_progression",
                args=[organisation.slug, team.cohort.programme_id, team.pk],
            ),
        },
    )
