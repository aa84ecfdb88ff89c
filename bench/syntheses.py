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
* **Cohort ZIP**, measured as a Celery worker runs it: a ``Document`` of kind
  TEAM_REPORTS (pending, no team chosen: every team) is written here, then a fresh
  child process (``subprocess``: this script with ``--zip-worker``) sets Django up on
  the same database and calls ``documents.tasks.build_document_task`` as a worker does
  (its own request, so the heartbeat thread beats on the row; the file is stored under
  a throwaway ``MEDIA_ROOT``). The child reports its peak resident set size
  (``VmHWM`` of its own ``/proc/self/status``, its whole life: imports, fonts, the
  cohort's figures and the 80 PDFs; not the parent's ``RUSAGE_CHILDREN``, whose
  ``ru_maxrss`` counts the bench's own size, the child being started from it), its
  resident size once Django is set up and after the first and the last report, the
  task's time and its queries (``connection.execute_wrapper``), those of each report
  counted around ``team_report.render_report``. The same child runs at 8 teams and at
  80: the queries of one report must not depend on the number of teams, and the peak
  at 80 teams must stay under 300 MB. ``--zip-only`` skips the programme synthesis.

The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    REPO_ROOT,
    analyze,
    bench_database,
    bench_parser,
    configure_django,
    progress,
)

MAX_ZIP_PEAK_MB = 300
SESSIONS = 40


def rss_kb(field_name: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field_name} not in /proc/self/status")


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
    """The cohort ZIP built by a fresh process as a worker builds it (see ``zip_worker``)."""
    from django.db import connection

    from documents.models import Document

    document = Document.objects.create(
        organisation=world.organisation,
        kind=Document.Kind.TEAM_REPORTS,
        title="Bench",
        requested_by=world.coordinator,
        programme=world.programme,
    )
    database = connection.settings_dict
    database_url = os.environ["DATABASE_URL"]
    assert database["NAME"] in database_url
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--zip-worker",
        database_url,
        str(world.organisation.pk),
        str(document.pk),
    ]
    child = subprocess.run(  # noqa: S603 (this script, this Python)
        command, capture_output=True, text=True, check=False
    )
    if child.returncode:
        sys.stderr.write(child.stderr)
        raise SystemExit(f"the ZIP worker failed ({child.returncode})")
    return json.loads(child.stdout.strip().splitlines()[-1])


def zip_worker(database_url: str, organisation_id: int, document_id: int) -> int:
    """The child: Django on ``database_url``, then the Celery task on the document, as a
    worker runs it; prints its figures as one JSON line."""
    media_root = tempfile.mkdtemp(prefix="sillon-bench-media-")
    os.environ["MEDIA_ROOT"] = media_root
    try:
        configure_django(database_url)
        from django.db import connection
        from django_scopes import scopes_disabled

        from documents.models import Document
        from documents.syntheses import team_report
        from documents.tasks import build_document_task

        counted = [0]

        def count(execute, sql, params, many, context):
            counted[0] += 1
            return execute(sql, params, many, context)

        per_report: list[int] = []
        resident_kb: list[int] = []
        render_report = team_report.render_report

        def counted_render(*args, **kwargs):
            before = counted[0]
            try:
                return render_report(*args, **kwargs)
            finally:
                per_report.append(counted[0] - before)
                resident_kb.append(rss_kb("VmRSS"))

        team_report.render_report = counted_render
        ready_kb = rss_kb("VmRSS")
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            # Called as a worker calls it: a request of its own (not eager), so
            # ``build_document`` beats on the row from a thread.
            build_document_task(organisation_id, document_id)
        elapsed = time.perf_counter() - started
        peak_kb = rss_kb("VmHWM")
        with scopes_disabled():
            document = Document.objects.get(pk=document_id)
        if document.status != Document.Status.READY:
            print(f"document {document.status}: {document.error}", file=sys.stderr)
            return 1
        with document.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            entries = len(archive.namelist())
        print(
            json.dumps(
                {
                    "seconds": elapsed,
                    "entries": entries,
                    "size_mb": document.size / 1024 / 1024,
                    "peak_mb": peak_kb / 1024,
                    "ready_mb": ready_kb / 1024,
                    "first_mb": resident_kb[0] / 1024,
                    "last_mb": resident_kb[-1] / 1024,
                    "queries": counted[0],
                    "report_queries": sorted(set(per_report)),
                    "reports": len(per_report),
                }
            )
        )
        connection.close()
        return 0
    finally:
        shutil.rmtree(media_root, ignore_errors=True)


