"""The action plans' pages: the coordinator's overview, a team's plan and the CSV export,
query counts from 2 to 20 teams and from 5 to 50 actions per team, times against the
floor.

Run it from the repository root::

    .venv/bin/python bench/plans.py                       # throwaway SQLite file
    .venv/bin/python bench/plans.py --clock cpu           # this process's CPU time
    .venv/bin/python bench/plans.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (``harness.py``: a throwaway
  database, production-like settings — ``DEBUG=0``, cached templates, Celery eager, mail
  to locmem, scopes on).
* **Data**: one organisation, a published programme with the trinôme roles
  (``pages_world.create_pat_programme``) and its coordinator; teams of 3 members
  (bulk-inserted). Each team's plan is opened and its stages written through
  ``plans.services.stages`` (``save_draft``, ``submit_stage`` and ``review_version``
  with ``notify=False``): a fiche d'intention validated (v1 « à reprendre », then v2
  validated, or v1 validated), a feuille de route submitted, sent back or only drafted,
  a plan d'action drafted in one team out of two. Actions are bulk-inserted, owned by a
  member of the team (one in five by a named partner), spread over the programme's two
  years, of every status (about one in eight late), each with its creation update and 0
  to 3 dated follow-ups (bulk-inserted too); a quarter of the plans were last touched
  8 to 12 weeks ago (« sans mise à jour »). **Sizes**, grown in place, then ``ANALYZE``:
  2 teams × 5 actions (1×), 20 teams × 5 actions (teams ×10), 20 teams × 50 actions
  (10×: 1 000 actions, about 2 500 updates).
* **Pages**, as the coordinator: ``plans:overview`` (the teams' table, the SVG
  timeline of the first 300 actions and its table), ``plans:plan_detail`` of the first
  team (its stages and its actions as cards, each with its quick-update form) and
  ``plans:export?format=csv`` (every action).
* **Queries**: one warm-up request, then one inside ``CaptureQueriesContext``, at each
  size: the count must be the same at every size and at most 20.
* **Times**: ``--requests`` (30) requests of each page and of the floor, in a new random
  order each round after ``--warmup`` rounds, logged in with ``force_login``,
  ``time.perf_counter()`` (``--clock cpu``: this process's CPU time) around
  ``Client.get``. **Floor**: the same user's request to a URL no route matches. Ratios
  divide the page's median and p95 by the floor's median at the same size. The time
  targets (median ≤ 3×, p95 ≤ 10×) are judged at 10× for the overview and the plan's
  page; the export grows with the data by nature and has no time target.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

# This file is named like the ``plans`` app: it runs as ``__main__`` and imports the app
# only once ``harness.configure_django`` has put the repository root first on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    analyze,
    bench_database,
    bench_parser,
    measure_pages,
    p95,
    progress,
)
from pages_world import TRINOME, create_pat_programme

# (label, teams, actions per team), grown in place in this order.
SIZES = (("1×", 2, 5), ("teams ×10", 20, 5), ("10×", 20, 50))
JUDGED_SIZE = "10×"
MAX_QUERIES = 20
MAX_P95_RATIO = 10.0
MAX_MEDIAN_RATIO = 3.0
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
UNTIMED = ("CSV export",)  # grows with the data by nature: no time target
STALE_SHARE = 0.25
# Drawn for each action: (status, weight); "late" is in progress past its deadline.
STATUSES = (("todo", 20), ("in_progress", 40), ("late", 12), ("done", 22), ("dropped", 6))


def parse_args() -> argparse.Namespace:
    parser = bench_parser(__doc__.split("\n\n")[0], requests=30)
    return parser.parse_args()


# --------------------------------------------------------------------------- data


@dataclass
class World:
    organisation: object
    coordinator: object
    programme: object
    cohort: object
    roles: list
    plans: list = field(default_factory=list)  # the teams' plans, in team order


@dataclass
class Measure:
    label: str
    size: str
    teams: int
    actions: int
    queries: int = 0
    sql: list[str] = field(default_factory=list)
    page: list[float] = field(default_factory=list)


def create_world() -> World:
    from django.db import transaction

    with transaction.atomic():
        base = create_pat_programme(TRINOME)
    return World(base.organisation, base.coordinator, base.programme, base.cohort, base.roles)


def _add_teams(world: World, teams: int) -> None:
    """Teams of 3 members up to ``teams``, each with its plan opened and its stages
    written through the services."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from parcours.models import Team, TeamMember
    from plans.models import Stage, StageVersion
    from plans.services import stages as stage_services

    organisation = world.organisation
    new = Team.objects.bulk_create(
        Team(organisation=organisation, cohort=world.cohort, name=f"PAT {i + 1:03d}")
        for i in range(len(world.plans), teams)
    )
    users = User.objects.bulk_create(
        User(
            email=f"pat{team.name[-3:]}-{seat}@bench.example",
            first_name=f"Membre {seat + 1}",
            last_name=team.name,
            password=make_password(None),
        )
        for team in new
        for seat in range(len(world.roles))
    )
    seats = iter(users)
    TeamMember.objects.bulk_create(
        TeamMember(organisation=organisation, team=team, user=next(seats), role=role)
        for team in new
        for role in world.roles
    )
    validated, changes = StageVersion.Status.VALIDATED, StageVersion.Status.CHANGES
    for team in new:
        index = int(team.name[-3:]) - 1
        plan = stage_services.team_plan(team=team, programme=world.programme)
        plan.organisation = organisation
        member = team.members.order_by("pk")[0].user
        people = (member, world.coordinator)
        intro = f"## Contexte et enjeux du territoire\n\n{team.name}, territoire rural.\n"
        if index % 2:
            _write_stage(plan, Stage.INTENTION, intro, people, (validated,))
        else:
            _write_stage(plan, Stage.INTENTION, intro, people, (changes, validated))
        roadmap = "## Objectifs\n\nUne restauration collective à 50 % locale.\n"
        _write_stage(plan, Stage.ROADMAP, roadmap, people, [(None,), (changes,), ()][index % 3])
        if index % 2 == 0:
            _write_stage(plan, Stage.ACTION_PLAN, "## Vision et objectifs\n\nÀ écrire.\n", people)
        world.plans.append(plan)


