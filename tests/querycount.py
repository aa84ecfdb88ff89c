"""Query-count assertions: a list page runs the same number of queries with 5 and 50 rows."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

MAX_QUERIES_PER_PAGE = 20


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


def assert_constant_queries(
    client, url: str, add_rows: Callable[[int], object], sizes: tuple[int, int] = (5, 50)
) -> int:
    """Add rows up to ``sizes[0]``, count the page's queries, add rows up to ``sizes[1]``,
    count again: both counts must be equal and at most ``MAX_QUERIES_PER_PAGE``. On failure
    the SQL of both runs is printed."""
    small, large = sizes
    add_rows(small)
    client.get(url)  # warm caches that are legitimately filled once (content types…)
    first, first_sql = count_queries(client, url)
    add_rows(large - small)
    second, second_sql = count_queries(client, url)
    detail = "\n".join(["-- with few rows:", *first_sql, "-- with many rows:", *second_sql])
    assert first == second, (
        f"{url}: {first} queries with {small} rows, {second} with {large}\n{detail}"
    )
    assert first <= MAX_QUERIES_PER_PAGE, f"{url}: {first} queries\n{detail}"
    return first
