"""The resources library's search page: query counts and times at 50 and 5 000
resources, against the floor.

Run it from the repository root::

    .venv/bin/python bench/ressources.py                       # throwaway SQLite file
    .venv/bin/python bench/ressources.py --clock cpu           # this process's CPU time
    .venv/bin/python bench/ressources.py --database-url "$DATABASE_URL"   # PostgreSQL

Method
------
* **Database and settings**: as ``bench/pages.py`` (``harness.py``).
* **Data**: one organisation, a published programme with the trinôme roles
  (``pages_world.create_pat_programme``) and its coordinator, two themes and two work
  streams. Resources are bulk-inserted: every kind, licence and visibility but team,
  each with a title, a description and 1 500 characters of « extracted text » drawn from
  a French vocabulary, one in three tagged; on PostgreSQL their search vectors are
  computed in one ``UPDATE`` (as ``ressources.search.refresh_vector`` does one by one).
  **Sizes**, grown in place, then ``ANALYZE``: 50 and 5 000 resources.
* **Pages**, as the coordinator: ``ressources:library`` (the newest 20), the same
  searching a word found in about one resource in ten (« pertinence »: ``SearchRank`` on
  PostgreSQL), and that search filtered by a kind.
* **Queries**: one warm-up request, then one inside ``CaptureQueriesContext``, at each
  size: the count must be the same at both sizes and at most 20. The filters' choices
  are cached per organisation (``ressources.selectors.filter_choices``, the local-memory
  cache here): the warm-up request fills it, as a returning user finds it.
* **Times**: as ``bench/plans.py``; the floor is the same user's request to a URL no
  route matches. Targets (median ≤ 3×, p95 ≤ 10× the floor) judged at 5 000.
"""

from __future__ import annotations

import random
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Named like the ``ressources`` app: the app is imported only once
# ``harness.configure_django`` has put the repository root first on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import analyze, bench_database, bench_parser, measure_pages, p95, progress
from pages_world import TRINOME, create_pat_programme

SIZES = (("50", 50), ("5 000", 5000))
JUDGED_SIZE = "5 000"
MAX_QUERIES = 20
MAX_P95_RATIO = 10.0
MAX_MEDIAN_RATIO = 3.0
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
WORDS = [
    "alimentation",
    "territoire",
    "cantine",
    "producteurs",
    "circuit",
    "court",
    "restauration",
    "collective",
    "gouvernance",
    "diagnostic",
    "concertation",
    "élus",
    "agriculture",
    "biologique",
    "approvisionnement",
    "maraîchage",
    "foncier",
    "installation",
    "filière",
    "légumerie",
    "gaspillage",
    "éducation",
    "santé",
    "précarité",
    "solidarité",
    "coopération",
    "intercommunalité",
    "mobilisation",
    "évaluation",
    "indicateurs",
    "animation",
    "partenaires",
    "chambre",
    "communes",
    "habitants",
    "marché",
    "transformation",
    "logistique",
]
RARE = "agroforesterie"


@dataclass
class Measure:
    label: str
    size: str
    queries: int = 0
    sql: list[str] = field(default_factory=list)
    page: list[float] = field(default_factory=list)


def _text(rng: random.Random, length: int) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words)


def grow(world, tags, count: int, rng: random.Random) -> None:
    from django.db import connection, transaction
    from django_scopes import scope

    from ressources.models import Licence, Resource, ResourceKind
    from ressources.search import refresh_all

    with transaction.atomic(), scope(organisation=world.organisation.pk):
        start = Resource.objects.count()
        kinds, licences = ResourceKind.values, Licence.values
        rows = []
        for index in range(start, count):
            text = _text(rng, 1500)
            if index % 10 == 0:
                text += f" {RARE}"
            rows.append(
                Resource(
                    organisation=world.organisation,
                    title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} n° {index}",
                    description=_text(rng, 300),
                    url="https://ressources.example.org/" + str(index),
                    author="Équipe d'animation",
                    kind=kinds[index % len(kinds)],
                    licence=licences[index % len(licences)],
                    visibility=("organisation", "programme", "public")[index % 3],
                    programme=world.programme,
                    search_text=text,
                )
            )
        created = Resource.objects.bulk_create(rows, batch_size=500)
        through = Resource.tags.through
        through.objects.bulk_create(
            [
                through(resource_id=resource.pk, tag_id=tags[index % len(tags)].pk)
                for index, resource in enumerate(created)
                if index % 3 == 0
            ],
            batch_size=1000,
        )
        if connection.vendor == "postgresql":
            refresh_all(world.organisation)
    analyze()


def report(measures: list[Measure], floors: dict[str, list[float]]) -> bool:
    ok = True
    header = (
        f"{'page':<22} {'size':<6} {'queries':>7} {'floor':>8} {'median':>9} {'p95':>9} "
        f"{'med÷floor':>9} {'p95÷floor':>9}  verdict"
    )
    print(header)
    print("-" * len(header))
    first: dict[str, int] = {}
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
        verdict = ("FAIL: " + ", ".join(problems)) if problems else "PASS"
        ok = ok and not problems
        print(
            f"{measure.label:<22} {measure.size:<6} {measure.queries:>7} "
            f"{floor * 1000:>6.2f}ms {median * 1000:>7.2f}ms {high * 1000:>7.2f}ms "
            f"{median / floor:>8.2f}× {high / floor:>8.2f}×  {verdict}"
        )
    return ok


def main() -> int:
    args = bench_parser(__doc__.split("\n\n")[0], requests=30).parse_args()
    rng = random.Random(args.seed)
    with bench_database(args.database_url, seed=args.seed):
        from django.db import connection, transaction
        from django.test import Client
        from django.urls import reverse
        from django_scopes import scope

        from ressources.models import Tag

        with transaction.atomic():
            world = create_pat_programme(TRINOME)
        with scope(organisation=world.organisation.pk):
            tags = [
                Tag.objects.create(organisation=world.organisation, category=c, name=n)
                for c, n in (
                    ("theme", "Alimentation"),
                    ("theme", "Foncier"),
                    ("chantier", "Documentation"),
                    ("chantier", "Gouvernance"),
                )
            ]
        slug = world.organisation.slug
        library = reverse("ressources:library", args=[slug])
        urls = {
            "library": library,
            "search": f"{library}?q={RARE}",
            "search + kind": f"{library}?q={RARE}&kind=tool",
        }
        client = Client(raise_request_exception=True)
        client.force_login(world.coordinator, backend=LOGIN_BACKEND)
        measures: list[Measure] = []
        floors: dict[str, list[float]] = {}
        for size, count in SIZES:
            grow(world, tags, count, rng)
            progress(f"{size} resources")
            round_measures = [Measure(label, size) for label in urls]
            floors[size] = []
            measure_pages(client, urls, round_measures, floors[size], args)
            measures.extend(round_measures)
        order = {label: index for index, label in enumerate(urls)}
        measures.sort(key=lambda m: order[m.label])
        print(
            f"\nSillon resources library benchmark — {connection.vendor}, Python "
            f"{sys.version.split()[0]}, {args.requests} requests after {args.warmup} "
            f"warm-up rounds, {args.clock} clock; targets judged at {JUDGED_SIZE}.\n"
        )
        ok = report(measures, floors)
        for label in urls:
            sizes = [m for m in measures if m.label == label]
            if sizes[0].queries != sizes[-1].queries:
                print(f"\n{label}, SQL at {sizes[-1].size}:")
                print("\n".join(sizes[-1].sql))
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
