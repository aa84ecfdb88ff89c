"""Spreadsheet downloads (CSV, XLSX) through tablib, with formula injection escaped.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
would be read as a formula by a spreadsheet (OWASP "CSV injection"): it gets a leading
apostrophe. Numbers are left as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import tablib
from django.http import Http404, HttpResponse
from django.utils.text import slugify

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


def escape_formula(value):
    """``value`` made safe for a spreadsheet cell: text that a spreadsheet would take for
    a formula gets a leading apostrophe; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value
    return escape_formula(str(value))


def spreadsheet_response(
    *, headers: Sequence[str], rows: Iterable[Sequence], filename: str, fmt: str
) -> HttpResponse:
    """A download of ``rows`` under ``headers`` as CSV (UTF-8 with a byte order mark,
    so Excel reads accents, comma-separated) or XLSX. ``filename`` has no extension; it
    is made ASCII-safe. An unknown ``fmt`` raises Http404."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    dataset = tablib.Dataset(headers=[_cell(header) for header in headers])
    dataset.title = "Export"
    for row in rows:
        dataset.append([_cell(value) for value in row])
    if fmt == "csv":
        content: bytes | str = "\ufeff" + dataset.export("csv")
    else:
        content = dataset.export("xlsx")
    safe_name = slugify(filename) or "export"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
