"""Everything ``manage.py load_demo`` loads, in order: the French reference geography
(``territoires.loader``, about two seconds on SQLite, skipped once loaded), the demo
organisations and their people (``demo.organisations``), the programmes of seeds 000 and
001 with seed 000's polls, engagement, call, attendance, CODEV groups and action plans,
seed 002's experimentation (working groups, their plans and the common plan) in the CNFPT
organisation, then seed 000's evaluations.
Idempotent: a second run changes nothing."""

from django.db import transaction
from django_scopes import scope

from demo import (
    calls,
    coaching,
    codev,
    engagement,
    evaluation,
    experimentation,
    inscriptions,
    minutes,
    plans,
    programmes,
    ressources,
    seminar,
    syntheses,
)
from demo import organisations as demo_organisations
from demo.common import CNFPT_SLUG, HDF_SLUG, DemoResult
from demo.teams import team_member_login
from territoires import loader as territories_loader


@transaction.atomic
def load() -> tuple[DemoResult, list[str]]:
    """Load what is missing; return the summary (one line per part) and the login lines
    to print."""
    result = DemoResult(summary=[territories_loader.load_once()])
    organisations = demo_organisations.load()
    hauts_de_france = organisations[HDF_SLUG]
    with scope(organisation=hauts_de_france.pk):
        programmes.load(hauts_de_france)
        # The polls fix dates the engagement shows: before the signatures.
        coaching.load_polls(hauts_de_france)
        result.summary.append(engagement.load(hauts_de_france))
        result.summary.append(calls.load(hauts_de_france))
        result.summary.append(coaching.load_attendance(hauts_de_france))
        codev_line = codev.load(hauts_de_france)
        # The programme's line counts its sessions once the groups' séances are made.
        result.summary.insert(1, programmes.load(hauts_de_france))
        result.summary.append(codev_line)
        # After CODEV: the séances keep the titles the groups gave them.
        result.summary.append(plans.load(hauts_de_france))
        result.summary.append(ressources.load_library(hauts_de_france))
    with scope(organisation=organisations[CNFPT_SLUG].pk):
        result.summary.append(seminar.load(organisations[CNFPT_SLUG]))
        result.summary.append(inscriptions.load(organisations[CNFPT_SLUG]))
        experimentation.load(organisations[CNFPT_SLUG])
        minutes_line = minutes.load(organisations[CNFPT_SLUG])
        # The experimentation's line counts the actions its minutes handed to the plan.
        result.summary.append(experimentation.load(organisations[CNFPT_SLUG]))
        result.summary.append(minutes_line)
    name, email, team = team_member_login()
    result.logins[HDF_SLUG] = [("Membre d'équipe", f"{name} <{email}> ({team})")]
    result.summary.extend(evaluation.load(organisations))
    with scope(organisation=hauts_de_france.pk):
        result.summary.append(syntheses.load(hauts_de_france))
    return result, demo_organisations.login_lines(result.logins)
