"""Page timings and query counts of Sillon's main pages, against ARCHITECTURE.md's targets.

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
* **Targets** (ARCHITECTURE.md, "Performance targets"): p95 ÷ floor ≤ 10, median ÷ floor
  ≤ 3, queries ≤ 20 and equal at 1× and 10×. The summary pools every page sample, each
  divided by its identity's floor median, and reports the p95 and the median of that pool.

The exit status is 0 when every page meets every target and answers 200, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from parcours import services
from sondages import services as poll_services

REPO_ROOT = Path(__file__).resolve().parent.parent

# Targets from ARCHITECTURE.md, "Performance targets".
MAX_P95_RATIO = 10.0
MAX_MEDIAN_RATIO = 3.0
MAX_QUERIES = 20
# p95 ÷ median of a CPU loop: about 1.1–1.5 on a quiet machine; above this, warn.
MAX_JITTER = 2.0

# Data at 1×; 10× multiplies every number.
MEMBERS = 5
PENDING_INVITATIONS = 3
CLOSED_INVITATIONS = 1  # of each kind: expired, revoked
AUDIT_ENTRIES = 20
PARTNER_ORGANISATIONS = 1
# Programme pages: a cohort of 20 teams (trinômes) and 150 sessions, of which 4
# individual coachings per team and the rest collective. The "fixed" programme keeps that
# size (its times are the realistic ones); the "growing" one has it at 1× and ten times
# it at 10× (200 teams, 1500 sessions): its query count must not move.
PROGRAMME_TEAMS = 20
PROGRAMME_SESSIONS = 150
INDIVIDUAL_PER_TEAM = 4
PROGRAMME_PHASES = ((0, 4), (5, 9), (10, 14), (15, 19), (20, 23))  # months of the parcours
SIZES = (1, 10)
TIMED_SIZE = 10

BENCH_SLUG = "bench"
OTHER_SLUG = "voisine"
FLOOR_PATH = "/sillon-bench-introuvable/page/inexistante/"
ROLES = ("coordinator", "trainer", "observer")
# A member of a team of both measured programmes (no membership of the organisation).
TEAM_MEMBER = "team_member"
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


# --------------------------------------------------------------------------- set-up


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


def progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def captured_sql(client, path: str, *, expected: int = 200) -> list[str]:
    """The SQL of one request to ``path`` after a warm-up request (so caches are as a
    returning user finds them); stops the benchmark if the page does not answer
    ``expected``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    if response.status_code != expected:
        raise SystemExit(f"{path} answered {response.status_code}")
    return [query["sql"] for query in context.captured_queries]


def time_rounds(client, targets: list[tuple[str, list[float]]], args) -> None:
    """``args.warmup`` untimed then ``args.requests`` timed rounds over ``targets``
    ((path, samples) pairs, shuffled each round so no page always follows another),
    each duration appended to its samples, on the clock ``args.clock`` chose."""
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    order = list(targets)
    for round_number in range(args.warmup + args.requests):
        random.shuffle(order)
        for path, samples in order:
            start = clock()
            client.get(path)
            elapsed = clock() - start
            if round_number >= args.warmup:
                samples.append(elapsed)


def create_database(server_url: str | None) -> tuple[str, Callable[[], None]]:
    """Return (DATABASE_URL, drop) for a database of our own."""
    if server_url is None:
        handle, path = tempfile.mkstemp(prefix="sillon-bench-", suffix=".sqlite3")
        os.close(handle)

        def drop_sqlite() -> None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(path + suffix).unlink(missing_ok=True)

        return f"sqlite:///{path}", drop_sqlite

    import psycopg
    from psycopg import sql

    name = f"sillon_bench_{os.getpid()}"
    parts = urlsplit(server_url)
    admin_url = (
        server_url if parts.path.strip("/") else urlunsplit(parts._replace(path="/postgres"))
    )
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop_postgres() -> None:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    return urlunsplit(parts._replace(path=f"/{name}")), drop_postgres


