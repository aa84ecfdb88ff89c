"""Helpers of the operations tests: throwaway PostgreSQL databases on the server the
tests use (DATABASE_URL when it is PostgreSQL, else 127.0.0.1:5432, which CI and the
development machines always have), and ``manage.py`` and the scripts run as an operator
would, in subprocesses."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0] + "/postgres"
    return DEFAULT_SERVER


def database_url(name: str) -> str:
    return server_url().rsplit("/", 1)[0] + f"/{name}"


def _admin(statement) -> None:
    with psycopg.connect(server_url(), autocommit=True) as connection:
        connection.execute(statement)


def create_database(name: str) -> str:
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(name)


def drop_database(name: str) -> None:
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def new_database():
    """``new_database()`` creates an empty database and gives its URL; each is dropped
    at the end of the test."""
    created = []

    def make() -> str:
        name = f"sillon_ops_{uuid.uuid4().hex[:12]}"
        created.append(name)
        return create_database(name)

    yield make
    for name in created:
        drop_database(name)


def environment(database: str, media: Path, **extra: str) -> dict[str, str]:
    """The environment of a development install on ``database``: no broker (tasks run
    at once), e-mails kept in memory, files under ``media``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "CELERY_", "REDIS_", "SENTRY_"))
    }
    env.update(
        DATABASE_URL=database,
        MEDIA_ROOT=str(media),
        DEBUG="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHON=sys.executable,
        **extra,
    )
    return env


def run(command: list[str], env: dict[str, str], check: bool = True):
    """Run ``command`` from the project's folder; on an unexpected status, fail with its
    output."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} exited with {result.returncode}:\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def manage(*args: str, env: dict[str, str], check: bool = True):
    return run([sys.executable, "manage.py", *args], env, check=check)
