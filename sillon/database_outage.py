"""The database unreachable (PostgreSQL restarting, failing over, out of connections):
a French « Service momentanément indisponible » page, status 503 with ``Retry-After``,
instead of a 500 — and one error line on the ``sillon.request`` logger.

Two ways in, one page:

* ``DatabaseUnavailableMiddleware.process_exception``: a view (or its template) raised
  ``OperationalError`` or ``InterfaceError``.
* ``sillon.views.server_error`` (``handler500``) asks ``is_database_outage``: the error
  came from a middleware before the view (the session, the user, the organisation are
  read there). Django turns such an exception into a response where it is raised, so no
  outer middleware can catch it; the error handler sees every one.

The page is rendered without the request: no context processor, no session, no user,
nothing that would query the database that is down.

Nothing else is needed for the recovery: ``conn_health_checks`` (settings) makes each
worker drop a persistent connection that died with the server and open a new one.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client (or a proxy, a monitoring probe) is asked to wait before retrying:
# a PostgreSQL restart or a failover takes seconds to a minute.
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger("sillon.request")


def is_database_outage(exception: BaseException | None) -> bool:
    """Whether ``exception``, or one it was raised from or while handling, is the
    database's ``OperationalError`` or ``InterfaceError``."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, DATABASE_ERRORS):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or exception.__context__
    return False


def service_unavailable(request, exception: BaseException) -> HttpResponse:
    """The 503 page, and the log line saying why."""
    logger.error(
        "database unavailable: %s %s: %s",
        request.method,
        request.path,
        type(exception).__name__,
        extra={
            "method": request.method,
            "path": request.path,
            "status": 503,
            "error": f"{type(exception).__name__}: {exception}".strip(),
        },
    )
    response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable answers 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return service_unavailable(request, exception)
        return None