def bench_parser(
    description: str, *, requests: int | None = 30, warmup: int = 5, warmup_of: str = "rounds"
) -> argparse.ArgumentParser:
    """The options the focused benchmark scripts share (``--database-url``, ``--requests``
    when they time pages, ``--warmup``, ``--seed``, ``--clock``); a script adds its own
    and calls ``parse_args()``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite file)")
    if requests is not None:
        parser.add_argument(
            "--requests",
            type=int,
            default=requests,
            help=f"timed requests per page ({requests})",
        )
    parser.add_argument(
        "--warmup", type=int, default=warmup, help=f"untimed {warmup_of} first ({warmup})"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: time.perf_counter (default); cpu: this process's CPU time, steadier "
        "on a busy machine but blind to a PostgreSQL server's own work",
    )
    return parser


@contextmanager
def bench_database(server_url: str | None, *, seed: int) -> Iterator[None]:
    """A database of our own (SQLite file, or ``sillon_bench_<pid>`` on a server), Django
    set up on it and migrated, factory_boy reseeded; every connection closed and the
    database dropped at the end, even when set-up failed."""
    database_url, drop_database = create_database(server_url)
    try:
        configure_django(database_url)
        import factory.random
        from django.core.management import call_command
        from django.db import connection

        progress(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        call_command("migrate", verbosity=0, interactive=False)
        factory.random.reseed_random(seed)
        yield
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # Django may not be set up if set-up failed
            progress(f"closing connections: {error}")
        drop_database()


def configure_django(database_url: str) -> None:
    """Production-like settings through the environment sillon/settings.py reads."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "sillon.settings",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "DEBUG": "0",
            "SECRET_KEY": "sillon-bench-dummy-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Every 404 (the floor) would log a warning.
            "LOG_LEVEL": "ERROR",
        }
    )
    # No broker, so Celery runs tasks eagerly.
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(REPO_ROOT))
    # WhiteNoise warns that STATIC_ROOT (collectstatic's output) does not exist.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)

    from django.test.utils import override_settings

    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()

    from django.conf import settings

    from sillon.celery import app as celery_app

    assert not settings.DEBUG
    assert celery_app.conf.task_always_eager, "Celery must run eagerly (no broker)"
    assert settings.MAILERS["default"]["BACKEND"].endswith("locmem.EmailBackend")
    assert not settings.SCOPES_DISABLED


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --------------------------------------------------------------------------- data


@dataclass
class World:
    users: dict  # identity -> User (the measured users, all in BENCH_SLUG)
    coordinators: dict  # slug -> the coordinator who invites there
    other_emails: list[str]  # members of OTHER_SLUG, which must never appear
    # "fixed", "growing" (BENCH_SLUG) and "other" (OTHER_SLUG) -> programme id
    programmes: dict = field(default_factory=dict)

    def path(self, page: Page) -> str:
        return page.path.format(**self.programmes)


TRINOME = (
    ("Élu·e référent·e", True),
    ("Chargé·e de mission", True),
    ("Responsable de service", False),
)


def create_pat_programme(roles=TRINOME):
    """The organisation "bench" with its coordinator and a published PAT programme: one
    cohort, the trinôme's roles, a kind "Formation". Called inside a transaction;
    returns a namespace (organisation, coordinator, programme, cohort, roles, kind) whose
    ORM objects are used inside ``scope(organisation=…)``."""
    from datetime import date
    from types import SimpleNamespace

    from django_scopes import scope

    from organisations import services
    from organisations.models import Membership, Role
    from parcours.models import Cohort, Programme, SessionKind, TeamRole
    from tests.factories import UserFactory

    organisation = services.create_organisation(name="Région Bench", slug="bench")
    with scope(organisation=organisation.pk):
        coordinator = UserFactory(email="coordination@bench.example")
        Membership.objects.create(
            organisation=organisation, user=coordinator, role=Role.COORDINATOR
        )
        programme = Programme.objects.create(
            organisation=organisation,
            name="Gouvernance des PAT",
            start_date=date(2026, 6, 1),
            end_date=date(2028, 5, 31),
            status=Programme.Status.PUBLISHED,
        )
        cohort = Cohort.objects.create(
            organisation=organisation, programme=programme, name="Promotion 2026–2028"
        )
        role_rows = [
            TeamRole.objects.create(
                organisation=organisation,
                programme=programme,
                name=name,
                required=required,
                order=order,
            )
            for order, (name, required) in enumerate(roles)
        ]
        kind = SessionKind.objects.create(
            organisation=organisation, programme=programme, name="Formation"
        )
    return SimpleNamespace(
        organisation=organisation,
        coordinator=coordinator,
        programme=programme,
        cohort=cohort,
        roles=role_rows,
        kind=kind,
    )


