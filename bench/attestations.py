"""Attestations de participation: the builder's cost per PDF against bare WeasyPrint, and
the peak memory of a cohort's ZIP of 100 attestations.

Run it from the repository root::

    .venv/bin/python bench/attestations.py                       # throwaway SQLite file
    .venv/bin/python bench/attestations.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (its helpers: a throwaway database,
  production-like settings — ``DEBUG=0``, cached templates, scopes on); media files go to
  a temporary ``MEDIA_ROOT`` (the organisation's SVG logo).
* **Data**: one organisation with a logo, one published programme (trinôme roles, a
  few lines of objectives), 35 teams of 3 (105 people, the last 5 attended nothing);
  sessions: the launch day (9 h 30 – 17 h), a J1/J2 training 9 h 30 – 17 h over two
  days, two 2-hour webinars, and per team two individual coachings (half a day on site,
  2 hours in visio). Attendance per half-day is bulk-inserted (present about 85 %, else
  absent, excused or late), then ``ANALYZE``. Each attestation lists 6 sessions or so.
* **Per document**, for each of the 100 attendees (after ``--warmup`` of each):
  - *builder*: ``documents.attestations.build_attestation(document, progress)`` on a
    ``Document`` row freshly read, as the pipeline calls it: its queries (the document's
    organisation, programme and person, then the person's record, the trainers, the
    registration of its number), the template with its QR code, our URL fetcher serving
    ``print.css`` and the logo, a tagged PDF, the temporary file. Every sheet is
    validated and the clock stands after the last session, so each one is final;
  - *bare WeasyPrint*: ``weasyprint.HTML(string=html).write_pdf()`` on the very HTML the
    builder renders for that person (rendered beforehand, untimed, with a number and its
    QR code), its stylesheet and
    logo pointed at the same files through ``file://`` URLs so that WeasyPrint's own
    fetcher loads them (the same work, minus our fetcher, the data and the tags).
  The two run for each person one after the other in a random order.
  ``time.perf_counter()`` (``--clock cpu``: this process's CPU time). The overhead ratio
  is the builder's total time ÷ bare WeasyPrint's (target ≤ 1.2, docs/architecture.md);
  the medians' ratio and the cost of PDF tags alone (bare WeasyPrint with ``pdf_tags=True``,
  timed in the same rounds) are printed too.
* **Batch**: ``build_attestations`` for the cohort (100 PDFs written one by one into the
  ZIP). Peak memory: Linux's peak resident set size of this process (``VmHWM``), reset
  just before the batch through ``/proc/self/clear_refs``, minus the resident size just
  before (target: the increase < 300 MB; the absolute peak is printed too); and, with
  ``--tracemalloc``, a second batch under ``tracemalloc`` for the peak of Python's own
  allocations (slower; C libraries' memory — Pango, HarfBuzz — is not in it).

The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    REPO_ROOT,
    analyze,
    bench_database,
    bench_parser,
    p95,
    progress,
)
from pages_world import TRINOME, create_pat_programme

TEAMS = 35
ABSENTEES = 5  # the last people: 105 - 5 = 100 attestations
PRESENT_SHARE = 0.85
MAX_OVERHEAD = 1.2
MAX_BATCH_MB = 300
PARIS = ZoneInfo("Europe/Paris")
AFTER_LAST_SESSION = datetime(2027, 7, 1, 12, tzinfo=PARIS)
FIRST_NAMES = ("Léa", "Hugo", "Chloé", "Louis", "Inès", "Jules", "Manon", "Nathan", "Camille")
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux")
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#2f5d50"/><text x="10" y="26" fill="#fff" '
    'font-size="16">Région</text></svg>'
)
OBJECTIVES = (
    "Structurer la gouvernance alimentaire des territoires lauréats.\n"
    "Outiller les trinômes (élu·e, chargé·e de mission, responsable de service).\n"
    "Construire un plan d'action gouvernance et le partager entre pairs."
)


def parse_args() -> argparse.Namespace:
    parser = bench_parser(__doc__.split("\n\n")[0], requests=None, warmup=3, warmup_of="documents")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python's peak")
    return parser.parse_args()


# --------------------------------------------------------------------------- data


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def create_world(rng: random.Random) -> SimpleNamespace:
    from django.contrib.auth.hashers import make_password
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django_scopes import scope

    from accounts.models import User
    from parcours.models import Programme, Session, SessionFormat, SessionKind, Team, TeamMember
    from presences.halfdays import half_days
    from presences.models import Attendance, AttendanceSheet

    with transaction.atomic():
        base = create_pat_programme(TRINOME)
        organisation, programme, cohort = base.organisation, base.programme, base.cohort
        organisation.logo.save("logo.svg", ContentFile(LOGO.encode()), save=False)
        organisation.save(update_fields=["logo"])
        with scope(organisation=organisation.pk):
            Programme.objects.filter(pk=programme.pk).update(objectives=OBJECTIVES)
            programme.refresh_from_db()
            individual = SessionKind.objects.create(
                organisation=organisation,
                programme=programme,
                name="Accompagnement individuel",
                is_individual=True,
            )
            webinar = SessionKind.objects.create(
                organisation=organisation, programme=programme, name="Webinaire"
            )

            def session(kind, title, starts, ends, fmt=SessionFormat.IN_PERSON, **extra):
                return Session(
                    organisation=organisation,
                    programme=programme,
                    kind=kind,
                    title=title,
                    format=fmt,
                    place="Hôtel de Région, Lille" if fmt != SessionFormat.REMOTE else "",
                    starts_at=starts,
                    ends_at=ends,
                    **extra,
                )

            collective = Session.objects.bulk_create(
                [
                    session(
                        base.kind,
                        "Lancement",
                        at(date(2026, 10, 16), 9, 30),
                        at(date(2026, 10, 16), 17),
                    ),
                    session(
                        base.kind,
                        "Formation J1/J2 : la gouvernance",
                        at(date(2026, 12, 9), 9, 30),
                        at(date(2026, 12, 10), 17),
                    ),
                    session(
                        webinar,
                        "Webinaire : financer son PAT",
                        at(date(2027, 1, 14), 10),
                        at(date(2027, 1, 14), 12),
                        SessionFormat.REMOTE,
                    ),
                    session(
                        webinar,
                        "Webinaire : la commande publique",
                        at(date(2027, 3, 11), 10),
                        at(date(2027, 3, 11), 12),
                        SessionFormat.REMOTE,
                    ),
                ]
            )
            teams = Team.objects.bulk_create(
                Team(organisation=organisation, cohort=cohort, name=f"PAT n°{i + 1:02d}")
                for i in range(TEAMS)
            )
            users = User.objects.bulk_create(
                User(
                    email=f"p{index:03d}@bench.example",
                    first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
                    last_name=f"{LAST_NAMES[index % len(LAST_NAMES)]}-{index:03d}",
                    password=make_password(None),
                )
                for index in range(TEAMS * len(base.roles))
            )
            seats = iter(users)
            members = TeamMember.objects.bulk_create(
                TeamMember(organisation=organisation, team=team, user=next(seats), role=role)
                for team in teams
                for role in base.roles
            )
            coachings = {}
            for number, team in enumerate(teams):
                day = date(2027, 2, 1) + timedelta(days=number)
                own = Session.objects.bulk_create(
                    [
                        session(
                            individual,
                            "Accompagnement individuel n°1 : rencontre sur le territoire",
                            at(day, 9, 30),
                            at(day, 12, 30),
                            audience=Session.Audience.TEAM,
                        ),
                        session(
                            individual,
                            "Accompagnement individuel n°2 : visio",
                            at(day + timedelta(days=40), 14),
                            at(day + timedelta(days=40), 16),
                            SessionFormat.REMOTE,
                            audience=Session.Audience.TEAM,
                        ),
                    ]
                )
                for item in own:
                    item.teams.set([team])
                coachings[team.pk] = own
            absentees = {m.user_id for m in members[-ABSENTEES:]}
            statuses = ("absent", "excused", "partial")
            rows = []
            for member in members:
                if member.user_id in absentees:
                    continue
                for item in collective + coachings[member.team_id]:
                    for slot in half_days(item, PARIS):
                        status = "present" if rng.random() < PRESENT_SHARE else rng.choice(statuses)
                        rows.append(
                            Attendance(
                                organisation=organisation,
                                session=item,
                                user_id=member.user_id,
                                team_id=member.team_id,
                                role_id=member.role_id,
                                day=slot.day,
                                half_day=slot.half_day,
                                status=status,
                                note="Arrivée à 10 h" if status == "partial" else "",
                            )
                        )
            Attendance.objects.bulk_create(rows, batch_size=1000)
            # Every sheet validated by its trainer at the end of its session: attestations
            # are final only from validated sheets.
            everything = collective + [item for own in coachings.values() for item in own]
            AttendanceSheet.objects.bulk_create(
                AttendanceSheet(
                    organisation=organisation,
                    session=item,
                    status=AttendanceSheet.Status.VALIDATED,
                    validated_at=item.ends_at,
                )
                for item in everything
            )
    analyze()
    return SimpleNamespace(
        organisation=organisation,
        coordinator=base.coordinator,
        programme=programme,
        cohort=cohort,
        people=[m.user_id for m in members],
        attendances=len(rows),
    )


# --------------------------------------------------------------------------- measures


def rss_kb(field_name: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (peak since the last reset) of this process, in kB."""
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


