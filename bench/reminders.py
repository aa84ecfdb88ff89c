"""The reminder scan's time and query count at 1× and 10× data (docs/architecture.md:
"the reminder scan's query count does not grow with the data").

Run it from the repository root::

    .venv/bin/python bench/reminders.py                       # throwaway SQLite file
    .venv/bin/python bench/reminders.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (a throwaway database, production-like
  settings, Celery eager, mail to locmem).
* **Data.** One organisation (Europe/Paris), one published programme, a cohort of
  20 teams × 3 members at **1×** and 200 teams × 3 at **10×**, 33 cohort-wide sessions
  (one a day at 09:30 from 1 to 33 days after the scan day, each with a facilitator):
  about 2 000 then 20 000 expected participations. Teams, members and sessions are
  bulk-inserted; ``ANALYZE`` / ``VACUUM ANALYZE`` after each load.
* **Scans.** At 09:30 Paris time on the scan day, the J-1 of the next day's session and
  the J-7 of the session a week ahead are due (2 sessions × 61 people at 1×, × 601 at
  10×). Each measured scan runs inside a transaction that is rolled back afterwards, so
  the same scan can be repeated (the e-mails are written to the outbox but not
  delivered: delivery is another task). Reported: the median of ``--repeat`` runs, the
  queries of one run, the time per due reminder; then the same for a scan with nothing
  due (09:35, after the due reminders were claimed for real by a first scan) and the
  query count of the planning alone (``rule.due``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    analyze,
    configure_django,
    create_database,
    progress,
)

TEAMS = 20
MEMBERS = 3
SESSIONS = 33
SIZES = (1, 10)
PARIS = ZoneInfo("Europe/Paris")
SCAN_DAY = date(2027, 3, 1)


class Rollback(Exception):
    pass


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite file)")
    parser.add_argument("--repeat", type=int, default=5, help="timed scans per size (5)")
    return parser.parse_args()


def create_world():
    from django.contrib.auth.hashers import make_password
    from django_scopes import scopes_disabled

    from accounts.models import User
    from organisations.models import Membership, Organisation, Role
    from parcours.models import Cohort, Programme, Session, SessionKind, TeamRole

    with scopes_disabled():
        organisation = Organisation.objects.create(name="Région Bench", slug="bench")
        coordinator = User.objects.create(email="coordination@bench.example")
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
        cohort = Cohort.objects.create(organisation=organisation, programme=programme, name="P")
        roles = [
            TeamRole.objects.create(
                organisation=organisation, programme=programme, name=f"Rôle {i}", order=i
            )
            for i in range(MEMBERS)
        ]
        kind = SessionKind.objects.create(
            organisation=organisation, programme=programme, name="Formation"
        )
        facilitator = User.objects.create(
            email="intervenant@bench.example", password=make_password(None)
        )
        sessions = Session.objects.bulk_create(
            Session(
                organisation=organisation,
                programme=programme,
                kind=kind,
                title=f"Séance {day}",
                starts_at=datetime.combine(
                    SCAN_DAY + timedelta(days=day), datetime.min.time(), PARIS
                ).replace(hour=9, minute=30),
                ends_at=datetime.combine(
                    SCAN_DAY + timedelta(days=day), datetime.min.time(), PARIS
                ).replace(hour=12, minute=30),
                visio_url="https://visio.example/s",
            )
            for day in range(1, SESSIONS + 1)
        )
        Session.facilitators.through.objects.bulk_create(
            Session.facilitators.through(session_id=session.pk, user_id=facilitator.pk)
            for session in sessions
        )
    return {"organisation": organisation, "cohort": cohort, "roles": roles}


def grow(world, factor: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django_scopes import scopes_disabled

    from accounts.models import User
    from parcours.models import Team, TeamMember

    organisation, cohort, roles = world["organisation"], world["cohort"], world["roles"]
    with scopes_disabled():
        existing = Team.objects.filter(cohort=cohort).count()
        teams = Team.objects.bulk_create(
            Team(organisation=organisation, cohort=cohort, name=f"Équipe {i:04d}")
            for i in range(existing, TEAMS * factor)
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            User(email=f"t{team.name[-4:]}-{seat}@bench.example", password=password)
            for team in teams
            for seat in range(MEMBERS)
        )
        seats = iter(users)
        TeamMember.objects.bulk_create(
            TeamMember(organisation=organisation, team=team, user=next(seats), role=role)
            for team in teams
            for role in roles
        )


def participations() -> int:
    from django_scopes import scopes_disabled

    from parcours.models import Session, TeamMember

    with scopes_disabled():
        members = TeamMember.objects.count()
        sessions = Session.objects.count()
    return (members + 1) * sessions


def measured_scan(now, *, keep: bool = False):
    """(seconds, queries, result) of one scan at ``now``, rolled back unless ``keep``."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from notifications.scan import scan

    outcome = {}
    connection.queries_log.clear()  # a deque of 9000: a longer run would be cut
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            outcome["result"] = scan(now)
            outcome["seconds"] = time.perf_counter() - started
            if not keep:
                raise Rollback
    except Rollback:
        pass
    return outcome["seconds"], context.captured_queries, outcome["result"]


