"""The selection's applications list and the engagement dashboard: query counts at 20 and
200 applications (and as many teams), times against the floor.

Run it from the repository root::

    .venv/bin/python bench/applications.py                       # throwaway SQLite file
    .venv/bin/python bench/applications.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (its helpers: a throwaway database,
  production-like settings — ``DEBUG=0``, cached templates, Celery eager, mail to
  locmem, scopes on).
* **Data**: ``bench/engagement.py``'s world (one organisation, a published programme
  with the trinôme roles, three key sessions, an engagement text; teams of 3 members of
  whom about 70 % signed), plus a published, closed call of that programme's cohort with
  a four-line scoring grid (weights 3, 2, 2, 1; maxima 5, 5, 5, 10, so the averages are
  on 20), two trainers, and applications bulk-inserted: each on its own territory, with
  a trinôme of proposed members, submitted or under review (one in ten decided), and
  scored by three reviewers (the measured coordinator and the two trainers) on every
  criterion. **Small**: 20 applications and 20 teams; **large**: 200 of each, grown in
  place, then ``ANALYZE``.
* **Queries**: one warm-up request, then one inside ``CaptureQueriesContext``, at both
  sizes: the count must be the same and at most 20.
* **Times**: ``--requests`` (60) requests of each page and of the floor, in a new random
  order each round after ``--warmup`` rounds, logged in as the coordinator with
  ``force_login``, ``time.perf_counter()`` (``--clock cpu``: this process's CPU time)
  around ``Client.get``. **Floor**: the same user's request to a URL no route matches.
  Ratios divide the page's median and p95 by the floor's median at the same size; the
  time targets (median ≤ 3×, p95 ≤ 10×) are judged at 200 applications.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engagement
from harness import (
    analyze,
    bench_database,
    bench_parser,
    captured_sql,
    p95,
    progress,
    time_rounds,
)

SIZES = (20, 200)
JUDGED_SIZE = 200
REVIEWERS = 3
DECIDED_SHARE = 0.1
UNDER_REVIEW_SHARE = 0.6
MAX_QUERIES = 20
MAX_P95_RATIO = 10.0
MAX_MEDIAN_RATIO = 3.0
FLOOR_PATH = "/sillon-bench-introuvable/page/inexistante/"
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
# (name, weight, max_score): maxima differ, so averages are given on 20.
GRID = (
    ("Maturité du projet", 3, 5),
    ("Portage politique", 2, 5),
    ("Équipe et moyens", 2, 5),
    ("Ancrage territorial", 1, 10),
)


def parse_args() -> argparse.Namespace:
    parser = bench_parser(__doc__.split("\n\n")[0], requests=60)
    args = parser.parse_args()
    if args.requests < 20:
        parser.error("--requests must be at least 20 for a p95 to mean something")
    return args


# --------------------------------------------------------------------------- data


@dataclass
class World:
    base: engagement.World
    call: object
    criteria: list
    reviewers: list


@dataclass
class Measure:
    label: str
    size: int
    queries: int = 0
    sql: list[str] = field(default_factory=list)
    page: list[float] = field(default_factory=list)


def create_world() -> World:
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from candidatures.models import Call, ScoringCriterion
    from organisations.models import Membership, Role
    from tests.factories import UserFactory

    base = engagement.create_world()
    organisation = base.organisation
    now = timezone.now()
    with transaction.atomic(), scope(organisation=organisation.pk):
        call = Call.objects.create(
            organisation=organisation,
            programme=base.programme,
            cohort=base.cohort,
            slug="ami-2026",
            title="Appel à manifestation d'intérêt 2026",
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=10),
            status=Call.Status.PUBLISHED,
            published_at=now - timedelta(days=41),
        )
        criteria = [
            ScoringCriterion.objects.create(
                organisation=organisation,
                call=call,
                name=name,
                weight=weight,
                max_score=max_score,
                order=order,
            )
            for order, (name, weight, max_score) in enumerate(GRID)
        ]
        reviewers = [base.coordinator]
        for index in range(REVIEWERS - 1):
            trainer = UserFactory(email=f"formateur{index}@bench.example")
            Membership.objects.create(organisation=organisation, user=trainer, role=Role.TRAINER)
            reviewers.append(trainer)
    return World(base, call, criteria, reviewers)


def grow(world: World, size: int, rng: random.Random) -> None:
    """Bulk-insert applications up to ``size`` (each on a new territory, with a trinôme,
    scored by every reviewer) and teams up to ``size`` (engagement.py's ``grow``)."""
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from candidatures.models import Application, ApplicationMember, Review, ReviewScore
    from territoires.models import Territory

    engagement.TEAMS = size
    engagement.grow(world.base, 1, rng)
    organisation = world.base.organisation
    roles = world.base.roles
    now = timezone.now()
    with transaction.atomic(), scope(organisation=organisation.pk):
        existing = Application.objects.filter(call=world.call).count()
        numbers = range(existing, size)
        territories = Territory.objects.bulk_create(
            Territory(kind=Territory.Kind.EPCI, name=f"Communauté de communes {n + 1:04d}")
            for n in numbers
        )
        statuses = []
        for _ in numbers:
            draw = rng.random()
            if draw < DECIDED_SHARE:
                statuses.append(Application.Status.DECIDED)
            elif draw < DECIDED_SHARE + UNDER_REVIEW_SHARE:
                statuses.append(Application.Status.UNDER_REVIEW)
            else:
                statuses.append(Application.Status.SUBMITTED)
        applications = Application.objects.bulk_create(
            Application(
                organisation=organisation,
                call=world.call,
                created_by=world.base.coordinator,
                territory=territory,
                structure=f"Syndicat mixte {territory.name[-4:]}",
                project_name=f"PAT {territory.name}",
                project_stage="construction",
                status=status,
                decision=Application.Decision.SELECTED
                if status == Application.Status.DECIDED
                else "",
                submitted_at=now - timedelta(days=12, minutes=rng.randint(0, 20000)),
            )
            for territory, status in zip(territories, statuses, strict=True)
        )
        ApplicationMember.objects.bulk_create(
            ApplicationMember(
                organisation=organisation,
                application=application,
                role=role,
                first_name=f"Personne {seat + 1}",
                last_name=application.territory.name[-4:],
                email=f"a{application.pk}-{seat}@territoire.example",
                function=role.name,
                is_lead=seat == 0,
            )
            for application in applications
            for seat, role in enumerate(roles)
        )
        reviews = Review.objects.bulk_create(
            Review(
                organisation=organisation,
                application=application,
                reviewer=reviewer,
                comment="Candidature solide, portage à confirmer.",
            )
            for application in applications
            for reviewer in world.reviewers
        )
        ReviewScore.objects.bulk_create(
            (
                ReviewScore(
                    organisation=organisation,
                    review=review,
                    criterion=criterion,
                    score=rng.randint(0, criterion.max_score),
                )
                for review in reviews
                for criterion in world.criteria
            ),
            batch_size=500,
        )
    analyze()


def describe(world: World) -> str:
    from django_scopes import scope

    from candidatures.models import Application, Review
    from parcours.models import Team

    with scope(organisation=world.base.organisation.pk):
        applications = Application.objects.filter(call=world.call).count()
        reviews = Review.objects.filter(application__call=world.call).count()
        teams = Team.objects.filter(cohort=world.base.cohort).count()
    return f"{applications} applications, {reviews} reviews, {teams} teams"


# --------------------------------------------------------------------------- measuring


def count(client, url: str, measure: Measure) -> None:
    measure.sql = captured_sql(client, url)
    measure.queries = len(measure.sql)


def report(measures: list[Measure], floors: dict[int, list[float]]) -> bool:
    ok = True
    header = (
        f"{'page':<22} {'size':>5} {'queries':>7} {'floor':>8} {'median':>9} {'p95':>9} "
        f"{'med÷floor':>9} {'p95÷floor':>9}  verdict"
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
        judged = measure.size == JUDGED_SIZE
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
            f"{measure.label:<22} {measure.size:>5} {measure.queries:>7} "
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
        slug, programme = world.base.organisation.slug, world.base.programme.pk
        urls = {
            "applications list": reverse(
                "candidatures:application_list", args=[slug, programme, world.call.pk]
            ),
            "engagement dashboard": reverse(
                "parcours:engagement_dashboard", args=[slug, programme]
            ),
        }
        client = Client(raise_request_exception=True)
        client.force_login(world.base.coordinator, backend=LOGIN_BACKEND)
        measures: list[Measure] = []
        floors: dict[int, list[float]] = {}
        for size in SIZES:
            grow(world, size, rng)
            progress(f"{size}: {describe(world)}")
            round_measures = [Measure(label, size) for label in urls]
            for measure in round_measures:
                count(client, urls[measure.label], measure)
            floors[size] = []
            progress(f"timing at {size}: {args.warmup} + {args.requests} rounds")
            time_rounds(
                client,
                [(urls[m.label], m.page) for m in round_measures] + [(FLOOR_PATH, floors[size])],
                args,
            )
            measures.extend(round_measures)
        measures.sort(key=lambda m: (m.label, m.size))
        print(
            f"\nSillon selection benchmark — {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {args.requests} requests after {args.warmup} "
            f"warm-up rounds, {args.clock} clock; sizes = applications (and teams); ratios "
            f"÷ the floor's median at the same size; time targets (median ≤ "
            f"{MAX_MEDIAN_RATIO:g}×, p95 ≤ {MAX_P95_RATIO:g}×) judged at {JUDGED_SIZE}.\n"
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
