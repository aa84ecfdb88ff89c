"""Load test: the demo served by gunicorn on the loopback, driven by locust at 1, 10, 25
and 50 simultaneous users; p50/p95/p99, requests per second and errors per level, and
p95 at the largest level ÷ p50 with one user (target: ≤ 5). See README.md.

The script runs in three processes: this one (locust, gevent), a preparation child
(``--prepare``: Django, the demo, the sessions and the pages of each person) and the
gunicorn server. Django never runs in the gevent process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import REPO_ROOT, create_database, progress

SECRET_KEY = "sillon-load-dummy-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
# The pages people use every day, by URL name, and how often each is requested.
PAGE_WEIGHTS = {
    "organisations:home": 4,
    "parcours:session_detail": 4,
    "parcours:timeline": 3,
    "parcours:my_calendar": 2,
    "parcours:session_list": 2,
    "parcours:team_detail": 2,
    "presences:attendance": 2,
    "organisations:members": 2,
    "evaluation:campaign_results": 2,
    "evaluation:my_campaigns": 1,
    "parcours:programme_list": 1,
}
PAGES_PER_NAME = 4  # distinct URLs kept per page name and person (sessions, teams…)
# The demo's people (demo/organisations.py, demo/teams.py); every team member is added.
PEOPLE = [
    ("coordinator", "claire.dubois@hautsdefrance.example"),
    ("coordinator", "julien.moreau@cnfpt.example"),
    ("trainer", "marc.lefebvre@conseil-territoires.example"),
    ("observer", "nadia.benali@draaf-hdf.example"),
]
# Of the requests, the share each role makes (team members are the many).
ROLE_WEIGHTS = {"coordinator": 2, "trainer": 2, "observer": 1, "team_member": 5}


def server_environment(database_url: str, settings_dir: Path, args) -> dict[str, str]:
    """Production-like settings for gunicorn and the manage.py commands: DEBUG off (so
    the cached template loader, the manifest static storage), no TLS redirect (plain
    HTTP on the loopback), Celery eager, cache in local memory unless --redis-url."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "sillon_load_settings",
            "PYTHONPATH": os.pathsep.join([str(settings_dir), str(REPO_ROOT)]),
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": str(args.conn_max_age),
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "BEHIND_TLS_PROXY": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "ERROR",
            "LOG_FORMAT": "json",
        }
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    return env


def write_settings(settings_dir: Path) -> None:
    """sillon.settings with STATIC_ROOT in the temporary directory (collectstatic's
    output, read by WhiteNoise and the manifest storage)."""
    (settings_dir / "sillon_load_settings.py").write_text(
        "from sillon.settings import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(settings_dir / 'static')!r}\n"
    )


# --- Preparation (a child process: Django) ---------------------------------------------


def prepare(output: str, sessions_per_person: int, team_members: int) -> None:
    """Migrate, load the demo, open a session per person (no password: a row of
    django_session, as a login would write) and list each person's pages that answer
    200, found by following the links from their home pages."""
    import re

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import Resolver404, resolve
    from django_scopes import scopes_disabled

    from accounts.models import User
    from parcours.models import TeamMember

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    people = list(PEOPLE)
    with scopes_disabled():
        members = TeamMember.objects.current().select_related("user").order_by("user__email")
        emails = sorted({member.user.email for member in members})
    people.extend(("team_member", email) for email in emails[:team_members])

    link = re.compile(r'href="(/[^"#?]*)"')
    result = []
    for role, email in people:
        user = User.objects.get(email=email)
        keys = []
        for _number in range(sessions_per_person):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.save()
            keys.append(session.session_key)
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = keys[0]
        pages: dict[str, list[str]] = {}
        queue, seen = ["/"], set()
        while queue and len(seen) < 150:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            try:
                name = resolve(path).view_name
            except Resolver404:
                continue
            if path != "/" and (
                name not in PAGE_WEIGHTS or len(pages.get(name, [])) >= PAGES_PER_NAME
            ):
                continue
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            if name in PAGE_WEIGHTS:
                pages.setdefault(name, []).append(path)
            queue.extend(link.findall(response.content.decode()))
        result.append({"role": role, "email": email, "sessions": keys, "pages": pages})
        progress(f"{role} {email}: {sum(len(p) for p in pages.values())} pages")
    Path(output).write_text(json.dumps(result))


