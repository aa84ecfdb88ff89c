"""The PDF syntheses (issue 24): the programme synthesis for 8 teams over two years of
demo-like data and for 80 teams (10×), and the cohort's ZIP of 80 team journey reports.

Run it from the repository root::

    .venv/bin/python bench/syntheses.py                       # throwaway SQLite file
    .venv/bin/python bench/syntheses.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (``harness.py``: a throwaway
  database, production-like settings, scopes on).
* **Data**: the world of ``tests/documents/test_synthesis_figures.synthesis_world``
  with 8 teams (sessions held, cancelled, moved, added, internal and to be dated;
  satisfaction campaigns à chaud and à froid with answers, one anonymous under its
  threshold; a T0 / T1 self-diagnostic grid; action plans; a CODEV group with a case),
  then two years of sessions: 40 plenary days every ~18 days from two years ago, each
  with a recorded morning and afternoon for every member of every team
  (bulk-inserted, 85 % present). **10×**: 72 more teams (each with its members, a
  recorded half-day, a T0 answer and an action, ``add_teams``), their two years of
  attendance bulk-inserted too, then ``ANALYZE``.
* **Programme synthesis**: ``documents.syntheses.programme_pdf.build_programme_synthesis``
  on a fresh ``Document`` row, as the pipeline calls it (``progress`` a no-op), after one
  warm-up build: its time (``time.perf_counter``), its queries
  (``CaptureQueriesContext``: the count must be the same at 8 and 80 teams) and the
  peak of Python's allocations (``tracemalloc``; the C libraries' memory — Pango,
  HarfBuzz — is not in it).
* **Cohort ZIP**: ``build_team_reports`` for the 80 teams (one PDF written to the
  archive after another). Peak memory: Linux's peak resident set size of this process
  (``VmHWM``), reset just before through ``/proc/self/clear_refs``, minus the resident
  size just before (as ``bench/attestations.py``): the target is an increase under
  300 MB (the absolute peak, which counts this process's whole world of 80 teams and the
  fonts already loaded, is printed too).

The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import REPO_ROOT, analyze, bench_database, bench_parser, progress

MAX_ZIP_PEAK_MB = 300
SESSIONS = 40


def rss_kb(field_name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field_name} not in /proc/self/status")


def reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def two_years(world, teams, rng: random.Random) -> int:
    """SESSIONS plenary days over two years, every member of ``teams`` recorded morning
    and afternoon; the number of attendance rows."""
    from django.utils import timezone

    from parcours.models import Session, TeamMember
    from presences.models import Attendance
    from tests.factories import SessionFactory

    now = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    sessions = list(
        Session.objects.filter(programme=world.programme, title__startswith="Journée plénière")
    )
    if not sessions:
        sessions = [
            SessionFactory(
                programme=world.programme,
                kind=world.kind,
                title=f"Journée plénière {index + 1}",
                starts_at=now - timedelta(days=730 - 18 * index),
                ends_at=now - timedelta(days=730 - 18 * index) + timedelta(hours=8),
            )
            for index in range(SESSIONS)
        ]
    members = list(TeamMember.objects.filter(team__in=teams).select_related("role"))
    rows = []
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        for member in members:
            for half in ("am", "pm"):
                roll = rng.random()
                status = (
                    "present"
                    if roll < 0.85
                    else "absent"
                    if roll < 0.93
                    else "excused"
                    if roll < 0.97
                    else "partial"
                )
                rows.append(
                    Attendance(
                        organisation=world.organisation,
                        session=session,
                        user_id=member.user_id,
                        team_id=member.team_id,
                        role=member.role,
                        day=day,
                        half_day=half,
                        status=status,
                    )
                )
    Attendance.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def new_document(world, kind):
    from documents.models import Document

    document = Document.objects.create(
        organisation=world.organisation,
        kind=kind,
        title="Bench",
        requested_by=world.coordinator,
        programme=world.programme,
        status=Document.Status.BUILDING,
        foreword="Avant-propos du banc d’essai.",
    )
    return Document.objects.select_related("organisation", "programme").get(pk=document.pk)


def synthesis_run(world) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents.models import Document
    from documents.syntheses.programme_pdf import build_programme_synthesis

    def build():
        document = new_document(world, Document.Kind.PROGRAMME_SYNTHESIS)
        built = build_programme_synthesis(document, lambda done, total: None)
        size = built.path.stat().st_size
        built.path.unlink()
        return size

    build()  # warm-up: templates, fonts
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        size = build()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    build()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": elapsed,
        "queries": len(queries.captured_queries),
        "traced_mb": peak / 1024 / 1024,
        "size_kb": size / 1024,
    }


def zip_run(world) -> dict:
    from documents.models import Document
    from documents.syntheses.team_report import build_team_reports

    document = new_document(world, Document.Kind.TEAM_REPORTS)
    before = rss_kb("VmRSS")
    reset = reset_peak_rss()
    started = time.perf_counter()
    built = build_team_reports(document, lambda done, total: None)
    elapsed = time.perf_counter() - started
    peak = rss_kb("VmHWM")
    with zipfile.ZipFile(built.path) as archive:
        entries = len(archive.namelist())
    size = built.path.stat().st_size
    built.path.unlink()
    return {
        "seconds": elapsed,
        "entries": entries,
        "size_mb": size / 1024 / 1024,
        "peak_mb": peak / 1024,
        "before_mb": before / 1024,
        "reset": reset,
    }


def main() -> int:
    parser = bench_parser(__doc__.split("\n\n")[0])
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    rng = random.Random(args.seed)
    failures = []
    with bench_database(args.database_url, seed=args.seed):
        from django_scopes import scope

        from tests.documents.test_synthesis_figures import add_teams, synthesis_world

        progress("world: 8 teams")
        world = synthesis_world(teams=8)
        with scope(organisation=world.organisation.pk):
            rows = two_years(world, world.teams, rng)
            analyze()
            progress(f"8 teams, {rows} attendance rows: programme synthesis")
            small = synthesis_run(world)
            progress("72 more teams")
            before = set(world.teams)
            add_teams(world, 72)
            from parcours.models import Team

            teams = list(Team.objects.filter(cohort__programme=world.programme))
            rows += two_years(world, [team for team in teams if team not in before], rng)
            analyze()
            progress(f"80 teams, {rows} attendance rows: programme synthesis")
            large = synthesis_run(world)
            progress("cohort ZIP of 80 team reports")
            batch = zip_run(world)
    print()
    print("| Size | Build | Queries | Python peak (tracemalloc) | PDF |")
    print("|---|---|---|---|---|")
    for label, run in (("8 teams", small), ("80 teams", large)):
        print(
            f"| {label} | {run['seconds']:.2f} s | {run['queries']} | "
            f"{run['traced_mb']:.1f} MB | {run['size_kb']:.0f} kB |"
        )
    print()
    print(
        f"Cohort ZIP: {batch['entries']} reports in {batch['seconds']:.1f} s "
        f"({batch['seconds'] / max(batch['entries'], 1):.2f} s each), "
        f"{batch['size_mb']:.1f} MB; peak RSS {batch['peak_mb']:.0f} MB "
        f"(before: {batch['before_mb']:.0f} MB{'' if batch['reset'] else ', peak not reset'})"
    )
    if small["queries"] != large["queries"]:
        failures.append(f"queries grow with teams: {small['queries']} → {large['queries']}")
    increase = batch["peak_mb"] - batch["before_mb"]
    print(f"ZIP peak increase: {increase:.0f} MB (target < {MAX_ZIP_PEAK_MB} MB)")
    if increase > MAX_ZIP_PEAK_MB:
        failures.append(f"ZIP peak increase {increase:.0f} MB > {MAX_ZIP_PEAK_MB} MB")
    for failure in failures:
        print("MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