def bare_html(html: str, media_root: Path) -> str:
    """The same HTML with our static and media URLs pointed at the files themselves,
    for WeasyPrint's own fetcher."""
    static_root = REPO_ROOT / "static"
    return html.replace('"/static/', f'"file://{static_root}/').replace(
        '"/media/', f'"file://{media_root}/'
    )


def main() -> int:
    args = parse_args()
    with (
        bench_database(args.database_url, seed=args.seed),
        tempfile.TemporaryDirectory(prefix="sillon-bench-media-") as media_root,
    ):
        from django.db import connection
        from django.template.loader import render_to_string
        from django.test.utils import CaptureQueriesContext, override_settings
        from django.utils import timezone
        from django_scopes import scope

        override_settings(MEDIA_ROOT=media_root).enable()
        from documents import attestations
        from documents.models import Attestation, Document
        from presences.records import programme_records
        from sillon.pdf import _weasyprint

        weasyprint = _weasyprint()
        # Measured once every session has ended (the last coachings are in spring 2027):
        # an attestation never counts a session that has not ended.
        time_machine.travel(AFTER_LAST_SESSION, tick=True).start()
        clock = time.process_time if args.clock == "cpu" else time.perf_counter
        rng = random.Random(args.seed)
        world = create_world(rng)
        organisation = world.organisation
        progress(
            f"{len(world.people)} people in {TEAMS} teams, {world.attendances} half-day attendances"
        )

        def noop(done, total):
            pass

        with scope(organisation=organisation.pk):
            documents = Document.objects.bulk_create(
                Document(
                    organisation=organisation,
                    kind=Document.Kind.ATTESTATION,
                    title="Attestation",
                    requested_by=world.coordinator,
                    programme=world.programme,
                    person_id=user_id,
                )
                for user_id in world.people
            )
            batch_document = Document.objects.create(
                organisation=organisation,
                kind=Document.Kind.ATTESTATIONS,
                title="Attestations",
                requested_by=world.coordinator,
                programme=world.programme,
                cohort=world.cohort,
            )
            records = {
                r.user.pk: r
                for r in programme_records(programme=world.programme, cohort=world.cohort)
            }
            attendees = [d for d in documents if records[d.person_id].attended]
            today = timezone.localdate()
            html = {
                d.pk: bare_html(
                    render_to_string(
                        attestations.TEMPLATE,
                        attestations.attestation_context(
                            organisation=organisation,
                            programme=world.programme,
                            record=records[d.person_id],
                            today=today,
                            # As the builder prints it: a number and its QR code.
                            attestation=Attestation(
                                number=f"ATT-2027-{d.pk:06d}", token=f"jeton-{d.pk:040d}"
                            ),
                        ),
                    ),
                    Path(media_root),
                )
                for d in attendees
            }
            progress(f"{len(attendees)} attendees, {len(documents) - len(attendees)} absentees")

            def run_builder(document_id: int) -> tuple[float, int]:
                document = Document.objects.get(pk=document_id)
                with CaptureQueriesContext(connection) as queries:
                    start = clock()
                    built = attestations.build_attestation(document, noop)
                    elapsed = clock() - start
                built.path.unlink()
                return elapsed, len(queries)

            def run_bare(document_id: int, tags: bool = False) -> float:
                start = clock()
                weasyprint.HTML(string=html[document_id]).write_pdf(pdf_tags=tags)
                return clock() - start

            # Warm-up: templates compiled, fonts loaded, both ways.
            for document in attendees[: args.warmup]:
                run_builder(document.pk)
                run_bare(document.pk)
                run_bare(document.pk, tags=True)

            # The batch first, while the process is still small.
            progress("batch: 100 attestations into one ZIP")
            before_kb = rss_kb("VmRSS")
            reset = reset_peak_rss()
            start = clock()
            built = attestations.build_attestations(batch_document, noop)
            batch_seconds = clock() - start
            peak_kb = rss_kb("VmHWM")
            with zipfile.ZipFile(built.path) as archive:
                entries = archive.namelist()
            zip_size = built.path.stat().st_size
            built.path.unlink()
            traced_peak = None
            if args.tracemalloc:
                progress("batch again under tracemalloc")
                tracemalloc.start()
                built = attestations.build_attestations(batch_document, noop)
                traced_peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                built.path.unlink()

            progress(f"per document: {len(attendees)} × (builder, bare, bare with tags)")
            ours, bare, tagged, query_counts = [], [], [], set()
            for number, document in enumerate(attendees, start=1):
                order = ["builder", "bare", "tagged"]
                rng.shuffle(order)
                for what in order:
                    if what == "builder":
                        elapsed, count = run_builder(document.pk)
                        ours.append(elapsed)
                        query_counts.add(count)
                    elif what == "bare":
                        bare.append(run_bare(document.pk))
                    else:
                        tagged.append(run_bare(document.pk, tags=True))
                if number % 25 == 0:
                    progress(f"  {number}/{len(attendees)}")

        overhead = sum(ours) / sum(bare)
        median_ratio = statistics.median(ours) / statistics.median(bare)
        increase_mb = (peak_kb - before_kb) / 1024
        pdfs = sum(1 for name in entries if name.endswith(".pdf"))
        print(
            f"\nAttestations benchmark — {connection.vendor}, Python {sys.version.split()[0]}, "
            f"WeasyPrint {weasyprint.__version__}, {args.clock} clock, "
            f"{len(attendees)} documents\n"
        )
        rows = [
            ("builder (build_attestation)", ours),
            ("bare WeasyPrint write_pdf()", bare),
            ("bare WeasyPrint, pdf_tags=True", tagged),
        ]
        print(f"{'per document':34}  {'mean ms':>8}  {'median ms':>9}  {'p95 ms':>7}")
        for label, samples in rows:
            print(
                f"{label:34}  {statistics.mean(samples) * 1000:8.1f}  "
                f"{statistics.median(samples) * 1000:9.1f}  {p95(samples) * 1000:7.1f}"
            )
        overhead_ok = overhead <= MAX_OVERHEAD
        print(
            f"\nOverhead (builder total ÷ bare total): {overhead:.2f}× (target ≤ "
            f"{MAX_OVERHEAD:g}×) — {'PASS' if overhead_ok else 'FAIL'}; medians' ratio "
            f"{median_ratio:.2f}×; tags alone: "
            f"{sum(tagged) / sum(bare):.2f}× bare; builder ÷ bare with tags: "
            f"{sum(ours) / sum(tagged):.2f}×"
        )
        print(f"Builder queries per document: {sorted(query_counts)}")
        memory_ok = reset and increase_mb < MAX_BATCH_MB
        print(
            f"\nBatch: {pdfs} PDFs + {len(entries) - pdfs} readme in a {zip_size / 1e6:.1f} MB "
            f"ZIP in {batch_seconds:.1f} s ({batch_seconds / max(pdfs, 1) * 1000:.0f} ms per "
            "attestation)"
        )
        print(
            f"Peak RSS during the batch: {peak_kb / 1024:.0f} MB, {increase_mb:.0f} MB above "
            f"the {before_kb / 1024:.0f} MB before it (target: increase < {MAX_BATCH_MB} MB)"
            f" — {'PASS' if memory_ok else 'FAIL' if reset else 'FAIL: peak not resettable'}"
        )
        if traced_peak is not None:
            print(
                f"tracemalloc peak of Python allocations in the batch: {traced_peak / 1e6:.1f} MB"
            )
        return 0 if overhead_ok and memory_ok else 1


if __name__ == "__main__":
    sys.exit(main())