# --- The server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(args, port: int, config: Path) -> list[str]:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "sillon.wsgi:application",
        "--config",
        str(config),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--timeout",
        "60",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
    ]
    if args.preload or args.gc_freeze:
        command.append("--preload")
    return command


def write_gunicorn_config(path: Path, args) -> None:
    """Our own configuration file (never the repository's gunicorn.conf.py, unless
    --gunicorn-config asks for it): nothing, or gc.freeze() before the fork."""
    if args.gunicorn_config:
        shutil.copy(args.gunicorn_config, path)
        return
    lines = ["import gc", ""]
    if args.gc_freeze:
        lines += [
            "def when_ready(server):",
            "    gc.collect()",
            "    gc.freeze()",
            "",
        ]
    path.write_text("\n".join(lines) + "\n")


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


# --- The load (this process: locust) -------------------------------------------------


def build_pool(people: list[dict]) -> list[tuple[str, str, str, float]]:
    """[(session key, path, page name, weight)]: every (person, page) pair, weighted so
    that each role makes its share of the requests and each page name its share of a
    person's requests."""
    by_role: dict[str, list[dict]] = {}
    for person in people:
        if person["pages"]:
            by_role.setdefault(person["role"], []).append(person)
    pool = []
    for role, persons in by_role.items():
        for person in persons:
            total = sum(PAGE_WEIGHTS[name] for name in person["pages"])
            for name, paths in person["pages"].items():
                for path in paths:
                    weight = (
                        ROLE_WEIGHTS[role] / len(persons) * PAGE_WEIGHTS[name] / total / len(paths)
                    )
                    for key in person["sessions"]:
                        pool.append((key, path, name, weight / len(person["sessions"])))
    return pool


def run_levels(args, port: int, pool) -> list[dict]:
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    choices = [entry[:3] for entry in pool]
    weights = [entry[3] for entry in pool]
    think_min, think_max = args.think

    class Person(HttpUser):
        host = f"http://127.0.0.1:{port}"
        wait_time = between(think_min, think_max)

        @task
        def visit(self):
            key, path, name = random.choices(choices, weights)[0]
            self.client.get(path, name=name, cookies={"sessionid": key}, allow_redirects=False)

    class Alone(Person):
        """The single user requests back to back: alone, a pause changes nothing of
        what it measures (the latency of an idle server) and gives more samples."""

        wait_time = between(0, 0)

    # Every page once per worker first: templates compiled, URL patterns and
    # translations loaded, as in a server that has been up for a while.
    warm = Environment(user_classes=[Person]).create_local_runner()
    session = Person(warm.environment).client
    for key, path, _name in {entry[1]: entry for entry in choices}.values():
        for _round in range(args.workers * max(args.threads, 1)):
            session.get(path, cookies={"sessionid": key}, allow_redirects=False)
    warm.quit()

    levels = []
    for users in args.users:
        environment = Environment(user_classes=[Alone if users == 1 else Person])
        runner = environment.create_local_runner()
        runner.start(users, spawn_rate=max(users, 1) * 2)
        gevent.sleep(1 + args.ramp)  # every user started, then a warm-up
        environment.stats.reset_all()
        started = time.monotonic()
        gevent.sleep(args.seconds)
        elapsed = time.monotonic() - started
        total = environment.stats.total
        pages = {
            name: (
                entry.num_requests,
                entry.median_response_time,
                entry.get_response_time_percentile(0.95),
            )
            for (name, _method), entry in environment.stats.entries.items()
        }
        levels.append(
            {
                "users": users,
                "requests": total.num_requests,
                "p50": total.get_response_time_percentile(0.50),
                "p95": total.get_response_time_percentile(0.95),
                "p99": total.get_response_time_percentile(0.99),
                "rps": total.num_requests / elapsed,
                "errors": total.num_failures,
                "load": os.getloadavg()[0],
                "failures": [
                    f"{error.occurrences} × {error.name}: {error.error}"
                    for error in environment.stats.errors.values()
                ],
                "pages": pages,
            }
        )
        runner.quit()
        progress(
            f"{users} users: {total.num_requests} requests, p50 {levels[-1]['p50']} ms, "
            f"p95 {levels[-1]['p95']} ms, {total.num_failures} errors"
        )
        gevent.sleep(1)
    return levels


