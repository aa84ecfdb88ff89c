"""Finding resources: full-text search in French on PostgreSQL, ``icontains`` elsewhere,
and the order of the results.

On PostgreSQL each resource keeps a ``tsvector`` (``Resource.search_vector``): title
(weight A), description (B) and the file's extracted text (C), with the ``french``
configuration, refreshed by the services whenever one of them changes
(``refresh_vector``). Stored rather than computed: computing ``to_tsvector`` over up to
200 000 characters of every resource at each search would cost more than the page at
5 000 resources, and a stored column can carry a GIN index (created by the migration,
PostgreSQL only). Queries are read as a search engine would (``websearch``: words,
"quoted phrases", -exclusions) and ranked with ``SearchRank``.

On SQLite (development, tests) every word must appear in the title, the description or
the text (``icontains``; accents count)."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Lower

from .models import Resource

MAX_WORDS = 10
CONFIG = "french"

SORTS = {"pertinence", "date", "titre"}


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def refresh_vector(resource_id: int) -> None:
    """Recompute the search vector of one resource (PostgreSQL only)."""
    if not is_postgres():
        return
    Resource.objects.filter(pk=resource_id).update(search_vector=_vector())


def _vector():
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("description", weight="B", config=CONFIG)
        + SearchVector("search_text", weight="C", config=CONFIG)
    )


def refresh_all(organisation) -> int:
    """Recompute every search vector of ``organisation`` in one query (PostgreSQL only):
    after a bulk import, or to rebuild the vectors."""
    if not is_postgres():
        return 0
    return Resource.objects.filter(organisation=organisation).update(search_vector=_vector())


def search(resources: QuerySet, text: str) -> QuerySet:
    """``resources`` matching ``text``, annotated with ``rank``."""
    text = " ".join((text or "").split()[:MAX_WORDS])
    if not text:
        return resources.annotate(rank=Value(0.0, output_field=FloatField()))
    if is_postgres():
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return resources.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    for word in text.split():
        word = word.strip("\"'-")
        if word:
            resources = resources.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(search_text__icontains=word)
            )
    return resources.annotate(rank=Value(0.0, output_field=FloatField()))


def ordered(resources: QuerySet, sort: str, *, searching: bool) -> QuerySet:
    if sort == "titre":
        return resources.order_by(Lower("title"), "pk")
    if sort == "pertinence" and searching and is_postgres():
        return resources.order_by("-rank", "-date", "-pk")
    return resources.order_by("-date", "-pk")
