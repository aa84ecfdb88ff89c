"""The trainer's attendance sheet (``presences:attendance``): query counts with 5 and 50
participants, times against the floor.

Run it from the repository root::

    .venv/bin/python bench/attendance.py                       # throwaway SQLite file
    .venv/bin/python bench/attendance.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (its helpers: a throwaway database,
  production-like settings — ``DEBUG=0``, cached templates, Celery eager, mail to
  locmem, scopes on).
* **Data**: one organisation, one published programme with the trinôme roles (two
  required), a trainer, and two cohort-wide in-person J1/J2 trainings held the day
  before yesterday from 9 h 30 and yesterday until 17 h (four half-days, ended, so the
  sheet can be validated), both facilitated by the
  trainer. Teams of three (the last one smaller) bring **5** participants, then grow in
  place to **50**. Attendance is recorded through ``presences.services``: on each half-day
  one person absent, one late with a note, everyone else through « Tous présents »;
  the second training's sheet is then validated (its page shows the read-only table).
  ``ANALYZE`` after each load.
* **Pages**, as the trainer: the editable sheet on its first half-day (teams as cards,
  four status buttons per person) and the validated sheet (one column per half-day).
* **Queries**: one warm-up request, then one inside ``CaptureQueriesContext``, at 5 and
  at 50 participants: the count must be the same at both sizes and at most 20.
* **Times**: ``--requests`` (30) requests of each page and of the floor, in a new random
  order each round after ``--warmup`` rounds (``bench/pages.py``'s ``time_rounds``),
  logged in with ``force_login``. **Floor**: the same user's request to a URL no route
  matches. Ratios divide the page's median and p95 by the floor's median at the same
  size; the targets (median ≤ 3×, p95 ≤ 10×) are judged at both sizes (50 people is
  beyond seed 000's promotion of about 30).
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

SIZES = (5, 50)
TEAM_SIZE = 3
MAX_QUERIES = 20
MAX_P95_RATIO = 10.0
MAX_MEDIAN_RATIO = 3.0
FLOOR_PATH = "/sillon-bench-introuvable/page/inexistante/"
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
PAGES = ("editable", "validated")


def parse_args() -> argparse.Namespace:
    parser = bench_parser(__doc__.split("\n\n")[0], requests=30)
    return parser.parse_args()


# --------------------------------------------------------------------------- data


@dataclass
class World:
    organisation: object
    coordinator: object
    trainer: object
    programme: object
    cohort: object
    roles: list
    sessions: dict  # page -> Session


@dataclass
class Measure:
    size: int
    page: str
    queries: int = 0
    sql: list[str] = field(default_factory=list)
    samples: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)


def create_world() -> World:
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from organisations.models import Membership, Role
    from parcours.models import Session
    from tests.factories import UserFactory, _aware

    today = timezone.localdate()
    with transaction.atomic():
        base = create_pat_programme(TRINOME)
        organisation = base.organisation
        with scope(organisation=organisation.pk):
            trainer = UserFactory(email="intervenante@bench.example")
            Membership.objects.create(organisation=organisation, user=trainer, role=Role.TRAINER)
            sessions = {}
            for page in PAGES:
                session = Session.objects.create(
                    organisation=organisation,
                    programme=base.programme,
                    kind=base.kind,
                    title=f"Formation J1/J2 ({page})",
                    place="Hôtel de Région, Lille",
                    audience=Session.Audience.COHORT,
                    expected_presence=Session.Presence.WHOLE_TEAM_REQUIRED,
                    starts_at=_aware(today - timedelta(days=2), 9, 30),
                    ends_at=_aware(today - timedelta(days=1), 17),
                )
                session.facilitators.add(trainer)
                sessions[page] = session
    return World(
        organisation, base.coordinator, trainer, base.programme, base.cohort, base.roles, sessions
    )


def grow(world: World, participants: int) -> None:
    """Teams of three up to ``participants`` people, then their attendance on every
    half-day of both trainings (one absent, one late, the rest « Tous présents »)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_scopes import scope

    from accounts.models import User
    from parcours.models import Team, TeamMember
    from presences import services
    from presences.grid import attendance_grid
    from presences.models import AttendanceSheet, AttendanceStatus

    organisation = world.organisation
    with transaction.atomic(), scope(organisation=organisation.pk):
        existing = TeamMember.objects.filter(team__cohort=world.cohort).count()
        new_people = participants - existing
        team_count = Team.objects.filter(cohort=world.cohort).count()
        for start in range(0, new_people, TEAM_SIZE):
            team_count += 1
            team = Team.objects.create(
                organisation=organisation, cohort=world.cohort, name=f"PAT {team_count:03d}"
            )
            seats = min(TEAM_SIZE, new_people - start)
            users = User.objects.bulk_create(
                User(
                    email=f"pat{team_count:03d}-{seat}@bench.example",
                    first_name=f"Membre {seat + 1}",
                    last_name=team.name,
                    password=make_password(None),
                )
                for seat in range(seats)
            )
            TeamMember.objects.bulk_create(
                TeamMember(organisation=organisation, team=team, user=user, role=role)
                for user, role in zip(users, world.roles, strict=False)
            )
        for page, session in world.sessions.items():
            sheet = AttendanceSheet.objects.filter(session=session).first()
            if sheet is not None and sheet.is_validated:
                services.reopen_attendance_sheet(
                    session=session, acting_user=world.coordinator, reason="Nouveaux participants"
                )
            grid = attendance_grid(session, organisation)
            rows = grid.expected_rows
            for index, column in enumerate(grid.columns):
                absent, late = rows[index % len(rows)], rows[(index + 1) % len(rows)]
                for row, status, note in (
                    (absent, AttendanceStatus.ABSENT, ""),
                    (late, AttendanceStatus.PARTIAL, "Arrivée à 10 h 15"),
                ):
                    if (column.day, column.half_day) not in row.attendances:
                        services.record_attendance(
                            session=session,
                            acting_user=world.trainer,
                            user=row.user,
                            day=column.day,
                            half_day=column.half_day,
                            status=status,
                            note=note,
                        )
                services.mark_all_present(
                    session=session,
                    acting_user=world.trainer,
                    day=column.day,
                    half_day=column.half_day,
                )
            if page == "validated":
                services.validate_attendance_sheet(session=session, acting_user=world.trainer)
    analyze()


