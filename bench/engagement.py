"""The coordinator's engagement dashboard: query counts at 1× and 10× data, times against
the floor.

Run it from the repository root::

    .venv/bin/python bench/engagement.py                       # throwaway SQLite file
    .venv/bin/python bench/engagement.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (its helpers: a throwaway database,
  production-like settings — ``DEBUG=0``, cached templates, Celery eager, mail to
  locmem, scopes on).
* **Data at 1×**: one organisation, one published programme with the trinôme roles
  (two required, one optional), three key sessions, an engagement text published through
  ``parcours.services.publish_engagement_text``, and 200 teams of 3 members of whom
  about 70 % signed (each signature with the text's real digest). Teams, people, members
  and signatures are bulk-inserted, then ``ANALYZE``. **10×**: 2 000 teams, grown in
  place.
* **Queries**: one warm-up request, then one inside ``CaptureQueriesContext``, at 1× and
  10×: the count must be the same at both sizes and at most 20.
* **Times**: ``--requests`` (30) requests of the dashboard and of the floor, in a new
  random order each round after ``--warmup`` rounds, logged in as the coordinator with
  ``force_login``, ``time.perf_counter()`` (``--clock cpu``: this process's CPU time)
  around ``Client.get``. **Floor**: the same user's request to a URL no route matches.
  Ratios divide the page's median and p95 by the floor's median at the same size. The
  time targets (median ≤ 3×, p95 ≤ 10×) are judged at 1× (200 teams, already ten times
  seed 000's promotion); at 10× (2 000 teams) the page still shows 25 teams, the ones not
  « engagées » first, and its counters cover every team: its times are shown, not judged
  (what grows is the database's counting over every team and member).
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

from harness import (
    analyze,
    bench_database,
    bench_parser,
    captured_sql,
    p95,
    progress,
    time_rounds,
)
from pages_world import TRINOME, create_pat_programme

TEAMS = 200
SIGNED_SHARE = 0.7
SIZES = (1, 10)
MAX_QUERIES = 20
MAX_P95_RATIO = 10.0
MAX_MEDIAN_RATIO = 3.0
FLOOR_PATH = "/sillon-bench-introuvable/page/inexistante/"
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
ROLES = TRINOME


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
    text: object
    digest: str


@dataclass
class Measure:
    size: int
    teams: int = 0
    members: int = 0
    signatures: int = 0
    engaged: int = 0
    queries: int = 0
    sql: list[str] = field(default_factory=list)
    page: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)


def create_world() -> World:
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from parcours import services
    from parcours.models import Session

    with transaction.atomic():
        base = create_pat_programme(ROLES)
        organisation, coordinator = base.organisation, base.coordinator
        programme, cohort, roles, kind = base.programme, base.cohort, base.roles, base.kind
        with scope(organisation=organisation.pk):
            start = timezone.now() + timedelta(days=30)
            sessions = [
                Session.objects.create(
                    organisation=organisation,
                    programme=programme,
                    kind=kind,
                    title=title,
                    starts_at=start + timedelta(days=offset),
                    ends_at=start + timedelta(days=offset, hours=3),
                )
                for offset, title in (
                    (0, "Lancement du projet"),
                    (20, "Rencontre individuelle n°1"),
                    (55, "Formation J1/J2"),
                )
            ]
            text = services.publish_engagement_text(
                programme=programme,
                acting_user=coordinator,
                body="En signant ce parcours, je m'engage à bloquer ces dates clés.",
                key_sessions=sessions,
            )
            digest = text.digest()
    return World(organisation, coordinator, programme, cohort, roles, text, digest)


def grow(world: World, factor: int, rng: random.Random) -> None:
    """Bulk-insert teams of 3 members up to ``TEAMS × factor``, about 70 % of the new
    members having signed the engagement."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from accounts.models import User
    from parcours.models import Signature, Team, TeamMember

    organisation = world.organisation
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
        members = TeamMember.objects.bulk_create(
            TeamMember(organisation=organisation, team=team, user=next(seats), role=role)
            for team in teams
            for role in world.roles
        )
        Signature.objects.bulk_create(
            (
                Signature(
                    organisation=organisation,
                    text=world.text,
                    member=member,
                    user_id=member.user_id,
                    typed_name=f"Membre {member.team.name}",
                    consent=True,
                    signed_at=now - timedelta(minutes=rng.randint(1, 20000)),
                    ip_address="192.0.2.1",
                    user_agent="Mozilla/5.0 (bench)",
                    text_hash=world.digest,
                )
                for member in members
                if rng.random() < SIGNED_SHARE
            ),
            batch_size=500,
        )
    analyze()


def describe(world: World, measure: Measure) -> None:
    from django_scopes import scope

    from parcours.engagement_status import engagement_dashboard
    from parcours.models import Signature, Team, TeamMember

    with scope(organisation=world.organisation.pk):
        measure.teams = Team.objects.filter(cohort=world.cohort).count()
        measure.members = TeamMember.objects.filter(team__cohort=world.cohort).count()
        measure.signatures = Signature.objects.filter(text=world.text).count()
        measure.engaged = engagement_dashboard(world.programme).engaged_count


# --------------------------------------------------------------------------- measuring


def count(client, url: str, measure: Measure) -> None:
    measure.sql = captured_sql(client, url)
    measure.queries = len(measure.sql)


def timing(client, url: str, measure: Measure, args) -> None:
    time_rounds(client, [(url, measure.page), (FLOOR_PATH, measure.floor)], args)


def report(measures: list[Measure]) -> bool:
    ok = True
    header = (
        f"{'size':<5} {'teams':>6} {'members':>8} {'signed':>7} {'engaged':>8} "
        f"{'queries':>7} {'floor':>8} {'median':>9} {'p95':>9} {'med÷floor':>9} "
        f"{'p95÷floor':>9}  verdict"
    )
    print(header)
    print("-" * len(header))
    for measure in measures:
        floor = statistics.median(measure.floor)
        median, high = statistics.median(measure.page), p95(measure.page)
        problems = []
        if measure.queries != measures[0].queries:
            problems.append("queries grow")
        if measure.queries > MAX_QUERIES:
            problems.append(f"> {MAX_QUERIES} queries")
        judged = measure.size == SIZES[0]
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
            f"{measure.size:>3}×  {measure.teams:>6} {measure.members:>8} "
            f"{measure.signatures:>7} {measure.engaged:>8} {measure.queries:>7} "
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
        url = reverse(
            "parcours:engagement_dashboard", args=[world.organisation.slug, world.programme.pk]
        )
        client = Client(raise_request_exception=True)
        client.force_login(world.coordinator, backend=LOGIN_BACKEND)
        measures = []
        for size in SIZES:
            grow(world, size, rng)
            measure = Measure(size)
            describe(world, measure)
            progress(
                f"{size}× data: {measure.teams} teams, {measure.members} members, "
                f"{measure.signatures} signatures"
            )
            count(client, url, measure)
            progress(f"timing at {size}×: {args.warmup} + {args.requests} rounds")
            timing(client, url, measure, args)
            measures.append(measure)
        print(
            f"\nSillon engagement dashboard benchmark — {url} — {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {args.requests} requests after {args.warmup} "
            f"warm-up rounds, {args.clock} clock; ratios ÷ the floor's median at the same "
            f"size; time targets (median ≤ {MAX_MEDIAN_RATIO:g}×, p95 ≤ "
            f"{MAX_P95_RATIO:g}×) judged at 1×.\n"
        )
        ok = report(measures)
        if measures[0].queries != measures[-1].queries:
            print("\nSQL at 10×:")
            print("\n".join(measures[-1].sql))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