def create_programme(organisation, coordinator, name: str):
    """A published programme with the trinôme roles and five phases, no e-mail sent."""
    from datetime import date

    pass
    from parcours.models import Phase

    programme = services.create_programme(
        organisation=organisation,
        acting_user=coordinator,
        name=name,
        start_date=date(2026, 6, 1),
        end_date=date(2028, 5, 31),
        team_roles="pat",
    )
    for order, (start, end) in enumerate(PROGRAMME_PHASES):
        services.save_phase(
            phase=Phase(
                programme=programme,
                name=f"Phase {order + 1}",
                order=order,
                start_month=start,
                end_month=end,
            ),
            acting_user=coordinator,
        )
    return services.publish_programme(programme=programme, acting_user=coordinator, notify=False)


def fill_programme(programme, factor: int, *, facilitator, team_member=None) -> None:
    """Grow ``programme`` to ``factor``× PROGRAMME_TEAMS teams of three and
    PROGRAMME_SESSIONS sessions (INDIVIDUAL_PER_TEAM per team, the rest collective:
    mostly cohort-wide, some for a few teams or one role; some tentative or cancelled),
    with bulk inserts. ``team_member`` takes the second seat of the first team.
    Idempotent: only what is missing is added."""
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from parcours.models import (
        Phase,
        Session,
        SessionFormat,
        SessionKind,
        Team,
        TeamMember,
        TeamRole,
    )

    organisation = programme.organisation
    zone = ZoneInfo(organisation.time_zone)
    cohort = programme.cohorts.get()
    roles = list(TeamRole.objects.filter(programme=programme).order_by("order"))
    kinds = list(SessionKind.objects.filter(programme=programme).order_by("order"))
    individual_kind = next(kind for kind in kinds if kind.is_individual)
    collective_kinds = [kind for kind in kinds if not kind.is_individual]
    phases = list(Phase.objects.filter(programme=programme).order_by("order"))
    prefix = f"p{programme.pk}"

    existing = Team.objects.filter(cohort=cohort).count()
    new_teams = Team.objects.bulk_create(
        Team(organisation=organisation, cohort=cohort, name=f"Équipe {i + 1:03d}")
        for i in range(existing, PROGRAMME_TEAMS * factor)
    )
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}-t{team.name[-3:]}-{seat}@bench.example",
            first_name=f"Membre {seat + 1}",
            last_name=team.name,
            password=make_password(None),  # unusable: never logs in
        )
        for team in new_teams
        for seat in range(len(roles))
    )
    seats = iter(users)
    members = []
    for team in new_teams:
        for seat, role in enumerate(roles):
            user = next(seats)
            if team_member is not None and team.name.endswith("001") and seat == 1:
                user = team_member
            members.append(TeamMember(organisation=organisation, team=team, user=user, role=role))
    TeamMember.objects.bulk_create(members)
    teams = list(Team.objects.filter(cohort=cohort).order_by("name"))

    start = datetime.combine(programme.start_date, time(), zone)
    days = (programme.end_date - programme.start_date).days

    def when(index: int) -> tuple[datetime, datetime]:
        # Spread over the programme; 9 h 30 or 14 h, 3 hours, in local time.
        day = start + timedelta(days=(index * 7919) % days)
        hour = (9, 30) if index % 2 else (14, 0)
        begin = day.replace(hour=hour[0], minute=hour[1])
        return begin, begin + timedelta(hours=3)

    def phase_for(moment: datetime):
        day = moment.astimezone(zone).date()
        return next((phase for phase in phases if phase.starts_on <= day <= phase.ends_on), None)

    sessions = []
    session_teams = []  # (session index in ``sessions``, [teams])
    statuses = [Session.Status.SCHEDULED] * 6 + [Session.Status.TENTATIVE, Session.Status.CANCELLED]
    formats = [SessionFormat.REMOTE, SessionFormat.IN_PERSON, SessionFormat.HYBRID]

    def session(index: int, **fields) -> Session:
        begin, end = when(index)
        session_format = formats[index % len(formats)]
        return Session(
            organisation=organisation,
            programme=programme,
            phase=phase_for(begin),
            starts_at=begin,
            ends_at=end,
            format=session_format,
            place="" if session_format == SessionFormat.REMOTE else "Salle des fêtes, Lille",
            visio_url=""
            if session_format == SessionFormat.IN_PERSON
            else "https://visio.example/s",
            status=statuses[index % len(statuses)],
            objectives="Objectifs de la séance.",
            **fields,
        )

    audiences = (Session.Audience.COHORT, Session.Audience.TEAMS)
    collective = Session.objects.filter(programme=programme, audience__in=audiences).count()
    collective_target = (PROGRAMME_SESSIONS - PROGRAMME_TEAMS * INDIVIDUAL_PER_TEAM) * factor
    for i in range(collective, collective_target):
        fields = {"kind": collective_kinds[i % len(collective_kinds)], "title": f"Séance {i + 1}"}
        if i % 10 == 3:
            fields["audience"] = Session.Audience.TEAMS
            session_teams.append((len(sessions), [teams[(i + k) % len(teams)] for k in range(3)]))
        if i % 7 == 5:
            fields["expected_presence"] = Session.Presence.ONE_ROLE
            fields["expected_role"] = roles[1]
        sessions.append(session(i, **fields))
    for index, team in enumerate(teams[existing:], start=existing):
        for n in range(INDIVIDUAL_PER_TEAM):
            session_teams.append((len(sessions), [team]))
            sessions.append(
                session(
                    collective_target + index * INDIVIDUAL_PER_TEAM + n,
                    kind=individual_kind,
                    title=f"Accompagnement individuel n°{n + 1} — {team.name}",
                    audience=Session.Audience.TEAM,
                )
            )
    sessions = Session.objects.bulk_create(sessions)
    Session.teams.through.objects.bulk_create(
        Session.teams.through(session_id=sessions[index].pk, team_id=team.pk)
        for index, team_list in session_teams
        for team in team_list
    )
    Session.facilitators.through.objects.bulk_create(
        Session.facilitators.through(session_id=item.pk, user_id=facilitator.pk)
        for item in sessions
    )


