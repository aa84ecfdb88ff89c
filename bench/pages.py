"""Page timings and query counts of Sillon's main pages, against the targets of
docs/architecture.md.

Run it from the repository root::

    .venv/bin/python bench/pages.py                       # throwaway SQLite file
    .venv/bin/python bench/pages.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database.** A throwaway one: by default a temporary SQLite file; with
  ``--database-url postgres://…`` a new database ``sillon_bench_<pid>`` is created on that
  server (the URL's own database is only used to run ``CREATE DATABASE``) and dropped at
  the end. Migrations run programmatically.
* **Settings.** Production-like: ``DEBUG=0`` (cached template loader, no SQL logging),
  a dummy ``SECRET_KEY``, ``ALLOWED_HOSTS=testserver``, ``SECURE_SSL_REDIRECT=0``, plain
  ``StaticFilesStorage`` (no ``collectstatic`` needed), mail to ``locmem``, Celery eager
  (no broker), and the MD5 password hasher so that creating hundreds of users is fast
  (no measured page hashes a password). django-scopes stays enabled: the organisation
  middleware enters the tenant scope itself, as in production.
* **Data.** An organisation ``bench`` whose coordinator, trainer and observer are the
  measured users; another tenant ``voisine`` with its own members, invitations and
  journal (it must never show up); "partner" organisations the measured users also
  belong to (the ``/`` page lists them). At **1×**: 5 members per organisation, 3 pending
  invitations (plus 1 expired and 1 revoked), 20 journal entries, 1 partner organisation.
  At **10×**: ten times each (50 members, 30 pending invitations, 200 entries,
  10 partners). Programmes (published, trinôme roles, five phases; teams, members and
  sessions bulk-inserted): a "fixed" one of 20 teams × 150 sessions (4 individual
  coachings per team, the rest collective) at both sizes, whose times are the realistic
  ones, and a "growing" one of that size at 1× and 200 teams × 1500 sessions at 10×,
  whose timeline and session list are judged on their query count only. A team member
  (no membership, a seat in the first team of both) is measured with the coordinator.
  The 1× data set is grown into the 10× one in place, so the same users
  request the same URLs at both sizes. ``ANALYZE`` (SQLite) or ``VACUUM ANALYZE``
  (PostgreSQL) runs after each load.
* **Queries.** For each page and role, one warm-up request, then one request inside
  ``CaptureQueriesContext``, at 1× and at 10×. A page passes if it runs at most 20 queries
  and the same number at both sizes; otherwise the repeated or growing SQL is printed.
* **Times.** At 10× data, in this one process, with ``django.test.Client`` logged in with
  ``force_login`` (the database connection stays open between requests, as with a
  persistent connection in production). Server time is ``time.perf_counter()`` around
  ``client.get``. All targets (pages and floors) are requested round-robin, in a new
  random order each round, after warm-up rounds, so that drift (CPU frequency, caches)
  hits every target alike.
* **Floor.** The same user's request to a URL that no route matches
  (``/sillon-bench-introuvable/page/inexistante/``): it goes through the whole middleware
  stack (the organisation middleware finds no route and lets it through) and renders the
  404 page with the base layout. Each identity (coordinator, trainer, observer,
  anonymous) has its own floor; ratios divide a page's median and p95 by its own
  identity's floor **median**.
* **Machine jitter.** A pure-Python CPU loop lasting about the floor is timed in the same
  rounds. On a quiet machine its p95 is within ~1.5× its median; when it exceeds 2× the
  report warns that p95 figures measure the machine (other processes, a hypervisor's
  steal time) rather than Sillon. ``--clock cpu`` times with this process's CPU time
  instead of the wall clock: it ignores other processes of the same system (not a
  hypervisor's steal) and does not see a PostgreSQL server's work.
* **Targets** (docs/architecture.md, "Performance targets"): p95 ÷ floor ≤ 10,
  median ÷ floor ≤ 3, queries ≤ 20 and equal at 1× and 10×. The summary pools every page
  sample, each divided by its identity's floor median, and reports the p95 and the median
  of that pool.

The exit status is 0 when every page meets every target and answers 200, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from harness import configure_django, create_database, p95, progress
from pages_world import (
    BENCH_SLUG,
    OTHER_SLUG,
    ROLES,
    SIZES,
    TEAM_MEMBER,
    TIMED_SIZE,
    World,
    create_world,
    describe_data,
    grow,
)

# Targets from docs/architecture.md, "Performance targets".
MAX_P95_RATIO = 10.0
MAX_MEDIAN_RATIO = 3.0
MAX_QUERIES = 20
# p95 ÷ median of a CPU loop: about 1.1–1.5 on a quiet machine; above this, warn.
MAX_JITTER = 2.0

FLOOR_PATH = "/sillon-bench-introuvable/page/inexistante/"
ANONYMOUS = "anonymous"
IDENTITIES = (*ROLES, TEAM_MEMBER, ANONYMOUS)
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@dataclass(frozen=True)
class Page:
    label: str
    # May name a programme of World.programmes: "/bench/programmes/{fixed}/".
    path: str
    identities: tuple[str, ...]
    # Identities that must get a 404 (checked once, not timed).
    forbidden: tuple[str, ...] = ()
    # A page of the growing programme: judged on its query count only (its times, at
    # 10× = 1500 sessions in one programme, are shown but have no target).
    queries_only: bool = False


PAGES = (
    Page("/", "/", ROLES),
    Page("/<slug>/", f"/{BENCH_SLUG}/", ROLES),
    Page("/<slug>/membres/", f"/{BENCH_SLUG}/membres/", ROLES),
    Page(
        "/<slug>/membres/inviter/",
        f"/{BENCH_SLUG}/membres/inviter/",
        ("coordinator",),
        ("trainer", "observer"),
    ),
    Page(
        "/<slug>/parametres/",
        f"/{BENCH_SLUG}/parametres/",
        ("coordinator",),
        ("trainer", "observer"),
    ),
    Page("/<slug>/journal/", f"/{BENCH_SLUG}/journal/", ("coordinator",), ("trainer", "observer")),
    Page("/compte/", "/compte/", ROLES),
    Page("/auth/login/", "/auth/login/", (ANONYMOUS,)),
    Page(
        "/<slug>/programmes/<id>/ (20×150)",
        f"/{BENCH_SLUG}/programmes/{{fixed}}/",
        ("coordinator", TEAM_MEMBER),
    ),
    Page(
        "/<slug>/programmes/<id>/seances/ (20×150)",
        f"/{BENCH_SLUG}/programmes/{{fixed}}/seances/",
        ("coordinator", TEAM_MEMBER),
    ),
    Page(
        "/<slug>/programmes/<id>/ (growing)",
        f"/{BENCH_SLUG}/programmes/{{growing}}/",
        ("coordinator", TEAM_MEMBER),
        queries_only=True,
    ),
    Page(
        "/<slug>/programmes/<id>/seances/ (growing)",
        f"/{BENCH_SLUG}/programmes/{{growing}}/seances/",
        ("coordinator", TEAM_MEMBER),
        queries_only=True,
    ),
)


@dataclass
class Row:
    """One (page, identity) pair; the floor of an identity is a Row too."""

    label: str
    identity: str
    path: str
    expected_status: int = 200
    is_floor: bool = False
    queries_only: bool = False
    statuses: dict[int, int] = field(default_factory=dict)  # size -> status
    queries: dict[int, list[str]] = field(default_factory=dict)  # size -> SQL
    samples: list[float] = field(default_factory=list)  # seconds, on the chosen clock
    other_samples: list[float] = field(default_factory=list)  # on the other clock
    unexpected: Counter = field(default_factory=Counter)  # status -> times, while timing

    def query_count(self, size: int) -> int | None:
        sql = self.queries.get(size)
        return None if sql is None else len(sql)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return p95(self.samples)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time Sillon's main pages against a floor and count their queries."
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per page and role (200)"
    )
    parser.add_argument("--warmup", type=int, default=20, help="untimed rounds first (20)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL: a database sillon_bench_<pid> is created there and "
        "dropped at the end (default: a temporary SQLite file)",
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: time.perf_counter (default); cpu: this process's CPU time "
        "(time.process_time), steadier on a busy machine but blind to a PostgreSQL "
        "server's own work",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark database and print its URL"
    )
    args = parser.parse_args()
    if args.requests < 20:
        parser.error("--requests must be at least 20 for a p95 to mean something")
    if args.database_url and urlsplit(args.database_url).scheme not in {
        "postgres",
        "postgresql",
    }:
        parser.error("--database-url must be a postgres:// or postgresql:// URL")
    return args


# --------------------------------------------------------------------------- measuring


def make_clients(world: World) -> dict:
    from django.test import Client

    clients = {}
    for identity in IDENTITIES:
        client = Client(raise_request_exception=False)
        if identity != ANONYMOUS:
            client.force_login(world.users[identity], backend=LOGIN_BACKEND)
        clients[identity] = client
    return clients


def make_rows(world: World) -> list[Row]:
    rows = [
        Row("floor (no route: 404)", identity, FLOOR_PATH, expected_status=404, is_floor=True)
        for identity in IDENTITIES
    ]
    rows += [
        Row(page.label, identity, world.path(page), queries_only=page.queries_only)
        for page in PAGES
        for identity in page.identities
    ]
    return rows


def count_queries(rows: list[Row], clients: dict, size: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for row in rows:
        client = clients[row.identity]
        client.get(row.path)  # warm per-process caches (templates, content types)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(row.path)
        row.statuses[size] = response.status_code
        row.queries[size] = [query["sql"] for query in captured.captured_queries]


def check_access(world: World, clients: dict) -> list[str]:
    """Pages a role may not see, and the other tenant, answer 404; no foreign data leaks."""
    problems = []
    for page in PAGES:
        for identity in page.forbidden:
            path = world.path(page)
            status = clients[identity].get(path).status_code
            if status != 404:
                problems.append(f"{identity} GET {path}: {status}, expected 404")
    other_programme = world.programmes["other"]
    for identity in (*ROLES, TEAM_MEMBER):
        for path in (
            f"/{OTHER_SLUG}/programmes/{other_programme}/",
            f"/{OTHER_SLUG}/programmes/{other_programme}/seances/",
            # The other tenant's programme id under the measured organisation's address.
            f"/{BENCH_SLUG}/programmes/{other_programme}/",
        ):
            status = clients[identity].get(path).status_code
            if status != 404:
                problems.append(f"{identity} GET {path} (other tenant): {status}, expected 404")
    for identity in ROLES:
        for path in (f"/{OTHER_SLUG}/", f"/{OTHER_SLUG}/membres/", f"/{OTHER_SLUG}/journal/"):
            status = clients[identity].get(path).status_code
            if status != 404:
                problems.append(f"{identity} GET {path} (other tenant): {status}, expected 404")
        body = clients[identity].get(f"/{BENCH_SLUG}/membres/").content.decode()
        leaked = [email for email in world.other_emails if email in body]
        if leaked:
            problems.append(f"{identity} sees {OTHER_SLUG}'s members: {', '.join(leaked[:3])}")
    return problems


def cpu_loop(iterations: int) -> int:
    """Pure-Python work with no I/O: its spread is the machine's own jitter."""
    total = 0
    for i in range(iterations):
        total += i * i
    return total


