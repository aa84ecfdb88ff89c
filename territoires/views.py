"""The autocomplete's suggestions: an HTML fragment of ``role="option"`` items (no JSON),
for any signed-in person (the reference geography is public data shared by every
organisation)."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Territory
from .selectors import search_territories

MIN_LENGTH = 2
_WIDGET_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,80}$")


def parse_kinds(value: str) -> list[str]:
    """« epci,commune » → the known kinds among them (unknown ones are ignored)."""
    return [kind for kind in value.split(",") if kind in Territory.Kind.values]


@login_required
@require_GET
def search(request):
    query = request.GET.get("q", "")
    widget_id = request.GET.get("for", "")
    if not _WIDGET_ID.match(widget_id):
        widget_id = "territoire"
    results = []
    if len(query.strip()) >= MIN_LENGTH:
        results = search_territories(query, kinds=parse_kinds(request.GET.get("kinds", "")))
    return render(
        request,
        "territoires/_options.html",
        {"results": results, "widget_id": widget_id, "query": query},
    )
