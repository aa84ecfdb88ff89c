"""Structured logs: one line per request (method, path, status, duration, request id,
organisation, user) with the request id echoed in ``X-Request-ID``, one per Celery task
(name, id, state, duration), as JSON with LOG_FORMAT=json; Sentry only with a DSN."""

import json
import logging
import subprocess
import sys

import pytest

from sillon.celery import app as celery_app
from sillon.observability import JsonFormatter
from tests.factories import MembershipFactory
from tests.operations.conftest import ROOT


@celery_app.task(name="tests.operations.add")
def add(a, b):
    return a + b


@celery_app.task(name="tests.operations.fail")
def fail():
    raise RuntimeError("échec voulu")


def request_lines(caplog):
    return [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "sillon.request"
    ]


@pytest.mark.django_db
def test_one_json_line_per_request_with_its_organisation_and_user(client, caplog):
    membership = MembershipFactory()
    client.force_login(membership.user)
    caplog.set_level(logging.INFO, logger="sillon.request")
    response = client.get(f"/{membership.organisation.slug}/?secret=1")
    assert response.status_code == 200
    [line] = request_lines(caplog)
    assert line["method"] == "GET"
    assert line["path"] == f"/{membership.organisation.slug}/"  # no query string
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["organisation"] == membership.organisation.slug
    assert line["user_id"] == membership.user.pk
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["level"], line["logger"]) == ("INFO", "sillon.request")
    assert "secret" not in json.dumps(line)


@pytest.mark.django_db
def test_an_anonymous_request_outside_any_organisation(client, caplog):
    caplog.set_level(logging.INFO, logger="sillon.request")
    response = client.get("/page-qui-n-existe-pas/")
    [line] = request_lines(caplog)
    assert (line["status"], line["organisation"], line["user_id"]) == (404, None, None)
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_the_request_id_comes_from_the_header_or_is_made(client):
    given = client.get("/health/", headers={"X-Request-ID": "caddy-4f2a.1"})
    assert given["X-Request-ID"] == "caddy-4f2a.1"
    made = client.get("/health/")
    other = client.get("/health/")
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != other["X-Request-ID"]
    # A header that could forge log lines is replaced.
    forged = client.get("/health/", headers={"X-Request-ID": 'x" "level": "ERROR'})
    assert forged["X-Request-ID"] != 'x" "level": "ERROR'
    assert len(forged["X-Request-ID"]) == 32


def test_one_line_per_task_with_its_state_and_duration(caplog):
    caplog.set_level(logging.INFO, logger="sillon.task")
    result = add.delay(2, 3)
    with pytest.raises(RuntimeError):
        fail.delay()
    lines = [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "sillon.task"
    ]
    assert [(line["task"], line["state"], line["level"]) for line in lines] == [
        ("tests.operations.add", "SUCCESS", "INFO"),
        ("tests.operations.fail", "FAILURE", "WARNING"),
    ]
    assert lines[0]["task_id"] == result.id
    assert all(line["duration_ms"] >= 0 for line in lines)


def test_a_task_queued_by_a_request_logs_that_request_id_and_its_organisation(caplog):
    """The request's id travels in the message's headers; the worker's task line carries
    it, with the organisation and user ids the task was given."""
    from types import SimpleNamespace

    from sillon import observability

    token = observability.request_id_var.set("req-42")
    headers: dict = {}
    try:
        observability._before_publish(headers=headers)
    finally:
        observability.request_id_var.reset(token)
    assert headers == {observability.TASK_REQUEST_ID_HEADER: "req-42"}

    # In the worker: no request around; the header comes back as the task's request.
    caplog.set_level(logging.INFO, logger="sillon.task")
    task = SimpleNamespace(name="documents.build", request=SimpleNamespace(**headers))
    observability._task_prerun(task_id="t-1", task=task)
    observability._task_postrun(
        task_id="t-1", task=task, state="SUCCESS", kwargs={"organisation_id": 7, "user_id": 3}
    )
    [line] = [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "sillon.task"
    ]
    assert (line["request_id"], line["organisation_id"], line["user_id"]) == ("req-42", 7, 3)
    # The id does not leak into what the worker does next.
    assert observability.request_id_var.get() is None


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "sillon.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_log_format_json_writes_json_lines_and_text_stays_readable():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('sillon.request').info('GET / 200', extra={'status': 200})"
    )
    json_line = run_python(code, LOG_FORMAT="json").stderr.strip().splitlines()[-1]
    assert json.loads(json_line)["status"] == 200
    text_line = run_python(code).stderr.strip().splitlines()[-1]
    assert text_line.endswith("INFO sillon.request GET / 200")


def test_sentry_starts_only_with_a_dsn_and_sends_no_personal_data():
    code = (
        "import django, sentry_sdk; django.setup(); client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options['send_default_pii'], "
        "sorted(i for i in client.integrations if i in ('django', 'celery')))"
    )
    assert run_python(code).stdout.strip() == "False None []"
    with_dsn = run_python(code, SENTRY_DSN="https://public@127.0.0.1/1").stdout.strip()
    assert with_dsn == "True False ['celery', 'django']"