def report(levels: list[dict], args, command: str) -> None:
    print()
    print(f"# {command}")
    print(
        f"# gunicorn: {args.workers} × {args.worker_class}"
        f"{f' ({args.threads} threads)' if args.worker_class == 'gthread' else ''}, "
        f"preload {'on' if args.preload or args.gc_freeze else 'off'}, "
        f"gc.freeze {'on' if args.gc_freeze else 'off'}, "
        f"DB_CONN_MAX_AGE {args.conn_max_age}, think time {args.think[0]}–{args.think[1]} s "
        "(none for 1 user)"
    )
    print()
    print("| users | requests | p50 (ms) | p95 (ms) | p99 (ms) | req/s | errors | load avg |")
    print("|---|---|---|---|---|---|---|---|")
    for level in levels:
        print(
            f"| {level['users']} | {level['requests']} | {level['p50']:.0f} | "
            f"{level['p95']:.0f} | {level['p99']:.0f} | {level['rps']:.1f} | "
            f"{level['errors']} | {level['load']:.1f} |"
        )
    for level in levels:
        for failure in level["failures"]:
            print(f"  errors at {level['users']} users: {failure}")
    first, last = levels[0], levels[-1]
    if first["p50"]:
        ratio = last["p95"] / first["p50"]
        verdict = "PASS" if ratio <= 5 else "FAIL"
        print()
        print(
            f"p95({last['users']}) ÷ p50({first['users']}) = {last['p95']:.0f} / "
            f"{first['p50']:.0f} = {ratio:.2f} (target ≤ 5: {verdict})"
        )
    print()
    print(f"Per page at {last['users']} users (requests, p50 ms, p95 ms):")
    for name, (count, median, p95) in sorted(last["pages"].items()):
        print(f"  {name:<32} {count:>6} {median:>8.0f} {p95:>8.0f}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--users",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 10, 25, 50],
        help="simultaneous users, one level each (1,10,25,50)",
    )
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per level")
    parser.add_argument("--ramp", type=float, default=3, help="unmeasured seconds per level")
    parser.add_argument(
        "--think",
        type=lambda text: tuple(float(part) for part in text.split(",")),
        default=(1.0, 3.0),
        help="each user's pause between two pages, min,max seconds (1,3)",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload")
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() in the master (implies --preload)"
    )
    parser.add_argument(
        "--gunicorn-config", help="a gunicorn config file to start from (default: none)"
    )
    parser.add_argument("--conn-max-age", type=int, default=0, help="DB_CONN_MAX_AGE (0)")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="the PostgreSQL server where sillon_bench_<pid> is made and dropped",
    )
    parser.add_argument("--redis-url", help="REDIS_URL for the server (default: no Redis)")
    parser.add_argument("--sessions-per-person", type=int, default=2)
    parser.add_argument(
        "--team-members", type=int, default=12, help="team members of the demo logged in (12)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.prepare:
        prepare(args.prepare, args.sessions_per_person, args.team_members)
        return
    # gevent patches the standard library first, before anything opens a socket.
    import locust  # noqa: F401

    random.seed(args.seed)
    command = "bench/load.py " + " ".join(sys.argv[1:] if argv is None else argv)
    database_url, drop_database = create_database(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="sillon-load-"))
    server = None
    try:
        write_settings(workdir)
        env = server_environment(database_url, workdir, args)
        progress(f"database {database_url.rsplit('/', 1)[-1]}: migrate, demo, collectstatic")
        subprocess.run(  # noqa: S603 (this script, this Python)
            [
                sys.executable,
                __file__,
                "--prepare",
                str(workdir / "people.json"),
                "--sessions-per-person",
                str(args.sessions_per_person),
                "--team-members",
                str(args.team_members),
            ],
            env=env,
            cwd=REPO_ROOT,
            check=True,
        )
        people = json.loads((workdir / "people.json").read_text())
        pool = build_pool(people)
        port = free_port()
        config = workdir / "gunicorn_load.py"
        write_gunicorn_config(config, args)
        server = subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
            gunicorn_command(args, port, config),
            env=env,
            cwd=workdir,
            start_new_session=True,
        )
        wait_until_up(port, server)
        progress(f"gunicorn on 127.0.0.1:{port}; {len(pool)} (session, page) pairs")
        levels = run_levels(args, port, pool)
        report(levels, args, command)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)
        drop_database()


if __name__ == "__main__":
    main()
