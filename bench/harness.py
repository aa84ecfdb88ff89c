"""What every benchmark of bench/ shares: a throwaway database (SQLite file or a
PostgreSQL database made and dropped), production-like Django settings, the common
command-line options, timing rounds, captured SQL and percentiles. See README.md."""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent


def progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def captured_sql(client, path: str, *, expected: int = 200) -> list[str]:
    """The SQL of one request to ``path`` after a warm-up request (so caches are as a
    returning user finds them); stops the benchmark if the page does not answer
    ``expected``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    if response.status_code != expected:
        raise SystemExit(f"{path} answered {response.status_code}")
    return [query["sql"] for query in context.captured_queries]


# The floor: the same person's request to a missing URL (the middlewares and a 404).
FLOOR_PATH = "/sillon-bench-introuvable/page/inexistante/"


def measure_pages(client, urls: dict[str, str], measures, floor: list[float], args) -> None:
    """Each of ``measures`` (with ``label``, ``sql``, ``queries`` and ``page`` samples)
    gets the SQL of its page ``urls[label]``, then all are timed with the floor (its
    samples into ``floor``), shuffled round after round (``time_rounds``)."""
    for measure in measures:
        measure.sql = captured_sql(client, urls[measure.label])
        measure.queries = len(measure.sql)
    progress(f"timing: {args.warmup} + {args.requests} rounds")
    time_rounds(client, [(urls[m.label], m.page) for m in measures] + [(FLOOR_PATH, floor)], args)


def time_rounds(client, targets: list[tuple[str, list[float]]], args) -> None:
    """``args.warmup`` untimed then ``args.requests`` timed rounds over ``targets``
    ((path, samples) pairs, shuffled each round so no page always follows another),
    each duration appended to its samples, on the clock ``args.clock`` chose."""
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    order = list(targets)
    for round_number in range(args.warmup + args.requests):
        random.shuffle(order)
        for path, samples in order:
            start = clock()
            client.get(path)
            elapsed = clock() - start
            if round_number >= args.warmup:
                samples.append(elapsed)


def create_database(server_url: str | None) -> tuple[str, Callable[[], None]]:
    """Return (DATABASE_URL, drop) for a database of our own."""
    if server_url is None:
        handle, path = tempfile.mkstemp(prefix="sillon-bench-", suffix=".sqlite3")
        os.close(handle)

        def drop_sqlite() -> None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(path + suffix).unlink(missing_ok=True)

        return f"sqlite:///{path}", drop_sqlite

    import psycopg
    from psycopg import sql

    name = f"sillon_bench_{os.getpid()}"
    parts = urlsplit(server_url)
    admin_url = (
        server_url if parts.path.strip("/") else urlunsplit(parts._replace(path="/postgres"))
    )
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop_postgres() -> None:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    return urlunsplit(parts._replace(path=f"/{name}")), drop_postgres


def bench_parser(
    description: str, *, requests: int | None = 30, warmup: int = 5, warmup_of: str = "rounds"
) -> argparse.ArgumentParser:
    """The options the focused benchmark scripts share (``--database-url``, ``--requests``
    when they time pages, ``--warmup``, ``--seed``, ``--clock``); a script adds its own
    and calls ``parse_args()``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite file)")
    if requests is not None:
        parser.add_argument(
            "--requests",
            type=int,
            default=requests,
            help=f"timed requests per page ({requests})",
        )
    parser.add_argument(
        "--warmup", type=int, default=warmup, help=f"untimed {warmup_of} first ({warmup})"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: time.perf_counter (default); cpu: this process's CPU time, steadier "
        "on a busy machine but blind to a PostgreSQL server's own work",
    )
    return parser


@contextmanager
def bench_database(server_url: str | None, *, seed: int) -> Iterator[None]:
    """A database of our own (SQLite file, or ``sillon_bench_<pid>`` on a server), Django
    set up on it and migrated, factory_boy reseeded; every connection closed and the
    database dropped at the end, even when set-up failed."""
    database_url, drop_database = create_database(server_url)
    try:
        configure_django(database_url)
        import factory.random
        from django.core.management import call_command
        from django.db import connection

        progress(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        call_command("migrate", verbosity=0, interactive=False)
        factory.random.reseed_random(seed)
        yield
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # Django may not be set up if set-up failed
            progress(f"closing connections: {error}")
        drop_database()


def configure_django(database_url: str) -> None:
    """Production-like settings through the environment sillon/settings.py reads."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "sillon.settings",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "0",
            "DEBUG": "0",
            "SECRET_KEY": "sillon-bench-dummy-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Every 404 (the floor) would log a warning.
            "LOG_LEVEL": "ERROR",
        }
    )
    # No broker, so Celery runs tasks eagerly.
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(REPO_ROOT))
    # WhiteNoise warns that STATIC_ROOT (collectstatic's output) does not exist.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)

    from django.test.utils import override_settings

    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()

    from django.conf import settings

    from sillon.celery import app as celery_app

    assert not settings.DEBUG
    assert celery_app.conf.task_always_eager, "Celery must run eagerly (no broker)"
    assert settings.MAILERS["default"]["BACKEND"].endswith("locmem.EmailBackend")
    assert not settings.SCOPES_DISABLED


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
