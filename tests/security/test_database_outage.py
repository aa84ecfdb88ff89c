"""The database unreachable: a French 503 page with Retry-After, never a 500 traceback,
whether the view or a middleware before it hit the database (sillon/database_outage.py).
tests/operations/test_postgres_restart.py stops a real PostgreSQL under gunicorn."""

import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path, reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNAVAILABLE = "Service momentanément indisponible"


def database_refuses(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def connection_closed(request):
    raise InterfaceError("connection already closed")


def broken(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("refuse/", database_refuses),
    path("closed/", connection_closed),
    path("broken/", broken),
]
handler500 = "sillon.views.server_error"


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    assert UNAVAILABLE in page
    assert "Traceback" not in page


def outage_lines(caplog) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "sillon.request" and record.getMessage().startswith("database")
    ]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "error"), [("/refuse/", "OperationalError"), ("/closed/", "InterfaceError")]
)
def test_a_view_that_cannot_reach_the_database_answers_503(client, caplog, url, error):
    with caplog.at_level(logging.INFO, logger="sillon.request"):
        response = client.get(url)

    assert_unavailable_page(response)
    [line] = outage_lines(caplog)
    assert line.levelno == logging.ERROR
    assert line.getMessage() == f"database unavailable: GET {url}: {error}"


@pytest.mark.urls(__name__)
def test_any_other_error_is_still_the_500_page(caplog):
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.INFO, logger="sillon.request"):
        response = client.get("/broken/")

    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    assert "Retry-After" not in response
    assert outage_lines(caplog) == []


def test_the_database_down_while_a_middleware_reads_the_session_answers_503(monkeypatch, caplog):
    """The session (and so the user) is read by the middlewares, before any view: the
    error they raise gives the same 503 page."""
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())

    def refuse(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "_get_session_from_db", refuse)
    with caplog.at_level(logging.INFO, logger="sillon.request"):
        response = client.get(reverse("home"))

    assert_unavailable_page(response)
    [line] = outage_lines(caplog)
    assert line.getMessage() == "database unavailable: GET /: OperationalError"