def loop_iterations_lasting(seconds: float) -> int:
    probe = 20_000
    fastest = float("inf")
    for _ in range(7):
        start = time.perf_counter()
        cpu_loop(probe)
        fastest = min(fastest, time.perf_counter() - start)
    return max(1, round(probe * seconds / fastest))


def floor_estimate(client) -> float:
    """A first, low estimate of the floor (lower quartile), to size the jitter loop."""
    durations = []
    for index in range(40):
        start = time.perf_counter()
        client.get(FLOOR_PATH)
        if index >= 10:
            durations.append(time.perf_counter() - start)
    return statistics.quantiles(durations, n=4)[0]


def time_requests(
    rows: list[Row],
    clients: dict,
    options: argparse.Namespace,
    jitter: Row,
    loop_iterations: int,
) -> None:
    """Round-robin over every target, in a new random order each round. ``jitter`` runs a
    CPU loop as long as the floor in the same rounds, to show the machine's own noise."""
    timed = [row for row in rows if row.statuses.get(TIMED_SIZE) == row.expected_status]
    order = [*timed, jitter]
    requests, warmup, clock = options.requests, options.warmup, options.clock
    shuffler = random.Random(options.seed)
    gc.collect()
    gc.freeze()  # the set-up's objects would not be in a server process
    for round_number in range(warmup + requests):
        shuffler.shuffle(order)
        keep = round_number >= warmup
        for row in order:
            wall, cpu = time.perf_counter(), time.process_time()
            if row is jitter:
                cpu_loop(loop_iterations)
                status = row.expected_status
            else:
                status = clients[row.identity].get(row.path).status_code
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if keep:
                row.samples.append(wall if clock == "wall" else cpu)
                row.other_samples.append(cpu if clock == "wall" else wall)
                if status != row.expected_status:
                    row.unexpected[status] += 1
        if keep and (round_number - warmup + 1) % 50 == 0:
            progress(f"  {round_number - warmup + 1}/{requests} rounds")
    gc.unfreeze()


