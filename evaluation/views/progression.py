"""The programme's progression T0 → T1 → T2 (the cohort's averages, each team's path
for coordinators and trainers) and one team's progression (the team itself and the
staff; observers see the cohort's averages only, never a team's or a person's levels)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation import progression as compute
from evaluation.models import Moment
from organisations.access import organisation_view
from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404, get_team_or_404
from parcours.models import Team, TeamMember
from parcours.views.calendar import programme_context
from sillon.charts import Series, radar_chart

# Radar styles: the team's moments, and the cohort's average beside them (dashed).
MOMENT_STYLES = {Moment.T0: "dotted", Moment.T1: "dashdot", Moment.T2: "solid"}
COHORT_MOMENT_STYLES = {Moment.T0: "dotted", Moment.T1: "dashed", Moment.T2: "solid"}


def _role(request, organisation: Organisation) -> str | None:
    return role_in(request.user, organisation)


# --- Progression --------------------------------------------------------------------------


def _moment_label(moment: str) -> str:
    return compute.MOMENT_SHORT.get(moment, moment)


def _cohort_view(family: compute.Family) -> dict:
    """The cohort's averages: a radar (one line per moment) and a table."""
    cohort = family.cohort()
    series = [
        Series(
            _("Moyenne de la promotion à %(moment)s") % {"moment": _moment_label(moment)},
            [cohort[info.key].get(moment) for info in family.criteria],
            COHORT_MOMENT_STYLES[moment],
        )
        for moment in family.moments
    ]
    return {
        "radar": radar_chart(
            [info.label for info in family.criteria],
            series,
            max_value=family.max_level,
            title=_("Moyenne de la promotion par critère — %(title)s")
            % {"title": family.questionnaire.title},
        ),
        "rows": [
            {
                "criterion": info,
                "cells": [compute.format_level(cohort[info.key].get(m)) for m in family.moments],
                "path": compute.format_path([cohort[info.key].get(m) for m in family.moments]),
            }
            for info in family.criteria
        ],
    }


def _team_url_maker(organisation: Organisation, programme):
    sentinel = 987654321
    pattern = reverse(
        "evaluation:team_progression", args=[organisation.slug, programme.pk, sentinel]
    )
    prefix, suffix = pattern.split(str(sentinel))
    return lambda team: f"{prefix}{team.pk}{suffix}"


@organisation_view("evaluation.view")
def programme_progression(request, organisation: Organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    role = _role(request, organisation)
    if role not in (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER):
        team = (
            Team.objects.filter(
                cohort__programme=programme,
                members__user=request.user,
                members__left_at__isnull=True,
            )
            .order_by("name")
            .first()
        )
        if team is None:
            raise Http404
        return redirect("evaluation:team_progression", organisation.slug, programme.pk, team.pk)
    progression = compute.programme_progression(programme)
    show_teams = role in (Role.COORDINATOR, Role.TRAINER)
    teams = (
        list(Team.objects.filter(cohort__programme=programme).order_by("name", "pk"))
        if show_teams
        else []
    )
    team_url = _team_url_maker(organisation, programme)
    families = []
    for family in progression.families:
        view = {"family": family, "moments": [_moment_label(m) for m in family.moments]}
        view.update(_cohort_view(family))
        view["teams"] = [
            {
                "team": team,
                "url": team_url(team),
                "cells": [
                    compute.format_path(
                        [family.level(team.pk, info.key, moment) for moment in family.moments]
                    )
                    for info in family.criteria
                ],
            }
            for team in teams
        ]
        families.append(view)
    context = programme_context(request, organisation, programme, "progression")
    context.update({"families": families, "show_teams": show_teams})
    return render(request, "evaluation/results/programme_progression.html", context)


def _person_pairs_view(pairs: list[compute.PersonPair], members: list[TeamMember]) -> list[dict]:
    views = []
    for pair in pairs:
        people = []
        for member in members:
            own = pair.own.get(member.user_id, {})
            coach = pair.coach.get(member.user_id, {})
            if not own and not coach:
                continue
            people.append(
                {
                    "user": member.user,
                    "rows": [
                        {
                            "criterion": info,
                            "own": compute.format_level(own.get(info.key)),
                            "own_label": info.level_label(own.get(info.key)),
                            "coach": compute.format_level(coach.get(info.key)),
                            "coach_label": info.level_label(coach.get(info.key)),
                        }
                        for info in pair.criteria
                    ],
                }
            )
        if people:
            views.append({"pair": pair, "people": people})
    return views


@organisation_view("evaluation.view")
def team_progression(request, organisation: Organisation, programme_id: int, team_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    members = list(
        TeamMember.objects.current()
        .filter(team=team)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    role = _role(request, organisation)
    if role not in (Role.COORDINATOR, Role.TRAINER) and request.user.pk not in {
        member.user_id for member in members
    }:
        raise Http404
    if role == Role.OBSERVER:
        raise Http404
    progression = compute.programme_progression(programme, team_id=team.pk)
    families = []
    for family in progression.families:
        cohort = family.cohort()
        latest = next(
            (
                m
                for m in reversed(family.moments)
                if any(family.level(team.pk, i.key, m) is not None for i in family.criteria)
            ),
            family.moments[-1] if family.moments else None,
        )
        series = [
            Series(
                _("%(team)s à %(moment)s") % {"team": team.name, "moment": _moment_label(m)},
                [family.level(team.pk, info.key, m) for info in family.criteria],
                MOMENT_STYLES[m],
            )
            for m in family.moments
        ]
        if latest is not None:
            series.append(
                Series(
                    _("Moyenne de la promotion à %(moment)s") % {"moment": _moment_label(latest)},
                    [cohort[info.key].get(latest) for info in family.criteria],
                    "dashed",
                )
            )
        rows = []
        for info in family.criteria:
            levels = [family.level(team.pk, info.key, m) for m in family.moments]
            rows.append(
                {
                    "criterion": info,
                    "cells": [
                        {
                            "level": compute.format_level(level),
                            "label": info.level_label(level),
                            "descriptor": info.descriptor(level),
                        }
                        for level in levels
                    ],
                    "path": compute.format_path(levels),
                    "cohort": compute.format_level(cohort[info.key].get(latest)) if latest else "—",
                    "pairs": [
                        {
                            "moment": _moment_label(m),
                            "own": compute.format_level(family.level(team.pk, info.key, m)),
                            "own_label": info.level_label(family.level(team.pk, info.key, m)),
                            "coach": compute.format_level(family.coach_level(team.pk, info.key, m)),
                            "coach_label": info.level_label(
                                family.coach_level(team.pk, info.key, m)
                            ),
                        }
                        for m in family.moments
                    ],
                }
            )
        families.append(
            {
                "family": family,
                "moments": [_moment_label(m) for m in family.moments],
                "latest": _moment_label(latest) if latest else "",
                "radar": radar_chart(
                    [info.label for info in family.criteria],
                    series,
                    max_value=family.max_level,
                    title=_("Progression de %(team)s — %(title)s")
                    % {"team": team.name, "title": family.questionnaire.title},
                ),
                "rows": rows,
                "has_coach": family.has_coach and any(family.coach.get(team.pk, {}).values()),
            }
        )
    context = programme_context(request, organisation, programme, "progression")
    context.update(
        {
            "team": team,
            "families": families,
            "person_pairs": _person_pairs_view(progression.person_pairs, members),
            "is_staff": role in (Role.COORDINATOR, Role.TRAINER),
        }
    )
    return render(request, "evaluation/results/team_progression.html", context)
