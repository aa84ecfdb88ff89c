"""Login limits behind a proxy: they count per real client address (the one our proxies
add to X-Forwarded-For, ``TRUSTED_PROXY_COUNT``) and per account, and a refusal is a
French page. Each test has a cache of its own (allauth's counters are not prefixed per
test, and every test client comes from 127.0.0.1)."""

import uuid

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
from django.urls import reverse

from sillon.ratelimit import client_address, client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
WRONG = "mauvais-mot-de-passe"
RIGHT = "motdepasse-de-test"  # UserFactory's


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"login-limits-{uuid.uuid4().hex}",
        }
    }


def login(client, email, password=WRONG, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "198.51.100.7", PROXY),  # no proxy trusted: the header is anyone's
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the forged left part is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", PROXY),  # shorter than the chain: not from our proxies
        (1, "pas-une-adresse", PROXY),
        (1, "", PROXY),
    ],
)
def test_the_client_address_is_the_one_our_proxies_added(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client_ip(request) == expected
    assert get_client_ip_address(request) == expected  # django-axes counts the same


def test_behind_a_proxy_the_login_limit_is_per_client_with_a_french_page(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    for number in range(30):
        assert login(client, f"inconnu{number}@exemple.fr", **first).status_code == 200

    refused = login(client, "encore@exemple.fr", **first)
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Trop de tentatives en peu de temps" in page
    assert "Too Many Requests" not in page

    # Someone else behind the same proxy still logs in.
    user = UserFactory()
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    response = login(client, user.email, RIGHT, **other)
    assert response.status_code == 302
    assert response.wsgi_request.user == user


def test_failed_logins_are_limited_per_account_from_any_address(client):
    user = UserFactory()
    for number in range(10):
        response = login(client, user.email, REMOTE_ADDR=f"203.0.113.{number + 1}")
        assert "Trop de tentatives" not in response.content.decode()

    refused = login(client, user.email, RIGHT, REMOTE_ADDR="203.0.113.99")
    assert refused.status_code == 200
    assert "Trop de tentatives de connexion échouées" in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated
