"""Evaluation results pages: query counts at 1× and 10× data, times against the floor.

Run it from the repository root::

    .venv/bin/python bench/evaluation.py                       # throwaway SQLite file
    .venv/bin/python bench/evaluation.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (a throwaway database, production-like
  settings: ``DEBUG=0``, cached templates, Celery eager, mail to locmem, scopes on).
* **Data at 1×** (the size of issue 6's closing note): one organisation, one published
  programme with 40 teams of 3 members; a maturity grid (6 criteria × 4 levels and a
  comment question) sent to the teams at T0, T1 and T2, every team answering every
  criterion (with a comment on one in three), and a coach assessment of each team
  paired with T1; an "à chaud" campaign after a session with 1 000 person answers
  (a 1–4 satisfaction scale, a single choice, a free text one time in four). Everything
  is bulk-inserted, then ``ANALYZE``. **10×**: 400 teams and 10 000 person answers,
  grown in place.
* **Queries**: one warm-up request, then one inside ``CaptureQueriesContext``, at 1× and
  10×: the count must be the same at both sizes and at most 20.
* **Times**: ``--requests`` (30) requests per page, round-robin in a new random order
  each round after ``--warmup`` rounds, logged in as the coordinator with
  ``force_login``, ``time.perf_counter()`` (or, with ``--clock cpu``, this process's CPU
  time) around ``Client.get``; at 1× and again at 10×.
  **Floor**: the same user's request to a URL no route matches (the whole middleware
  stack and the 404 page with the base layout). Ratios divide a page's median and p95
  by the floor's median at the same size.
* The CSV export is a download growing with the data by nature: its query count is
  judged, its time is shown without a target.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

# For ``pages``. (This file's name shadows the ``evaluation`` app while bench/ comes first
# on sys.path: configure_django puts the repository root first before Django imports it.)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    analyze,
    bench_database,
    bench_parser,
    captured_sql,
    p95,
    progress,
    time_rounds,
)
from pages_world import create_pat_programme

TEAMS = 40
PERSON_ANSWERS = 1000
CRITERIA = (
    "Connaître le schéma de gouvernance actuel",
    "Leviers vers une gouvernance ouverte, partagée et robuste",
    "Rôles : co-construction, co-décision, co-mise en œuvre",
    "Compétences pour animer cette gouvernance",
    "Passer à l'action",
    "Évaluer son parcours",
)
LEVELS = ("Émergent", "En construction", "Structuré", "Exemplaire")
SIZES = (1, 10)
MAX_QUERIES = 20
MAX_P95_RATIO = 10.0
MAX_MEDIAN_RATIO = 3.0
FLOOR_PATH = "/sillon-bench-introuvable/page/inexistante/"
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@dataclass
class Target:
    label: str
    path: str
    timed: bool = True
    queries: dict[int, int] = field(default_factory=dict)
    sql: dict[int, list[str]] = field(default_factory=dict)
    samples: dict[int, list[float]] = field(default_factory=dict)


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
    grid: dict  # version, question, criteria, levels, comment
    satisfaction: dict  # version, scale, single, text, choices
    campaigns: dict  # "t0", "t1", "t2", "coach", "hot"


def create_world() -> World:
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from evaluation.models import (
        Campaign,
        Choice,
        Criterion,
        Question,
        Questionnaire,
        QuestionnaireVersion,
        Section,
    )
    from parcours.models import Session

    with transaction.atomic():
        base = create_pat_programme()
        organisation, coordinator = base.organisation, base.coordinator
        programme, cohort, roles, kind = base.programme, base.cohort, base.roles, base.kind
        with scope(organisation=organisation.pk):
            now = timezone.now()
            session = Session.objects.create(
                organisation=organisation,
                programme=programme,
                kind=kind,
                title="Formation J1 — gouvernance alimentaire",
                starts_at=now - timedelta(days=3),
                ends_at=now - timedelta(days=3) + timedelta(hours=6),
            )

            def version_of(title, purpose):
                questionnaire = Questionnaire.objects.create(
                    organisation=organisation, title=title, purpose=purpose
                )
                version = QuestionnaireVersion.objects.create(
                    organisation=organisation,
                    questionnaire=questionnaire,
                    number=1,
                    status="published",
                    published_at=now,
                )
                section = Section.objects.create(
                    organisation=organisation, version=version, title="Questions"
                )
                return questionnaire, version, section

            questionnaire, version, section = version_of(
                "Autodiagnostic de gouvernance", "self_diagnostic"
            )
            grid = Question.objects.create(
                organisation=organisation,
                version=version,
                section=section,
                kind="grid",
                label="Où en est votre gouvernance ?",
                order=0,
            )
            levels = [
                Choice.objects.create(
                    organisation=organisation, question=grid, label=label, value=value
                )
                for value, label in enumerate(LEVELS, start=1)
            ]
            criteria = [
                Criterion.objects.create(
                    organisation=organisation,
                    question=grid,
                    label=label,
                    order=order,
                    descriptors=[f"{label} — {level}" for level in LEVELS],
                )
                for order, label in enumerate(CRITERIA)
            ]
            comment = Question.objects.create(
                organisation=organisation,
                version=version,
                section=section,
                kind="long_text",
                label="Vos besoins",
                order=1,
            )
            hot_questionnaire, hot_version, hot_section = version_of(
                "Satisfaction à chaud", "satisfaction"
            )
            scale = Question.objects.create(
                organisation=organisation,
                version=hot_version,
                section=hot_section,
                kind="scale",
                scale_min=1,
                scale_max=4,
                satisfaction=True,
                label="Êtes-vous satisfait·e de la séance ?",
                order=0,
            )
            single = Question.objects.create(
                organisation=organisation,
                version=hot_version,
                section=hot_section,
                kind="single",
                label="Le rythme était…",
                order=1,
            )
            choices = [
                Choice.objects.create(
                    organisation=organisation, question=single, label=label, value=value
                )
                for value, label in enumerate(("Trop lent", "Adapté", "Trop rapide"), start=1)
            ]
            text = Question.objects.create(
                organisation=organisation,
                version=hot_version,
                section=hot_section,
                kind="long_text",
                label="Un commentaire ?",
                order=2,
            )

            def campaign(title, version_, questionnaire_, **fields):
                return Campaign.objects.create(
                    organisation=organisation,
                    programme=programme,
                    questionnaire=questionnaire_,
                    version=version_,
                    title=title,
                    status="launched",
                    launched_at=now,
                    opens_at=now - timedelta(days=30),
                    closes_at=now + timedelta(days=30),
                    **fields,
                )

            campaigns = {
                moment: campaign(
                    f"Autodiagnostic {moment.upper()}",
                    version,
                    questionnaire,
                    mode="team",
                    moment=moment,
                )
                for moment in ("t0", "t1", "t2")
            }
            campaigns["coach"] = campaign(
                "Regard de l'accompagnateur T1",
                version,
                questionnaire,
                mode="assess_team",
                moment="t1",
                paired_with=campaigns["t1"],
            )
            campaigns["hot"] = campaign(
                "À chaud — Formation J1",
                hot_version,
                hot_questionnaire,
                mode="person",
                moment="hot",
                audience="session",
                session=session,
            )
    return World(
        organisation=organisation,
        coordinator=coordinator,
        programme=programme,
        cohort=cohort,
        roles=roles,
        grid={"question": grid, "criteria": criteria, "levels": levels, "comment": comment},
        satisfaction={"scale": scale, "single": single, "text": text, "choices": choices},
        campaigns=campaigns,
    )


def grow(world: World, factor: int) -> None:
    """Bulk-insert what is missing for ``factor``×: teams with members and their T0 /
    T1 / T2 and coach responses, then person answers to the "à chaud" campaign."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from accounts.models import User
    from evaluation.models import Answer, Response
    from parcours.models import Team, TeamMember

    organisation = world.organisation
    rng = random.Random(factor)
    now = timezone.now()
    with transaction.atomic(), scope(organisation=organisation.pk):
        existing = Team.objects.filter(cohort=world.cohort).count()
        teams = Team.objects.bulk_create(
            Team(organisation=organisation, cohort=world.cohort, name=f"PAT {i + 1:04d}")
            for i in range(existing, TEAMS * factor)
        )
        users = User.objects.bulk_create(
            User(
                email=f"t{team.name[-4:]}-{seat}@bench.example",
                first_name=f"Membre {seat + 1}",
                last_name=team.name,
                password=make_password(None),
            )
            for team in teams
            for seat in range(len(world.roles))
        )
        seats = iter(users)
        TeamMember.objects.bulk_create(
            TeamMember(organisation=organisation, team=team, user=next(seats), role=role)
            for team in teams
            for role in world.roles
        )
        responses, answers = [], []
        grid, criteria = world.grid["question"], world.grid["criteria"]
        for team in teams:
            base = rng.randint(1, 2)
            for step, moment in enumerate(("t0", "t1", "t2", "coach")):
                campaign = world.campaigns[moment]
                is_coach = moment == "coach"
                response = Response(
                    id=uuid.uuid4(),
                    organisation=organisation,
                    campaign=campaign,
                    version=campaign.version,
                    key=f"subject-team:{team.pk}" if is_coach else f"team:{team.pk}",
                    team=None if is_coach else team,
                    subject_team=team if is_coach else None,
                    status=Response.Status.SUBMITTED,
                    submitted_at=now - timedelta(days=20 - step),
                )
                responses.append(response)
                level_step = 1 if is_coach else step
                for index, criterion in enumerate(criteria):
                    answers.append(
                        Answer(
                            organisation=organisation,
                            response=response,
                            question=grid,
                            criterion=criterion,
                            number=min(4, base + level_step + (index % 2) * rng.randint(0, 1)),
                            comment="Nous avançons sur ce point." if index % 3 == 0 else "",
                        )
                    )
                if not is_coach:
                    answers.append(
                        Answer(
                            organisation=organisation,
                            response=response,
                            question=world.grid["comment"],
                            text="Besoin d'outils pour associer les habitant·es.",
                        )
                    )
        hot = world.campaigns["hot"]
        scale, single, text = (world.satisfaction[k] for k in ("scale", "single", "text"))
        existing_people = Response.objects.filter(campaign=hot).count()
        people = User.objects.bulk_create(
            User(
                email=f"participant-{i}@bench.example",
                first_name="Participant·e",
                last_name=f"n°{i}",
                password=make_password(None),
            )
            for i in range(existing_people, PERSON_ANSWERS * factor)
        )
        for person in people:
            response = Response(
                id=uuid.uuid4(),
                organisation=organisation,
                campaign=hot,
                version=hot.version,
                key=f"person:{person.pk}",
                respondent=person,
                status=Response.Status.SUBMITTED,
                submitted_at=now - timedelta(minutes=rng.randint(1, 5000)),
            )
            responses.append(response)
            choice = rng.choice(world.satisfaction["choices"])
            answers.append(
                Answer(
                    organisation=organisation,
                    response=response,
                    question=scale,
                    number=rng.choice((1, 2, 3, 3, 4, 4, 4)),
                )
            )
            answers.append(
                Answer(
                    organisation=organisation,
                    response=response,
                    question=single,
                    number=choice.value,
                    choices=[choice.pk],
                )
            )
            if rng.random() < 0.25:
                answers.append(
                    Answer(
                        organisation=organisation,
                        response=response,
                        question=text,
                        text="Très utile, <b>merci</b> ! =1+1",
                    )
                )
        Response.objects.bulk_create(responses, batch_size=500)
        Answer.objects.bulk_create(answers, batch_size=500)
    analyze()


def describe(world: World) -> str:
    from django_scopes import scope

    from evaluation.models import Answer, Response
    from parcours.models import Team

    with scope(organisation=world.organisation.pk):
        return (
            f"{Team.objects.filter(cohort=world.cohort).count()} teams, "
            f"{Response.objects.filter(campaign=world.campaigns['hot']).count()} person "
            f"responses à chaud, {Response.objects.count()} responses and "
            f"{Answer.objects.count()} answers in all"
        )


# --------------------------------------------------------------------------- measuring


def targets(world: World) -> list[Target]:
    from django.urls import reverse

    slug = world.organisation.slug
    programme = world.programme.pk
    hot = world.campaigns["hot"].pk
    t1 = world.campaigns["t1"].pk
    from django_scopes import scope

    from parcours.models import Team

    with scope(organisation=world.organisation.pk):
        team = Team.objects.filter(cohort=world.cohort).order_by("name").first()
    return [
        Target("floor (no route: 404)", FLOOR_PATH),
        Target(
            "results, à chaud (1 000 person answers)",
            reverse("evaluation:campaign_results", args=[slug, hot]),
        ),
        Target(
            "results, T1 grid (40 teams)", reverse("evaluation:campaign_results", args=[slug, t1])
        ),
        Target(
            "programme progression (40 teams × T0/T1/T2)",
            reverse("evaluation:programme_progression", args=[slug, programme]),
        ),
        Target(
            "team progression",
            reverse("evaluation:team_progression", args=[slug, programme, team.pk]),
        ),
        Target(
            "programme satisfaction",
            reverse("evaluation:programme_satisfaction", args=[slug, programme]),
        ),
        Target("response list, à chaud", reverse("evaluation:response_list", args=[slug, hot])),
        Target(
            "CSV export, à chaud (no time target)",
            reverse("evaluation:export", args=[slug, hot]) + "?format=csv",
            timed=False,
        ),
    ]


