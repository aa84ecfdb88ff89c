"""Open registration: the public event page (``inscriptions:event``) read anonymously
at 10 and 1 000 confirmed registrants, its query count and its median against the
anonymous floor.

Run it from the repository root::

    .venv/bin/python bench/inscriptions.py                       # throwaway SQLite file
    .venv/bin/python bench/inscriptions.py --clock cpu           # this process's CPU time
    .venv/bin/python bench/inscriptions.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (``harness.py``).
* **Data**: ``pages_world.create_pat_programme`` (one organisation, a published
  programme), a one-day session « inscription libre » in 60 days with seed 001's shape: a
  plenary, two rounds of four workshops (30 places each, the last of the first round
  with 1 000) and a closing; its event page published (``inscriptions.services.
  save_event``). Registrants bulk-inserted, confirmed, with their account, their
  ``SessionRegistration`` and a workshop in each round (``WorkshopChoice`` and
  ``WorkshopRegistration``), half of them in collectifs of 4. **Sizes**, grown in place,
  then ``ANALYZE``: 10, then 1 000 registrants.
* **Queries**: one warm-up request, then one inside ``CaptureQueriesContext``, at each
  size, and one after emptying the cache (« uncached »: the facts and agenda with the
  places left are cached per state of the event): each the same at both sizes, at most
  20 (shown « cached/uncached »).
* **Times**: ``--requests`` (30) anonymous requests of the page and of the floor (an
  anonymous request to a URL no route matches), in a new random order each round after
  ``--warmup`` rounds. Target: median ≤ 3× the floor's median, p95 ≤ 10×, at 1 000.
"""

from __future__ import annotations

import random
import statistics
import sys
from datetime import time, timedelta
from pathlib import Path

# This file is named like the ``inscriptions`` app: it imports the app only once
# ``harness.configure_django`` has put the repository root first on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import analyze, bench_database, bench_parser, captured_sql, p95, progress, time_rounds
from pages_world import TRINOME, create_pat_programme

SIZES = (10, 1000)
MAX_QUERIES = 20
MAX_MEDIAN_RATIO = 3.0
MAX_P95_RATIO = 10.0
FLOOR_PATH = "/sillon-bench-introuvable/page/inexistante/"


def create_world():
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from inscriptions import services
    from inscriptions.models import Event
    from parcours.models import AgendaItem, Session, Workshop

    with transaction.atomic():
        base = create_pat_programme(TRINOME)
        with scope(organisation=base.organisation.pk):
            start = (timezone.now() + timedelta(days=60)).replace(
                hour=8, minute=0, second=0, microsecond=0
            )
            session = Session.objects.create(
                organisation=base.organisation,
                programme=base.programme,
                kind=base.kind,
                title="Séminaire des directions du bloc local",
                format="presentiel",
                place="INSET d'Angers",
                starts_at=start,
                ends_at=start + timedelta(hours=9),
                status=Session.Status.SCHEDULED,
                audience=Session.Audience.OPEN,
            )
            rounds = []
            agenda = [
                ("plenary", "Ouverture", time(9), time(10)),
                ("workshops", "Premier temps d'ateliers", time(10), time(12)),
                ("workshops", "Second temps d'ateliers", time(14), time(16)),
                ("plenary", "Clôture", time(16), time(17)),
            ]
            for kind, title, begin, end in agenda:
                item = AgendaItem.objects.create(
                    organisation=base.organisation,
                    session=session,
                    kind=kind,
                    title=title,
                    start_time=begin,
                    end_time=end,
                )
                if kind == "workshops":
                    rounds.append(item)
                    for number in range(1, 5):
                        Workshop.objects.create(
                            organisation=base.organisation,
                            round=item,
                            title=f"Expérience {number}",
                            room=f"Salle {number}",
                            capacity=1000 if number == 4 else 30,
                        )
            event = services.save_event(
                event=Event(
                    organisation=base.organisation,
                    session=session,
                    slug="seminaire",
                    deadline=start - timedelta(days=7),
                    published=True,
                    audience_text="DGS, DGA, DST des communes et EPCI",
                    contact="INSET d'Angers",
                    action_code="CIDGI 006",
                ),
                acting_user=base.coordinator,
            )
    return base, session, event, rounds


