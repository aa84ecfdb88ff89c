"""Finding territories by what a person types: a name (accents, hyphens, « St » for
« Saint » tolerated) or an official code (INSEE, SIREN, département number)."""

import re
from functools import reduce
from operator import and_, or_

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import Territory
from .text import normalise, normalise_query

Kind = Territory.Kind
# What a team usually is first: an EPCI, then a commune, then the rest.
KIND_PRIORITY = {Kind.EPCI: 0, Kind.COMMUNE: 1}
_CODE = re.compile(r"^(?:\d[0-9AB]\d*|2[AB]\d*)$")
# « Lille (59) » as the autocomplete shows it: a name and its département's code.
_NAME_AND_PARENT_CODE = re.compile(r"^(?P<name>.*\S)\s*\((?P<code>[0-9AB]{2,3})\)$")


def _variants(text: str) -> list[str]:
    return [v for v in dict.fromkeys([normalise(text), normalise_query(text)]) if v]


def _name_filter(variants: list[str]) -> Q:
    # Every typed word appears in the name, in any order.
    return reduce(
        or_,
        (reduce(and_, (Q(search_name__contains=word) for word in v.split())) for v in variants),
    )


def _ranked(queryset: QuerySet, code: str, variants: list[str]) -> QuerySet:
    rank_cases = [When(code=code, then=Value(0))] if code else []
    if variants:
        rank_cases += [
            When(search_name__in=variants, then=Value(1)),
            When(reduce(or_, (Q(search_name__startswith=v) for v in variants)), then=Value(2)),
            When(
                reduce(or_, (Q(search_name__contains=f" {v}") for v in variants)),
                then=Value(3),
            ),
        ]
    return queryset.annotate(
        match_rank=Case(*rank_cases, default=Value(4), output_field=IntegerField()),
        kind_rank=Case(
            *(When(kind=kind, then=Value(rank)) for kind, rank in KIND_PRIORITY.items()),
            default=Value(len(KIND_PRIORITY)),
            output_field=IntegerField(),
        ),
    ).order_by("match_rank", "kind_rank", "search_name", "code")


def search_territories(query: str, *, kinds=None, limit: int = 20) -> list[Territory]:
    """At most ``limit`` territories matching ``query``, best first: exact code, exact
    name, names starting with the query, names with a word starting with it, other
    names containing every word; within each, EPCI, then communes, then the rest, by
    name. Each comes with its ``parent`` (for ``Territory.label``)."""
    text = " ".join(query.split())[:100]
    if not text:
        return []
    queryset = Territory.objects.select_related("parent")
    if kinds:
        queryset = queryset.filter(kind__in=list(kinds))
    parent_code = ""
    match = _NAME_AND_PARENT_CODE.match(text)
    if match:
        text, parent_code = match["name"], match["code"].upper()
        queryset = queryset.filter(Q(parent__code=parent_code) | Q(code=parent_code))
    code = text.replace(" ", "").upper()
    code = code if _CODE.match(code) else ""
    variants = _variants(text)
    found = Q(pk__in=[])
    if code:
        found |= Q(code=code)
        if len(code) >= 3:
            found |= Q(code__startswith=code)
    if variants:
        found |= _name_filter(variants)
    return list(_ranked(queryset.filter(found), code, variants)[:limit])


def resolve_territory(text: str, *, kinds=None) -> tuple[Territory | None, list[Territory]]:
    """What a plain text field (no JavaScript) names: ``(territory, [])`` when one
    territory matches (its code, its name or its label exactly, or it is the only
    result), else ``(None, candidates)``: several to choose from, or none."""
    text = " ".join(text.split())
    # The label the autocomplete shows, « Métropole Européenne de Lille — EPCI, Nord »,
    # names its territory too.
    name = text.split(" — ")[0]
    candidates = search_territories(name, kinds=kinds, limit=10)
    if len(candidates) == 1:
        return candidates[0], []
    wanted = normalise(text)
    exact = [
        territory
        for territory in candidates
        if territory.code == text.upper()
        or normalise(territory.label) == wanted
        or territory.search_name == wanted
    ]
    if len(exact) == 1:
        return exact[0], []
    return None, exact or candidates
