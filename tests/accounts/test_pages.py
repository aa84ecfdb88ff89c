"""Every account page renders in Sillon's layout, in French."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_request_login_code",
]
LOGGED_IN_PAGES = [
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    pytest.param(
        "mfa_index",
        # allauth's own mfa/index.html reads variables it does not always define.
        marks=pytest.mark.ignore_template_errors,
    ),
    "accounts:profile",
    "accounts:delete",
]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages(client, name):
    response = client.get(reverse(name))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in page
    assert "Aller au contenu" in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize("name", LOGGED_IN_PAGES)
def test_logged_in_account_pages(client, name):
    client.force_login(MembershipFactory(coordinator=True).user)
    response = client.get(reverse(name))
    page = response.content.decode()
    assert response.status_code == 200, name
    assert "Aller au contenu" in page
    assert page.count("<h1") == 1
