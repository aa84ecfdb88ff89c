"""The platform admin opens only to staff behind a second factor (``sillon/admin_site.py``)."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from tests.second_factor import login_past_second_factor, set_up_totp, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-de-test"  # UserFactory's


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, is_superuser=True)


def log_in_with_password(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_staff_without_an_app_are_sent_to_set_one_up(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:organisations_organisation_changelist"))

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")
    (message,) = get_messages(response.wsgi_request)
    assert "L'administration de la plateforme demande la double authentification" in str(message)


def test_setting_the_app_up_opens_the_admin(client, staff):
    """The whole way, through allauth's pages: password, set-up, recovery codes, admin."""
    assert log_in_with_password(client, staff).status_code == 302
    assert client.get(reverse("admin:index")).headers["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before any two-factor change.
    reauthenticate = client.get(reverse("mfa_activate_totp")).headers["Location"]
    assert reauthenticate.startswith(reverse("account_reauthenticate"))
    back = client.post(reauthenticate, {"password": PASSWORD})
    assert back.headers["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    codes = client.get(response.headers["Location"])
    assert f'href="{reverse("admin:index")}"' in codes.content.decode()
    assert "continuer vers la page demandée" in codes.content.decode()
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_with_an_app_give_its_code_before_the_admin_opens(client, staff):
    """A session that gave no code (here: logged in without allauth's two-factor step)
    is asked for one, then goes on to the page it asked for."""
    secret = set_up_totp(staff)
    client.force_login(staff)
    changelist = reverse("admin:organisations_organisation_changelist")

    response = client.get(changelist)

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("mfa_reauthenticate"))
    back = client.post(response.headers["Location"], {"code": totp_code(secret)})
    assert back.headers["Location"] == changelist
    assert client.get(changelist).status_code == 200


def test_logging_in_with_an_app_asks_for_its_code_before_the_admin(client, staff):
    secret = set_up_totp(staff)

    response = log_in_with_password(client, staff)

    assert response.headers["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in before the code
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}).status_code == (
        302
    )
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_logged_in_person_who_is_not_staff_is_refused_in_french(client):
    client.force_login(MembershipFactory(coordinator=True).user)

    for url in (reverse("admin:index"), reverse("admin:login"), "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 403, url
        page = response.content.decode()
        assert "Accès réservé à l'équipe de la plateforme" in page
        assert '<html lang="fr">' in page


def test_an_anonymous_visitor_goes_to_the_site_login_page(client):
    response = client.get(reverse("admin:index"), follow=True)

    final, _status = response.redirect_chain[-1]
    assert final.startswith(reverse("account_login"))
    assert "next=/admin/" in final
    assert response.status_code == 200


def test_the_admin_login_page_sends_staff_past_the_second_factor_to_the_admin(client, staff):
    login_past_second_factor(client, staff)

    response = client.get(reverse("admin:login"))

    assert response.headers["Location"] == reverse("admin:index")