def sheet_url(world: World, page: str) -> str:
    from django.urls import reverse
    from django_scopes import scope

    from presences.grid import attendance_grid

    session = world.sessions[page]
    url = reverse("presences:attendance", args=[world.organisation.slug, session.pk])
    if page == "editable":
        with scope(organisation=world.organisation.pk):
            url += f"?demi={attendance_grid(session, world.organisation).columns[0].key}"
    return url


def people_on(world: World, page: str) -> int:
    from django_scopes import scope

    from presences.grid import attendance_grid

    with scope(organisation=world.organisation.pk):
        return len(attendance_grid(world.sessions[page], world.organisation).rows)


# --------------------------------------------------------------------------- report


def report(measures: list[Measure], people: dict) -> bool:
    ok = True
    header = (
        f"{'page':<10} {'people':>6} {'queries':>7} {'floor':>8} {'median':>9} {'p95':>9} "
        f"{'med÷floor':>9} {'p95÷floor':>9}  verdict"
    )
    print(header)
    print("-" * len(header))
    first = {m.page: m.queries for m in measures if m.size == SIZES[0]}
    for measure in measures:
        floor = statistics.median(measure.floor)
        median, high = statistics.median(measure.samples), p95(measure.samples)
        problems = []
        if measure.queries != first[measure.page]:
            problems.append("queries grow")
        if measure.queries > MAX_QUERIES:
            problems.append(f"> {MAX_QUERIES} queries")
        if median / floor > MAX_MEDIAN_RATIO:
            problems.append(f"median > {MAX_MEDIAN_RATIO:g}×")
        if high / floor > MAX_P95_RATIO:
            problems.append(f"p95 > {MAX_P95_RATIO:g}×")
        ok = ok and not problems
        print(
            f"{measure.page:<10} {people[measure.page, measure.size]:>6} {measure.queries:>7} "
            f"{floor * 1000:>6.2f}ms {median * 1000:>7.2f}ms {high * 1000:>7.2f}ms "
            f"{median / floor:>8.2f}× {high / floor:>8.2f}×  "
            + ("FAIL: " + ", ".join(problems) if problems else "PASS")
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
        client.force_login(world.trainer, backend=LOGIN_BACKEND)
        measures, people = [], {}
        for size in SIZES:
            grow(world, size)
            targets = []
            for page in PAGES:
                url = sheet_url(world, page)
                measure = Measure(size, page)
                measure.sql = captured_sql(client, url)
                measure.queries = len(measure.sql)
                people[page, size] = people_on(world, page)
                targets.append((url, measure.samples))
                measures.append(measure)
            floor: list[float] = []
            progress(
                f"{size} participants: timing {args.warmup} + {args.requests} rounds of "
                f"{len(targets) + 1} requests"
            )
            time_rounds(client, [*targets, (FLOOR_PATH, floor)], args)
            for measure in measures[-len(PAGES) :]:
                measure.floor = floor
        print(
            f"\nSillon attendance sheet benchmark — presences:attendance as the session's "
            f"trainer — {connection.vendor}, Python {sys.version.split()[0]}, "
            f"{args.requests} requests after {args.warmup} warm-up rounds, {args.clock} "
            f"clock; ratios ÷ the floor's median at the same size; targets: queries ≤ "
            f"{MAX_QUERIES} and equal at {SIZES[0]} and {SIZES[1]} people, median ≤ "
            f"{MAX_MEDIAN_RATIO:g}×, p95 ≤ {MAX_P95_RATIO:g}×.\n"
        )
        ok = report(measures, people)
        for page in PAGES:
            small, large = (
                next(m for m in measures if m.page == page and m.size == size) for size in SIZES
            )
            if small.queries != large.queries:
                print(f"\nSQL of the {page} sheet at {SIZES[-1]} participants:")
                print("\n".join(large.sql))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