def main() -> int:
    if sys.argv[1:2] == ["--zip-worker"]:
        database_url, organisation_id, document_id = sys.argv[2:5]
        return zip_worker(database_url, int(organisation_id), int(document_id))
    parser = bench_parser(__doc__.split("\n\n")[0])
    parser.add_argument(
        "--zip-only", action="store_true", help="only the cohort ZIP (no programme synthesis)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    rng = random.Random(args.seed)
    failures = []
    small = large = None
    with bench_database(args.database_url, seed=args.seed):
        from django_scopes import scope

        from tests.documents.test_synthesis_figures import add_teams, synthesis_world

        progress("world: 8 teams")
        world = synthesis_world(teams=8)
        with scope(organisation=world.organisation.pk):
            rows = two_years(world, world.teams, rng)
            analyze()
            if not args.zip_only:
                progress(f"8 teams, {rows} attendance rows: programme synthesis")
                small = synthesis_run(world)
            progress("cohort ZIP of 8 team reports (worker process)")
            small_batch = zip_run(world)
            progress("72 more teams")
            before = set(world.teams)
            add_teams(world, 72)
            from parcours.models import Team

            teams = list(Team.objects.filter(cohort__programme=world.programme))
            rows += two_years(world, [team for team in teams if team not in before], rng)
            analyze()
            if not args.zip_only:
                progress(f"80 teams, {rows} attendance rows: programme synthesis")
                large = synthesis_run(world)
            progress("cohort ZIP of 80 team reports (worker process)")
            batch = zip_run(world)
    print()
    if small and large:
        print("| Size | Build | Queries | Python peak (tracemalloc) | PDF |")
        print("|---|---|---|---|---|")
        for label, run in (("8 teams", small), ("80 teams", large)):
            print(
                f"| {label} | {run['seconds']:.2f} s | {run['queries']} | "
                f"{run['traced_mb']:.1f} MB | {run['size_kb']:.0f} kB |"
            )
        print()
        if small["queries"] != large["queries"]:
            failures.append(f"queries grow with teams: {small['queries']} → {large['queries']}")
    print(
        "| Cohort ZIP (worker process) | Task | Per report | Queries | Per report "
        "| Django set up | RSS after the 1st / last report | Peak RSS (VmHWM) | ZIP |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, run in (("8 teams", small_batch), ("80 teams", batch)):
        print(
            f"| {label} | {run['seconds']:.1f} s | "
            f"{run['seconds'] / max(run['entries'], 1):.2f} s | {run['queries']} | "
            f"{', '.join(map(str, run['report_queries']))} | {run['ready_mb']:.0f} MB | "
            f"{run['first_mb']:.0f} / {run['last_mb']:.0f} MB | "
            f"{run['peak_mb']:.0f} MB | {run['size_mb']:.1f} MB |"
        )
    for label, run, expected in (("8", small_batch, 8), ("80", batch, 80)):
        if run["entries"] != expected or run["reports"] != expected:
            failures.append(f"ZIP of {label} teams: {run['entries']} entries")
    if small_batch["report_queries"] != batch["report_queries"]:
        failures.append(
            f"a report's queries grow with teams: {small_batch['report_queries']} → "
            f"{batch['report_queries']}"
        )
    print()
    print(f"ZIP of 80 reports: worker peak {batch['peak_mb']:.0f} MB (< {MAX_ZIP_PEAK_MB} MB)")
    if batch["peak_mb"] >= MAX_ZIP_PEAK_MB:
        failures.append(f"ZIP peak {batch['peak_mb']:.0f} MB ≥ {MAX_ZIP_PEAK_MB} MB")
    for failure in failures:
        print("MISSED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
