"""House rules for every test:

* unknown template variables fail (``--fail-on-template-vars`` in pyproject.toml);
* warnings are errors (``filterwarnings = error``);
* on-commit callbacks run when the service's transaction closes, as in production;
* Celery runs tasks eagerly (a dedicated test starts a real worker);
* outbound network connections other than to this machine are refused;
* with ``SILLON_TEST_STORAGE=s3`` files go to a local S3-compatible server (storage_s3.py).
"""

import socket
import uuid

import pytest
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from sillon import ratelimit
from sillon.celery import app as celery_app

# S3-compatible storage (moto): the ``s3_storage`` fixture, and SILLON_TEST_STORAGE=s3.
pytest_plugins = ["tests.storage_s3"]

celery_app.conf.task_always_eager = True
celery_app.conf.task_eager_propagates = True

LOOPBACK_PREFIXES = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_document_temp_dir(settings, tmp_path_factory):
    """Each test worker builds documents in a folder of its own: the parallel workers'
    databases number their documents alike, and one worker's sweep of abandoned builds
    (``documents.queue.clean_temporary_files``, which reads the ids in the file names)
    would remove another worker's files in progress."""
    settings.DOCUMENT_TEMP_DIR = tmp_path_factory.getbasetemp() / "document-builds"


@pytest.fixture(autouse=True)
def _own_rate_limit_counters(monkeypatch):
    """Each test counts its own uses (``sillon.ratelimit``, and allauth's login limits):
    with Redis the cache is shared by the parallel workers, whose users have the same ids
    and whose clients all come from 127.0.0.1."""
    prefix = f"test-limit:{uuid.uuid4().hex}"
    monkeypatch.setattr(ratelimit, "PREFIX", prefix)
    allauth_key = allauth_ratelimit.get_cache_key
    monkeypatch.setattr(
        allauth_ratelimit,
        "get_cache_key",
        lambda *args, **kwargs: f"{prefix}:{allauth_key(*args, **kwargs)}",
    )


@pytest.fixture(autouse=True)
def _block_outbound_network(monkeypatch):
    real_connect = socket.socket.connect

    def guarded_connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and sock.family in (socket.AF_INET, socket.AF_INET6)
            and not host.startswith(LOOPBACK_PREFIXES)
        ):
            raise OSError(f"Tests must not reach the network (tried {address!r}).")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def _run_on_commit_callbacks(request, monkeypatch):
    """Inside a test's wrapping transaction nothing ever commits, so on-commit callbacks
    would never run. Run them when the outermost block *the code under test* opened
    closes without error (or at once when registered outside any such block)."""
    uses_db = (
        request.node.get_closest_marker("django_db")
        or "db" in request.fixturenames
        or "transactional_db" in request.fixturenames
    )
    if not uses_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    connection = connections["default"]
    base_depth = len(connection.atomic_blocks)

    def run_pending():
        while connection.run_on_commit and len(connection.atomic_blocks) == base_depth:
            _sids, func, _robust = connection.run_on_commit.pop(0)
            func()

    real_exit = transaction.Atomic.__exit__

    def exit_and_run(atomic, exc_type, exc_value, traceback):
        result = real_exit(atomic, exc_type, exc_value, traceback)
        if exc_type is None and base_depth:
            run_pending()
        return result

    real_on_commit = BaseDatabaseWrapper.on_commit

    def on_commit(wrapper, func, robust=False):
        real_on_commit(wrapper, func, robust)
        if base_depth and wrapper is connection:
            run_pending()

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_and_run)
    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)
    yield


@pytest.fixture
def contribute():
    """``contribute(point, receiver)`` connects ``receiver`` to an extension point
    (``sillon.extensions``) for the length of the test, as an app above would; it comes
    after the apps' own contributions."""
    connected = []

    def connect(point, receiver, **options):
        point.connect(receiver, weak=False, **options)
        connected.append((point, receiver))
        return receiver

    yield connect
    for point, receiver in connected:
        point.disconnect(receiver)