def create_world():
    from django.db import transaction
    from django_scopes import scope

    from organisations import services
    from organisations.models import Role
    from tests.factories import MembershipFactory, UserFactory

    names = {
        "coordinator": ("Camille", "Coordinatrice"),
        "trainer": ("Thomas", "Formateur"),
        "observer": ("Olivia", "Observatrice"),
    }
    with transaction.atomic():
        bench = services.create_organisation(name="Organisation mesurée", slug=BENCH_SLUG)
        other = services.create_organisation(name="Organisation voisine", slug=OTHER_SLUG)
        users = {}
        with scope(organisation=bench.pk):
            for role in ROLES:
                first, last = names[role]
                users[role] = UserFactory(
                    email=f"{role}@bench.example", first_name=first, last_name=last
                )
                MembershipFactory(organisation=bench, user=users[role], role=Role(role))
        with scope(organisation=other.pk):
            other_coordinator = MembershipFactory(
                organisation=other,
                role=Role.COORDINATOR,
                user__email="coordination@voisine.example",
            ).user
        users[TEAM_MEMBER] = UserFactory(
            email="team_member@bench.example", first_name="Margaux", last_name="Trinôme"
        )
        programmes = {}
        with scope(organisation=bench.pk):
            for key in ("fixed", "growing"):
                programme = create_programme(bench, users["coordinator"], f"Parcours {key}")
                fill_programme(
                    programme, 1, facilitator=users["trainer"], team_member=users[TEAM_MEMBER]
                )
                programmes[key] = programme.pk
        with scope(organisation=other.pk):
            programme = create_programme(other, other_coordinator, "Parcours voisin")
            fill_programme(programme, 1, facilitator=other_coordinator)
            programmes["other"] = programme.pk
    return World(
        users=users,
        coordinators={BENCH_SLUG: users["coordinator"], OTHER_SLUG: other_coordinator},
        other_emails=[],
        programmes=programmes,
    )


