"""Structured logs: one line per request and one per Celery task.

* ``JsonFormatter`` writes each record as one JSON object (``LOG_FORMAT=json``, the
  default of docker-compose); ``TextFormatter`` keeps development readable. Both add the
  current request id.
* ``RequestLogMiddleware`` (first in ``MIDDLEWARE``) takes the request id from the
  ``X-Request-ID`` header (or makes one), echoes it in the response and logs, on the
  ``sillon.request`` logger, the method, path, status, duration, organisation and user.
* ``connect_task_signals`` logs each task's name, id, final state and duration on the
  ``sillon.task`` logger (connected in ``SillonConfig.ready``).

Paths are logged without their query string; nobody's name or address is logged.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils.functional import SimpleLazyObject, empty

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept when it is short and plain (a proxy's or a client's); anything
# else is replaced, so that a header cannot forge log lines.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id_var: ContextVar[str | None] = ContextVar("sillon_request_id", default=None)

request_logger = logging.getLogger("sillon.request")
task_logger = logging.getLogger("sillon.task")

# The attributes every LogRecord has: anything else was passed in ``extra``.
_STANDARD_ATTRIBUTES = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _extras(record: logging.LogRecord) -> dict:
    return {key: value for key, value in record.__dict__.items() if key not in _STANDARD_ATTRIBUTES}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the
    request id when there is one, the ``extra`` fields and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        line.update(_extras(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger message [request id]`` for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = request_id_var.get()
        if request_id and record.name != request_logger.name:
            text += f" [{request_id}]"
        return text


def _request_id(request) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if VALID_REQUEST_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def _user_id(request) -> int | None:
    """The signed-in user's id, without loading the session or the user just for the
    log: a page that never looked at its user is logged without one."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def _organisation_slug(request) -> str | None:
    organisation = getattr(request, "organisation", None)
    return getattr(organisation, "slug", None)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request)
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "%s %s %s %s ms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "request_id": request_id,
                    "organisation": _organisation_slug(request),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# --- Celery tasks ------------------------------------------------------------------------

_task_started: dict[str, tuple[float, object]] = {}
# The header carrying the request id of the request that queued a task.
TASK_REQUEST_ID_HEADER = "sillon_request_id"


def _before_publish(headers=None, **_kwargs) -> None:
    """A task queued during a request carries its request id, so the worker's lines of
    that task can be found from the request's (and the other way round)."""
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_REQUEST_ID_HEADER, request_id)


def _task_prerun(task_id=None, task=None, **_kwargs) -> None:
    if not task_id:
        return
    request_id = None
    request = getattr(task, "request", None)
    if request is not None:
        request_id = getattr(request, TASK_REQUEST_ID_HEADER, None) or (
            (getattr(request, "headers", None) or {}).get(TASK_REQUEST_ID_HEADER)
        )
    # Eager tasks run inside the request: they keep its id.
    token = request_id_var.set(request_id) if request_id else None
    _task_started[task_id] = (time.monotonic(), token)


def _task_postrun(task_id=None, task=None, state=None, kwargs=None, **_kwargs) -> None:
    started, token = _task_started.pop(task_id, (None, None))
    # Only a task run eagerly that propagates its error ends without a state.
    state = state or "FAILURE"
    duration_ms = round((time.monotonic() - started) * 1000, 1) if started else None
    name = getattr(task, "name", None)
    level = logging.INFO if state in {"SUCCESS", "RETRY"} else logging.WARNING
    extra = {"task": name, "task_id": task_id, "state": state, "duration_ms": duration_ms}
    if request_id_var.get():
        extra["request_id"] = request_id_var.get()
    # Tasks take ids, never objects: the organisation and the acting user when given.
    for key in ("organisation_id", "user_id", "acting_user_id"):
        value = (kwargs or {}).get(key)
        if isinstance(value, int):
            extra[key] = value
    try:
        task_logger.log(level, "task %s %s %s ms", name, state, duration_ms, extra=extra)
    finally:
        if token is not None:
            request_id_var.reset(token)


def connect_task_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(
        _before_publish, weak=False, dispatch_uid="sillon.observability.publish"
    )
    task_prerun.connect(_task_prerun, weak=False, dispatch_uid="sillon.observability.prerun")
    task_postrun.connect(_task_postrun, weak=False, dispatch_uid="sillon.observability.postrun")