def count(client, rows: list[Target], size: int) -> None:
    for row in rows:
        expected = 404 if row.path == FLOOR_PATH else 200
        row.sql[size] = captured_sql(client, row.path, expected=expected)
        row.queries[size] = len(row.sql[size])


def timing(client, rows: list[Target], size: int, args) -> None:
    for row in rows:
        row.samples[size] = []
    time_rounds(client, [(row.path, row.samples[size]) for row in rows], args)


def report(rows: list[Target]) -> bool:
    floor = rows[0]
    ok = True
    header = (
        f"{'page':<46} {'queries 1×/10×':>14} {'median 1×':>10} {'p95 1×':>8} "
        f"{'med÷floor':>9} {'p95÷floor':>9} {'median 10×':>10} {'med÷floor':>9}  verdict"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        queries = f"{row.queries[1]}/{row.queries[10]}"
        floor_1 = statistics.median(floor.samples[1])
        floor_10 = statistics.median(floor.samples[10])
        median_1 = statistics.median(row.samples[1])
        median_10 = statistics.median(row.samples[10])
        ratio_median, ratio_p95 = median_1 / floor_1, p95(row.samples[1]) / floor_1
        problems = []
        if row is not floor:
            if row.queries[1] != row.queries[10]:
                problems.append("queries grow")
            if row.queries[1] > MAX_QUERIES:
                problems.append(f"> {MAX_QUERIES} queries")
            if row.timed and ratio_median > MAX_MEDIAN_RATIO:
                problems.append(f"median > {MAX_MEDIAN_RATIO:g}×")
            if row.timed and ratio_p95 > MAX_P95_RATIO:
                problems.append(f"p95 > {MAX_P95_RATIO:g}×")
        verdict = (
            "—" if row is floor else ("PASS" if not problems else "FAIL: " + ", ".join(problems))
        )
        ok = ok and not problems
        print(
            f"{row.label:<46} {queries:>14} {median_1 * 1000:>8.2f}ms "
            f"{p95(row.samples[1]) * 1000:>6.2f}ms "
            f"{ratio_median:>8.2f}× {ratio_p95:>8.2f}× {median_10 * 1000:>8.2f}ms "
            f"{median_10 / floor_10:>8.2f}×  {verdict}"
        )
    return ok


def main() -> int:
    args = parse_args()
    random.seed(args.seed)
    with bench_database(args.database_url, seed=args.seed):
        from django.db import connection
        from django.test import Client

        world = create_world()
        client = Client(raise_request_exception=True)
        client.force_login(world.coordinator, backend=LOGIN_BACKEND)
        rows = []
        for size in SIZES:
            grow(world, size)
            rows = rows or targets(world)
            progress(f"{size}× data: {describe(world)}")
            count(client, rows, size)
            progress(f"timing at {size}×: {args.warmup} + {args.requests} rounds of {len(rows)}")
            timing(client, rows, size, args)
        print(
            f"\nSillon evaluation benchmark — {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {args.requests} requests per page after "
            f"{args.warmup} warm-up rounds, {args.clock} clock; ratios ÷ the floor's "
            "median at the same size.\n"
            f"1×: {TEAMS} teams × T0/T1/T2 (+ coach at T1), {PERSON_ANSWERS} person answers "
            f"à chaud; 10×: {TEAMS * 10} teams, {PERSON_ANSWERS * 10} person answers.\n"
        )
        ok = report(rows)
        for row in rows[1:]:
            if row.queries[1] != row.queries[10]:
                print(f"\n{row.label}: SQL at 10×:")
                print("\n".join(row.sql[10]))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