def grow(world: World, factor: int) -> None:
    """Add what is missing for the data set at ``factor``× (idempotent)."""
    from django.db import transaction
    from django_scopes import scope, scopes_disabled

    from organisations import services
    from organisations.models import AuditEntry, Invitation, Membership, Organisation, Role
    from parcours.models import Programme
    from tests.factories import InvitationFactory, MembershipFactory

    filler_roles = (Role.TRAINER, Role.OBSERVER, Role.TRAINER, Role.COORDINATOR)
    actions = (
        services.Action.MEMBER_ROLE_CHANGED,
        services.Action.INVITATION_RESENT,
        services.Action.ORGANISATION_UPDATED,
        services.Action.MEMBER_REMOVED,
    )
    with transaction.atomic():
        for organisation in Organisation.objects.filter(slug__in=[BENCH_SLUG, OTHER_SLUG]):
            slug = organisation.slug
            coordinator = world.coordinators[slug]
            with scope(organisation=organisation.pk):
                memberships = Membership.objects.filter(organisation=organisation)
                for i in range(memberships.count(), MEMBERS * factor):
                    MembershipFactory(organisation=organisation, role=filler_roles[i % 4])
                invitations = Invitation.objects.filter(organisation=organisation)
                for i in range(invitations.pending().count(), PENDING_INVITATIONS * factor):
                    services.invite_member(
                        organisation=organisation,
                        email=f"invitee-{i}@{slug}.example",
                        role=filler_roles[i % 4],
                        acting_user=coordinator,
                    )
                for kind in ("expired", "revoked"):
                    existing = invitations.filter(email__startswith=f"{kind}-").count()
                    for i in range(existing, CLOSED_INVITATIONS * factor):
                        InvitationFactory(
                            organisation=organisation,
                            email=f"{kind}-{i}@{slug}.example",
                            invited_by=coordinator,
                            **{kind: True},
                        )
                actors = [m.user for m in memberships.select_related("user")[:8]] + [None]
                entries = AuditEntry.objects.filter(organisation=organisation)
                for i in range(entries.count(), AUDIT_ENTRIES * factor):
                    poll_services.record(
                        organisation=organisation,
                        actor=actors[i % len(actors)],
                        action=actions[i % len(actions)],
                        target=f"objet {i}",
                        index=i,
                    )
                if slug == OTHER_SLUG:
                    world.other_emails = list(memberships.values_list("user__email", flat=True))
        with scopes_disabled():
            partners = Organisation.objects.filter(slug__startswith="partenaire-").count()
        for i in range(partners, PARTNER_ORGANISATIONS * factor):
            partner = services.create_organisation(
                name=f"Partenaire {i + 1:02d}", slug=f"partenaire-{i + 1:02d}"
            )
            with scope(organisation=partner.pk):
                for role in ROLES:
                    MembershipFactory(organisation=partner, user=world.users[role], role=Role(role))
                MembershipFactory(organisation=partner, role=Role.COORDINATOR)
        bench = Organisation.objects.get(slug=BENCH_SLUG)
        with scope(organisation=bench.pk):
            fill_programme(
                Programme.objects.get(pk=world.programmes["growing"]),
                factor,
                facilitator=world.users["trainer"],
                team_member=world.users[TEAM_MEMBER],
            )
    analyze()


def describe_data() -> str:
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from accounts.models import User
    from organisations.models import AuditEntry, Invitation, Membership, Organisation
    from parcours.models import Programme

    with scopes_disabled():
        bench = Organisation.objects.get(slug=BENCH_SLUG)
        programmes = "; ".join(
            f"programme {programme.name!r}: {programme.teams} teams, "
            f"{programme.session_count} sessions"
            for programme in Programme.objects.filter(organisation=bench)
            .annotate(
                teams=Count("cohorts__teams", distinct=True),
                session_count=Count("sessions", distinct=True),
            )
            .order_by("name")
        )
        return (
            f"{Organisation.objects.count()} organisations, {User.objects.count()} users; "
            f"{BENCH_SLUG}: {Membership.objects.filter(organisation=bench).count()} members, "
            f"{Invitation.objects.filter(organisation=bench).pending().count()} pending "
            f"invitations, {AuditEntry.objects.filter(organisation=bench).count()} journal "
            f"entries; the measured users belong to "
            f"{Membership.objects.filter(user__email='coordinator@bench.example').count()} "
            f"organisations; {programmes}"
        )


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