def grow(base, session, event, rounds, target: int) -> None:
    """Confirmed registrants up to ``target``, bulk-inserted with their accounts,
    session registration and workshops (the last workshop of each round takes those
    past the others' places)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scope

    from accounts.models import User
    from inscriptions.models import Collective, Registrant, WorkshopChoice
    from parcours.models import SessionRegistration, WorkshopRegistration

    organisation = base.organisation
    with transaction.atomic(), scope(organisation=organisation.pk):
        have = Registrant.objects.filter(event=event).count()
        numbers = range(have, target)
        users = User.objects.bulk_create(
            User(
                email=f"inscrit{n:04d}@bench.example",
                first_name=f"Inscrit {n}",
                last_name="Bench",
                password=make_password(None),
            )
            for n in numbers
        )
        # Half of the people in collectifs of 4: the first four of every eight.
        blocks = sorted({n // 8 for n in numbers if n % 8 == 0})
        collectives = dict(
            zip(
                blocks,
                Collective.objects.bulk_create(
                    Collective(organisation=organisation, event=event, name=f"Collectif {b}")
                    for b in blocks
                ),
                strict=True,
            )
        )
        now = timezone.now()
        registrants = Registrant.objects.bulk_create(
            Registrant(
                organisation=organisation,
                event=event,
                collective=collectives.get(n // 8) if n % 8 < 4 else None,
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                structure=f"Commune {n}",
                function="DGS",
                status=Registrant.Status.CONFIRMED,
                user=user,
                confirmed_at=now,
            )
            for n, user in zip(numbers, users, strict=True)
        )
        SessionRegistration.objects.bulk_create(
            SessionRegistration(
                organisation=organisation, session=session, user=user, structure="Commune"
            )
            for user in users
        )
        choices, places = [], []
        for n, (registrant, user) in enumerate(zip(registrants, users, strict=True), start=have):
            for item in rounds:
                workshops = list(item.workshops.all())
                workshop = workshops[n % 3] if n < 90 else workshops[3]
                choices.append(
                    WorkshopChoice(
                        organisation=organisation,
                        registrant=registrant,
                        round=item,
                        workshop=workshop,
                    )
                )
                places.append(
                    WorkshopRegistration(
                        organisation=organisation, round=item, workshop=workshop, user=user
                    )
                )
        WorkshopChoice.objects.bulk_create(choices, batch_size=500)
        WorkshopRegistration.objects.bulk_create(places, batch_size=500)
    analyze()


def cold_queries(client, url: str) -> int:
    """The queries of a request finding the cache empty (the first visit after a place
    is taken or freed)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def main() -> int:
    parser = bench_parser(__doc__.split("\n\n")[0], requests=30)
    args = parser.parse_args()
    random.seed(args.seed)
    with bench_database(args.database_url, seed=args.seed):
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        base, session, event, rounds = create_world()
        from django_scopes import scope

        with scope(organisation=base.organisation.pk):
            rounds = [
                type(item).objects.prefetch_related("workshops").get(pk=item.pk) for item in rounds
            ]
        client = Client(raise_request_exception=True)
        url = reverse("inscriptions:event", args=[base.organisation.slug, event.slug])
        rows = []
        first_queries = None
        first_cold = None
        ok = True
        for size in SIZES:
            grow(base, session, event, rounds, size)
            sql = captured_sql(client, url)
            cold = cold_queries(client, url)
            progress(f"{size} registrants: {len(sql)} queries ({cold} uncached); timing")
            page, floor = [], []
            time_rounds(client, [(url, page), (FLOOR_PATH, floor)], args)
            floor_median = statistics.median(floor)
            median, high = statistics.median(page), p95(page)
            first_queries = len(sql) if first_queries is None else first_queries
            problems = []
            first_cold = cold if size == SIZES[0] else first_cold
            if len(sql) != first_queries or cold != first_cold:
                problems.append("queries grow")
            if len(sql) > MAX_QUERIES:
                problems.append(f"> {MAX_QUERIES} queries")
            if size == SIZES[-1] and median / floor_median > MAX_MEDIAN_RATIO:
                problems.append(f"median > {MAX_MEDIAN_RATIO:g}×")
            if size == SIZES[-1] and high / floor_median > MAX_P95_RATIO:
                problems.append(f"p95 > {MAX_P95_RATIO:g}×")
            ok = ok and not problems
            rows.append((size, f"{len(sql)}/{cold}", floor_median, median, high, problems))
        print(
            f"\nSillon open registration benchmark — {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {args.requests} requests after {args.warmup} warm-up "
            f"rounds, {args.clock} clock; anonymous; {url}\n"
        )
        header = (
            f"{'registrants':>11} {'queries':>7} {'floor':>9} {'median':>9} {'p95':>9} "
            f"{'med÷floor':>9} {'p95÷floor':>9}  verdict"
        )
        print(header)
        print("-" * len(header))
        for size, queries, floor_median, median, high, problems in rows:
            verdict = "FAIL: " + ", ".join(problems) if problems else "PASS"
            print(
                f"{size:>11} {queries:>7} {floor_median * 1000:>7.2f}ms {median * 1000:>7.2f}ms "
                f"{high * 1000:>7.2f}ms {median / floor_median:>8.2f}× "
                f"{high / floor_median:>8.2f}×  {verdict}"
            )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