def planning_queries(now) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.reminders import registered_rules
    from notifications.scan import LOOKBACK

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as context:
        for rule in registered_rules().values():
            rule.due(now - LOOKBACK, now)
    return len(context.captured_queries)


def shape(sql: str) -> str:
    return sql.split(" WHERE ")[0][:90]


def main() -> int:
    options = parse_args()
    database_url, drop = create_database(options.database_url)
    try:
        configure_django(database_url)
        from django.core.management import call_command

        progress("migrating")
        call_command("migrate", verbosity=0)
        world = create_world()
        due_moment = datetime.combine(SCAN_DAY, datetime.min.time(), PARIS).replace(
            hour=9, minute=30
        )
        rows = []
        for factor in SIZES:
            progress(f"loading {factor}×")
            grow(world, factor)
            analyze()
            measured_scan(due_moment)  # warm-up (template loading, imports)
            runs = [measured_scan(due_moment) for _ in range(options.repeat)]
            seconds = statistics.median(run[0] for run in runs)
            queries = runs[0][1]
            result = runs[0][2]
            # Claim for real, then a scan with everything already claimed, and one idle.
            measured_scan(due_moment, keep=True)
            claimed_seconds, claimed_queries, claimed = measured_scan(
                due_moment + timedelta(minutes=5)
            )
            idle_seconds, idle_queries, _idle = measured_scan(due_moment + timedelta(hours=7))
            rows.append(
                {
                    "factor": factor,
                    "participations": participations(),
                    "due": result.claimed,
                    "written": result.written,
                    "seconds": seconds,
                    "queries": len(queries),
                    "shapes": Counter(shape(query["sql"]) for query in queries),
                    "planning": planning_queries(due_moment),
                    "again_seconds": claimed_seconds,
                    "again_queries": len(claimed_queries),
                    "again_claimed": claimed.claimed,
                    "idle_seconds": idle_seconds,
                    "idle_queries": len(idle_queries),
                }
            )
            # Undo the real claims so the next size starts from the same state.
            from django_scopes import scopes_disabled

            from notifications.models import Notification, OutboxMessage, ReminderLog

            with scopes_disabled():
                ReminderLog.objects.all().delete()
                OutboxMessage.objects.all().delete()
                Notification.objects.all().delete()
    finally:
        drop()

    from django.db import connection

    print(f"\nReminder scan — {connection.vendor}, median of {options.repeat} scans\n")
    header = (
        "| data | participations | due reminders | scan (ms) | ms / due reminder | queries "
        "| planning queries | scan again: queries, ms | nothing due: queries, ms |"
    )
    print(header)
    print("|" + "---|" * 9)
    for row in rows:
        print(
            f"| {row['factor']}× | {row['participations']} | {row['due']} "
            f"| {row['seconds'] * 1000:.0f} | {row['seconds'] * 1000 / max(row['due'], 1):.2f} "
            f"| {row['queries']} | {row['planning']} "
            f"| {row['again_queries']}, {row['again_seconds'] * 1000:.0f} "
            f"| {row['idle_queries']}, {row['idle_seconds'] * 1000:.0f} |"
        )
    first, last = rows[0], rows[-1]
    print()
    if first["queries"] == last["queries"]:
        print(f"Query count: {first['queries']} at 1× and 10× — constant.")
        status = 0
    else:
        print(
            f"Query count GROWS: {first['queries']} at 1×, {last['queries']} at 10×. "
            "Repeated statements at 10×:"
        )
        for sql, count in last["shapes"].most_common(5):
            if count > first["shapes"].get(sql, 0):
                print(f"  {count}× (1×: {first['shapes'].get(sql, 0)}×) {sql}")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