def _write_stage(plan, stage: str, body: str, people, decisions=()) -> None:
    """Draft ``stage`` as the team member; then, for each of ``decisions``, submit it
    and have the coordinator review it (``None``: left submitted). After « à reprendre »
    the team completes its draft."""
    from plans.models import StageVersion
    from plans.services import stages as stage_services

    member, coordinator = people

    def save(text: str) -> None:
        draft = stage_services.draft_of(plan, stage)
        stage_services.save_draft(
            plan=plan,
            stage=stage,
            body=text,
            acting_user=member,
            revision=draft.revision if draft else None,
        )

    save(body)
    for decision in decisions:
        version = stage_services.submit_stage(
            plan=plan, stage=stage, acting_user=member, notify=False
        )
        if decision is None:
            continue
        changes = decision == StageVersion.Status.CHANGES
        stage_services.review_version(
            version=version,
            acting_user=coordinator,
            decision=decision,
            comment="Précisez les acteurs à associer." if changes else "",
            notify=False,
        )
        if changes:
            body += "\nActeurs : la chambre d'agriculture, les communes.\n"
            save(body)


def _add_actions(world: World, per_team: int, rng: random.Random) -> None:
    """Actions up to ``per_team`` in every team's plan, with their updates; then each
    plan's last update time (a quarter of them 8 to 12 weeks ago)."""
    from django.db.models import Count
    from django.utils import timezone

    from parcours.models import TeamMember
    from plans.models import Action, ActionPlan, ActionUpdate

    organisation = world.organisation
    today = timezone.localdate()
    now = timezone.now()
    start, end = world.programme.start_date, world.programme.end_date
    span = (end - start).days
    members: dict[int, list[int]] = {}
    for team_id, user_id in TeamMember.objects.filter(team__cohort=world.cohort).values_list(
        "team_id", "user_id"
    ):
        members.setdefault(team_id, []).append(user_id)
    existing = dict(
        ActionPlan.objects.filter(programme=world.programme)
        .values_list("pk")
        .annotate(n=Count("actions"))
    )
    statuses, weights = zip(*STATUSES, strict=True)
    actions = []
    for plan in world.plans:
        people = members[plan.team_id]
        for number in range(existing.get(plan.pk, 0), per_team):
            status = rng.choices(statuses, weights)[0]
            if status == "late":
                due = today - timedelta(days=rng.randint(3, 90))
                begin = due - timedelta(days=rng.randint(30, 120))
                status, progress_value = "in_progress", rng.randint(10, 70)
            else:
                begin = start + timedelta(days=rng.randint(0, span - 60))
                due = begin + timedelta(days=rng.randint(30, 240))
                if status in ("todo", "in_progress") and due < today:
                    due = today + timedelta(days=rng.randint(10, 200))
                progress_value = {
                    "todo": 0,
                    "in_progress": rng.randint(10, 90),
                    "done": 100,
                    "dropped": rng.randint(0, 40),
                }[status]
            partner = rng.random() < 0.2
            actions.append(
                Action(
                    organisation=organisation,
                    plan=plan,
                    title=f"Action {number + 1} de {plan.team.name} : filière courte",
                    description="Structurer l'approvisionnement local des cantines.",
                    objective="50 % de produits locaux",
                    owner_id=None if partner else rng.choice(people),
                    owner_name="Chambre d'agriculture" if partner else "",
                    starts_on=begin,
                    due_on=due,
                    status=status,
                    progress=progress_value,
                    created_by_id=people[0],
                    version=1,
                )
            )
    actions = Action.objects.bulk_create(actions, batch_size=500)
    updates = []
    for action in actions:
        people = members[action.plan.team_id]
        moment = now - timedelta(days=rng.randint(60, 300))
        updates.append(
            ActionUpdate(
                organisation=organisation,
                action=action,
                author_id=action.created_by_id,
                note="Action créée.",
                progress=0,
                status="todo",
                changes={"created": True},
                created_at=moment,
            )
        )
        for step in range(rng.randint(0, 3)):
            moment += timedelta(days=rng.randint(7, 50))
            updates.append(
                ActionUpdate(
                    organisation=organisation,
                    action=action,
                    author_id=rng.choice(people),
                    note=f"Point d'étape n°{step + 1}.",
                    progress=action.progress,
                    status=action.status,
                    changes={"progress": [0, action.progress]},
                    created_at=min(moment, now),
                )
            )
    ActionUpdate.objects.bulk_create(updates, batch_size=500)
    for plan in world.plans:
        stale = rng.random() < STALE_SHARE
        days = rng.randint(56, 84) if stale else rng.randint(0, 30)
        ActionPlan.objects.filter(pk=plan.pk).update(touched_at=now - timedelta(days=days))