# --------------------------------------------------------------------------- report

_LITERAL = re.compile(r"'(?:[^']|'')*'|(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_LIST = re.compile(r"\((?:\?, )+\?\)")


def sql_shape(sql: str) -> str:
    """The query with its literals replaced, so per-row queries compare equal."""
    return _LIST.sub("(…)", _LITERAL.sub("?", sql))


def failures(row: Row, floors: dict[str, Row]) -> list[str]:
    reasons = []
    if row.statuses.get(TIMED_SIZE) != row.expected_status or row.unexpected:
        reasons.append("status")
    if row.samples and not row.queries_only:
        floor = floors[row.identity].median
        if row.p95 / floor > MAX_P95_RATIO:
            reasons.append(f"p95>{MAX_P95_RATIO:g}×")
        if row.median / floor > MAX_MEDIAN_RATIO:
            reasons.append(f"median>{MAX_MEDIAN_RATIO:g}×")
    counts = [row.query_count(size) for size in SIZES]
    if any(count is None or count > MAX_QUERIES for count in counts):
        reasons.append(f"queries>{MAX_QUERIES}")
    if len(set(counts)) > 1:
        reasons.append("queries grow")
    return reasons


def format_table(rows: list[Row], floors: dict[str, Row]) -> str:
    header = (
        "page",
        "role",
        "status",
        "median ms",
        "p95 ms",
        "median/floor",
        "p95/floor",
        "queries@1×",
        "queries@10×",
        "result",
    )
    lines = []
    for row in rows:
        floor = floors[row.identity].median if row.identity in floors else None
        status = str(row.statuses.get(TIMED_SIZE, "—"))
        if row.unexpected:
            status += " (" + ", ".join(f"{s}×{n}" for s, n in row.unexpected.items()) + ")"
        if row.samples and floor:
            timing = (
                f"{row.median * 1000:.2f}",
                f"{row.p95 * 1000:.2f}",
                f"{row.median / floor:.2f}×",
                f"{row.p95 / floor:.2f}×",
            )
        else:
            timing = ("—", "—", "—", "—")
        if row.is_floor:
            ok = row.statuses.get(TIMED_SIZE) == row.expected_status and not row.unexpected
            result = "floor" if ok else "FAIL: status"
        else:
            reasons = failures(row, floors)
            result = "PASS" if not reasons else "FAIL: " + ", ".join(reasons)
            if row.queries_only and not reasons:
                result += " (queries; no time target)"
        counts = tuple(
            "—" if row.query_count(size) is None else str(row.query_count(size)) for size in SIZES
        )
        lines.append((row.label, row.identity, status, *timing, *counts, result))
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    numeric = {2, 3, 4, 5, 6, 7, 8}

    def render(cells) -> str:
        return "  ".join(
            str(cell).rjust(width) if index in numeric else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    separator = "  ".join("-" * width for width in widths)
    body = [render(header), separator]
    for index, line in enumerate(lines):
        if index and rows[index - 1].is_floor and not rows[index].is_floor:
            body.append(separator)
        body.append(render(line))
    return "\n".join(body)


def query_findings(rows: list[Row]) -> list[str]:
    """For each page over the query budget or whose count grows: the SQL that repeats."""
    findings = []
    for row in rows:
        if row.is_floor:
            continue
        counts = [row.query_count(size) for size in SIZES]
        if None in counts or (max(counts) <= MAX_QUERIES and len(set(counts)) == 1):
            continue
        small, large = (Counter(map(sql_shape, row.queries[size])) for size in SIZES)
        findings.append(
            f"{row.label} as {row.identity}: {counts[0]} queries at 1×, {counts[1]} at 10×"
        )
        suspects = sorted(
            (shape for shape in large if large[shape] > 1 or large[shape] != small[shape]),
            key=lambda shape: (large[shape] - small[shape], large[shape]),
            reverse=True,
        )
        for shape in suspects[:5]:
            text = shape if len(shape) <= 300 else shape[:297] + "…"
            findings.append(f"    ×{small[shape]} at 1×, ×{large[shape]} at 10×: {text}")
    return findings


def pooled_ratios(rows: list[Row], attribute: str) -> tuple[float, float] | None:
    """(p95, median) of every page sample divided by its user's floor median."""
    floors = {
        row.identity: statistics.median(getattr(row, attribute))
        for row in rows
        if row.is_floor and getattr(row, attribute)
    }
    pooled = [
        sample / floors[row.identity]
        for row in rows
        if not row.is_floor and not row.queries_only and row.identity in floors
        for sample in getattr(row, attribute)
    ]
    if len(pooled) < 20:
        return None
    return (
        statistics.quantiles(pooled, n=20, method="inclusive")[18],
        statistics.median(pooled),
    )


def summary(rows: list[Row], floors: dict[str, Row], clock: str) -> tuple[str, bool]:
    ratios = pooled_ratios(rows, "samples")
    if ratios is None:
        return "No page could be timed.", False
    p95, median = ratios
    ok = p95 <= MAX_P95_RATIO and median <= MAX_MEDIAN_RATIO
    lines = [
        f"All pages ({clock} clock), each sample ÷ its user's floor median: p95 {p95:.2f}× "
        f"(target ≤ {MAX_P95_RATIO:g}×), median {median:.2f}× (target ≤ "
        f"{MAX_MEDIAN_RATIO:g}×) — {'PASS' if ok else 'FAIL'}"
    ]
    other = pooled_ratios(rows, "other_samples")
    if other is not None:
        other_clock = "cpu" if clock == "wall" else "wall"
        lines.append(
            f"Same on the {other_clock} clock, for comparison: p95 {other[0]:.2f}×, "
            f"median {other[1]:.2f}×"
        )
    floor_text = ", ".join(
        f"{identity} {floors[identity].median * 1000:.2f} ms" for identity in IDENTITIES
    )
    lines.append(
        f"Floor medians ({FLOOR_PATH}: no route matches, whole middleware stack, 404 page "
        f"with the base layout): {floor_text}"
    )
    return "\n".join(lines), ok


def jitter_report(jitter: Row, loads: tuple[float, float]) -> str:
    spread = jitter.p95 / jitter.median
    lines = [
        f"Machine jitter: a pure-Python CPU loop sized to last about the floor "
        f"({jitter.median * 1000:.2f} ms median), timed in the same rounds, has p95 = "
        f"{spread:.2f}× its median (load average {loads[0]:.1f} before, {loads[1]:.1f} "
        f"after, {os.cpu_count()} CPUs)."
    ]
    if spread > MAX_JITTER:
        lines.append(
            f"Warning: above {MAX_JITTER:g}×, the machine itself (other processes, a "
            "hypervisor's steal time) inflates every p95 here: p95 verdicts measure the "
            "machine, not Sillon. Rerun on a quiet machine; medians and query counts stand."
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    database_url, drop_database = create_database(args.database_url)
    try:
        configure_django(database_url)
        import factory.random
        from django.core import mail
        from django.core.management import call_command
        from django.db import connection, connections
        from django.urls import Resolver404, resolve

        try:
            resolve(FLOOR_PATH)
        except Resolver404:
            pass
        else:
            raise SystemExit(f"{FLOOR_PATH} resolves to a view: pick another floor path")

        progress(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        call_command("migrate", verbosity=0, interactive=False)
        factory.random.reseed_random(args.seed)
        random.seed(args.seed)
        world = create_world()
        clients = make_clients(world)
        rows = make_rows(world)
        for size in SIZES:
            grow(world, size)
            progress(f"{size}× data: {describe_data()}")
            count_queries(rows, clients, size)
        progress(f"invitation e-mails sent to locmem: {len(getattr(mail, 'outbox', []))}")
        access_problems = check_access(world, clients)
        progress(
            f"timing at {TIMED_SIZE}× data: {args.warmup} warm-up + {args.requests} rounds "
            f"of {len(rows)} requests"
        )
        jitter = Row("machine jitter", "—", "", expected_status=0)
        loop_iterations = loop_iterations_lasting(floor_estimate(clients["coordinator"]))
        loads = (os.getloadavg()[0], 0.0)
        time_requests(rows, clients, args, jitter, loop_iterations)
        loads = (loads[0], os.getloadavg()[0])

        floors = {row.identity: row for row in rows if row.is_floor}
        missing = [identity for identity, row in floors.items() if not row.samples]
        if missing:
            print(f"The floor did not answer 404 for: {', '.join(missing)}")
            return 1
        print(
            f"\nSillon page benchmark — {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {args.requests} requests per row after "
            f"{args.warmup} warm-up rounds; {args.clock} clock; times at {TIMED_SIZE}× "
            "data; ratios ÷ the same user's floor median.\n"
        )
        print(format_table(rows, floors))
        text, overall_ok = summary(rows, floors, args.clock)
        print()
        print(text)
        print(jitter_report(jitter, loads))
        findings = query_findings(rows)
        if findings:
            print("\nQuery counts over budget or growing with the data:")
            print("\n".join(findings))
        if access_problems:
            print("\nAccess checks FAILED:")
            print("\n".join(f"    {problem}" for problem in access_problems))
        else:
            print(
                "\nAccess checks: pages a role may not use and the other tenant's pages "
                "answer 404; no member of the other tenant is shown."
            )
        failed = [row for row in rows if not row.is_floor and failures(row, floors)]
        connections.close_all()
        if args.keep:
            print(f"\nDatabase kept: {database_url}")
        return 0 if overall_ok and not failed and not access_problems else 1
    finally:
        if not args.keep:
            try:
                from django.db import connections

                connections.close_all()
            except Exception as error:  # Django may not be set up if set-up failed
                progress(f"closing connections: {error}")
            drop_database()


if __name__ == "__main__":
    sys.exit(main())
