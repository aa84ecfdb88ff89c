"""« Deux facteurs obligatoires » (``Organisation.require_mfa_for_coordinators``) holds on
every page a coordinator of that organisation reaches, not only its own pages
(``organisations.middleware.CoordinatorSecondFactorMiddleware``)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import MembershipFactory
from tests.second_factor import set_up_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return MembershipFactory(
        coordinator=True,
        organisation__name="Région Prudente",
        organisation__require_mfa_for_coordinators=True,
    )


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator.user)
    return client


def tenant_home(organisation):
    return reverse("organisations:home", kwargs={"organisation_slug": organisation.slug})


def global_pages():
    return [
        reverse("home"),
        reverse("accounts:profile"),
        reverse("notification_preferences"),
        reverse("my_calendar"),
    ]


def assert_sent_to_set_up(response):
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_a_coordinator_without_an_app_is_sent_to_set_one_up_from_every_page(
    coordinator_client, coordinator
):
    for url in [tenant_home(coordinator.organisation), *global_pages()]:
        response = coordinator_client.get(url)
        assert_sent_to_set_up(response)
    (message, *_others) = get_messages(response.wsgi_request)
    assert "Région Prudente demande aux coordinateurs" in str(message)


def test_another_organisation_s_pages_are_closed_too(coordinator_client, coordinator):
    elsewhere = MembershipFactory(user=coordinator.user, trainer=True).organisation

    assert_sent_to_set_up(coordinator_client.get(tenant_home(elsewhere)))


# allauth's own mfa/index.html reads variables it does not always define.
@pytest.mark.ignore_template_errors
def test_the_set_up_logout_and_probes_stay_reachable(coordinator_client):
    set_up = coordinator_client.get(reverse("mfa_activate_totp"))
    # allauth asks for the password again first: still on its own pages.
    assert set_up.headers["Location"].startswith(reverse("account_reauthenticate"))
    assert coordinator_client.get(reverse("account_reauthenticate")).status_code == 200
    assert coordinator_client.get(reverse("mfa_index")).status_code == 200
    assert coordinator_client.get(reverse("health")).status_code == 200
    assert coordinator_client.post(reverse("account_logout")).headers["Location"] == "/"
    assert "_auth_user_id" not in coordinator_client.session


def test_the_page_asked_for_is_offered_after_set_up(coordinator_client):
    coordinator_client.get(reverse("notification_preferences"))

    assert coordinator_client.session["sillon_totp_next"] == reverse("notification_preferences")


def test_a_coordinator_with_an_app_reaches_every_page(coordinator_client, coordinator):
    set_up_totp(coordinator.user)

    for url in [tenant_home(coordinator.organisation), *global_pages()]:
        assert coordinator_client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["trainer", "observer"])
def test_other_roles_of_that_organisation_are_not_asked(client, role):
    membership = MembershipFactory(**{role: True}, organisation__require_mfa_for_coordinators=True)
    client.force_login(membership.user)

    assert client.get(reverse("home")).status_code == 200
    assert client.get(tenant_home(membership.organisation)).status_code == 200


def test_coordinators_of_an_organisation_not_requiring_it_are_not_asked(client):
    membership = MembershipFactory(coordinator=True)
    client.force_login(membership.user)

    assert client.get(reverse("home")).status_code == 200
    assert client.get(tenant_home(membership.organisation)).status_code == 200


def test_htmx_requests_are_sent_to_the_set_up_as_a_whole_page(coordinator_client, coordinator):
    response = coordinator_client.get(
        tenant_home(coordinator.organisation), headers={"HX-Request": "true"}
    )

    assert response.headers["HX-Redirect"] == reverse("mfa_activate_totp")