def grow(world: World, teams: int, per_team: int, rng: random.Random) -> None:
    from django.db import transaction
    from django_scopes import scope

    with transaction.atomic(), scope(organisation=world.organisation.pk):
        _add_teams(world, teams)
        _add_actions(world, per_team, rng)
    analyze()


def describe(world: World) -> tuple[int, int, int]:
    from django_scopes import scope

    from plans.models import Action, ActionUpdate, StageVersion

    with scope(organisation=world.organisation.pk):
        return (
            Action.objects.filter(plan__programme=world.programme).count(),
            ActionUpdate.objects.filter(action__plan__programme=world.programme).count(),
            StageVersion.objects.filter(plan__programme=world.programme).count(),
        )


# --------------------------------------------------------------------------- report


def report(measures: list[Measure], floors: dict[str, list[float]]) -> bool:
    ok = True
    header = (
        f"{'page':<18} {'size':<10} {'teams×actions':>13} {'queries':>7} {'floor':>8} "
        f"{'median':>9} {'p95':>9} {'med÷floor':>9} {'p95÷floor':>9}  verdict"
    )
    print(header)
    print("-" * len(header))
    first = {}
    for measure in measures:
        first.setdefault(measure.label, measure.queries)
        floor = statistics.median(floors[measure.size])
        median, high = statistics.median(measure.page), p95(measure.page)
        problems = []
        if measure.queries != first[measure.label]:
            problems.append("queries grow")
        if measure.queries > MAX_QUERIES:
            problems.append(f"> {MAX_QUERIES} queries")
        judged = measure.size == JUDGED_SIZE and measure.label not in UNTIMED
        if judged and median / floor > MAX_MEDIAN_RATIO:
            problems.append(f"median > {MAX_MEDIAN_RATIO:g}×")
        if judged and high / floor > MAX_P95_RATIO:
            problems.append(f"p95 > {MAX_P95_RATIO:g}×")
        if problems:
            verdict = "FAIL: " + ", ".join(problems)
        else:
            verdict = "PASS" if judged else "PASS (queries; times shown)"
        ok = ok and not problems
        print(
            f"{measure.label:<18} {measure.size:<10} "
            f"{f'{measure.teams}×{measure.actions}':>13} {measure.queries:>7} "
            f"{floor * 1000:>6.2f}ms {median * 1000:>7.2f}ms {high * 1000:>7.2f}ms "
            f"{median / floor:>8.2f}× {high / floor:>8.2f}×  {verdict}"
        )
    return ok


