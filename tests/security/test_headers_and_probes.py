"""The ``Permissions-Policy`` header on every response, and ``/health/`` keeping its
details for staff and for probes from inside (``sillon/permissions_policy.py``,
``sillon/health.py``)."""

import dataclasses

import pytest
from django.urls import reverse
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from sillon.health import SillonHealthCheckView
from sillon.permissions_policy import permissions_policy_header
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.7"  # a documentation address: the public internet


@pytest.mark.parametrize(
    "url",
    ["/", "/auth/login/", "/mentions-legales/", "/page-qui-n-existe-pas/", "/health/"],
)
def test_every_response_turns_the_powerful_features_off(client, url):
    policy = client.get(url).headers["Permissions-Policy"]

    features = dict(item.split("=") for item in policy.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


def test_the_policy_is_written_from_the_setting():
    assert permissions_policy_header({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


def test_health_shows_nothing_to_an_anonymous_request_from_outside(client):
    for query in ({}, {"format": "json"}, {"format": "openmetrics"}):
        response = client.get(reverse("health"), query, REMOTE_ADDR=OUTSIDE)
        assert response.status_code == 200
        assert response.content == b"ok"
        assert response.headers["Content-Type"].startswith("text/plain")


def test_health_shows_its_checks_to_staff(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("health"), {"format": "json"}, REMOTE_ADDR=OUTSIDE)

    assert response.status_code == 200
    assert any("Database" in key for key in response.json())


def test_health_shows_nothing_to_a_logged_in_person_who_is_not_staff(client):
    client.force_login(UserFactory())

    response = client.get(reverse("health"), {"format": "json"}, REMOTE_ADDR=OUTSIDE)

    assert response.content == b"ok"


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.9", "::1"])
def test_health_shows_its_checks_to_probes_from_inside(client, address):
    response = client.get(reverse("health"), {"format": "json"}, REMOTE_ADDR=address)

    assert any("Database" in key for key in response.json())


def test_a_request_forwarded_by_a_proxy_comes_from_outside(client):
    response = client.get(
        reverse("health"),
        {"format": "json"},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": OUTSIDE},
    )

    assert response.content == b"ok"


def test_the_internal_networks_are_a_setting(client, settings):
    settings.HEALTH_DETAIL_NETWORKS = ["203.0.113.0/24"]

    assert client.get(reverse("health"), {"format": "json"}, REMOTE_ADDR=OUTSIDE).json()
    assert client.get(reverse("health"), REMOTE_ADDR="127.0.0.1").content == b"ok"


@dataclasses.dataclass
class BrokenBroker(HealthCheck):
    async def run(self):
        raise ServiceUnavailable("broker at redis://secret-host:6379 unreachable")


def test_a_failing_check_is_a_plain_503_from_outside(client, monkeypatch):
    monkeypatch.setattr(SillonHealthCheckView, "get_checks", lambda view: [BrokenBroker()])

    response = client.get(reverse("health"), REMOTE_ADDR=OUTSIDE)

    assert response.status_code == 503
    assert response.content == b"unavailable"