def main() -> int:
    args = parse_args()
    random.seed(args.seed)
    rng = random.Random(args.seed)
    with bench_database(args.database_url, seed=args.seed):
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        world = create_world()
        slug, programme = world.organisation.slug, world.programme.pk
        client = Client(raise_request_exception=True)
        client.force_login(world.coordinator, backend=LOGIN_BACKEND)
        measures: list[Measure] = []
        floors: dict[str, list[float]] = {}
        urls: dict[str, str] = {}
        for size, teams, per_team in SIZES:
            grow(world, teams, per_team, rng)
            actions, updates, versions = describe(world)
            progress(
                f"{size}: {teams} teams × {per_team} actions — {actions} actions, "
                f"{updates} updates, {versions} stage versions"
            )
            urls = {
                "overview": reverse("plans:overview", args=[slug, programme]),
                "team plan": reverse(
                    "plans:plan_detail", args=[slug, programme, world.plans[0].pk]
                ),
                "CSV export": reverse("plans:export", args=[slug, programme]) + "?format=csv",
            }
            round_measures = [Measure(label, size, teams, per_team) for label in urls]
            floors[size] = []
            measure_pages(client, urls, round_measures, floors[size], args)
            measures.extend(round_measures)
        order = {label: index for index, label in enumerate(urls)}
        measures.sort(key=lambda m: order[m.label])
        print(
            f"\nSillon action plans benchmark — {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {args.requests} requests after {args.warmup} "
            f"warm-up rounds, {args.clock} clock; sizes = teams × actions per team; ratios "
            f"÷ the floor's median at the same size; time targets (median ≤ "
            f"{MAX_MEDIAN_RATIO:g}×, p95 ≤ {MAX_P95_RATIO:g}×) judged at {JUDGED_SIZE} "
            f"(not for the export).\n"
        )
        for label, url in urls.items():
            print(f"  {label}: {url}")
        print()
        ok = report(measures, floors)
        for label in urls:
            sizes = [m for m in measures if m.label == label]
            if sizes[0].queries != sizes[-1].queries:
                print(f"\n{label}, SQL at {sizes[-1].size}:")
                print("\n".join(sizes[-1].sql))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
