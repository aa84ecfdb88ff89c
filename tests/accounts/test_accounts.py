import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from accounts.models import User
from organisations import services
from organisations.models import AuditEntry, Invitation, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-de-test"


def test_login_with_password(client):
    user = UserFactory(email="claire@exemple.fr")
    MembershipFactory(user=user)
    response = client.post(
        reverse("account_login"), {"login": "Claire@Exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_wrong_password_is_refused_in_french(client):
    UserFactory(email="claire@exemple.fr")
    response = client.post(
        reverse("account_login"), {"login": "claire@exemple.fr", "password": "non"}
    )
    assert response.status_code == 200
    assert "incorrect" in response.content.decode()


def request_code(client, email):
    client.post(reverse("account_request_login_code"), {"email": email})
    body = mail.outbox[-1].body
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE).group(1)


def test_login_by_emailed_code(client):
    user = UserFactory(email="code@exemple.fr")
    code = request_code(client, "code@exemple.fr")
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_a_wrong_login_code_is_refused(client):
    UserFactory(email="code@exemple.fr")
    request_code(client, "code@exemple.fr")
    response = client.post(reverse("account_confirm_login_code"), {"code": "ZZZZZZ"})
    assert response.status_code == 200
    assert "incorrect" in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_too_many_failed_logins_lock_the_account_with_a_french_page(client, settings):
    UserFactory(email="cible@exemple.fr")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": "cible@exemple.fr", "password": "faux"})
    response = client.post(
        reverse("account_login"), {"login": "cible@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_signup_requires_email_verification(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "candidat@exemple.fr",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
        },
    )
    assert response.status_code == 302
    assert mail.outbox and mail.outbox[-1].to == ["candidat@exemple.fr"]
    assert User.objects.filter(email="candidat@exemple.fr").exists()


def test_password_reset_sends_a_link(client):
    UserFactory(email="oubli@exemple.fr")
    client.post(reverse("account_reset_password"), {"email": "oubli@exemple.fr"})
    assert mail.outbox[-1].to == ["oubli@exemple.fr"]


def test_profile_shows_roles_and_saves_changes(client):
    membership = MembershipFactory(trainer=True, organisation__name="CAF de la Creuse")
    client.force_login(membership.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "CAF de la Creuse" in page and "Formateur·rice" in page
    client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Inès",
            "last_name": "Roux",
            "phone": "06 12 34 56 78",
            "function": "Formatrice",
        },
    )
    membership.user.refresh_from_db()
    assert membership.user.function == "Formatrice"
    assert membership.user.phone == "06 12 34 56 78"


def test_download_my_data_returns_everything_about_me(client):
    membership = MembershipFactory(coordinator=True, organisation__name="Région X")
    user = membership.user
    with scope(organisation=membership.organisation_id):
        services.invite_member(
            organisation=membership.organisation,
            email="autre@exemple.fr",
            role=Role.TRAINER,
            acting_user=user,
        )
    client.force_login(user)
    response = client.get(reverse("accounts:export_data"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["compte"]["email"] == user.email
    assert data["organisations"]["adhésions"][0]["organisation"] == "Région X"
    assert data["organisations"]["invitations_envoyées"][0]["email"] == "autre@exemple.fr"
    assert data["organisations"]["actions"][0]["action"] == "membre invité"


def test_the_last_coordinator_cannot_delete_their_account(client):
    membership = MembershipFactory(coordinator=True, organisation__name="Région X")
    client.force_login(membership.user)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert "dernier coordinateur ou la dernière coordinatrice de Région X" in page
    client.post(reverse("accounts:delete"), {"confirm_email": membership.user.email})
    assert User.objects.filter(pk=membership.user_id).exists()


def test_deleting_my_account_keeps_other_peoples_records(client):
    membership = MembershipFactory(coordinator=True)
    organisation = membership.organisation
    leaving = MembershipFactory(organisation=organisation, coordinator=True)
    with scope(organisation=organisation.pk):
        invitation = services.invite_member(
            organisation=organisation,
            email="x@exemple.fr",
            role=Role.TRAINER,
            acting_user=leaving.user,
        )
    client.force_login(leaving.user)
    other_device = Client()
    other_device.force_login(leaving.user)
    wrong = client.post(reverse("accounts:delete"), {"confirm_email": "autre@exemple.fr"})
    assert "Ce n&#x27;est pas l&#x27;adresse de votre compte." in wrong.content.decode()
    client.post(reverse("accounts:delete"), {"confirm_email": leaving.user.email})
    assert not User.objects.filter(pk=leaving.user_id).exists()
    with scopes_disabled():
        invitation = Invitation.objects.get(pk=invitation.pk)
        assert invitation.invited_by is None
        entry = AuditEntry.objects.get(action="organisations.member.invited")
        assert entry.actor is None
    assert not client.get(reverse("home")).context["user"].is_authenticated
    # A session opened elsewhere by the deleted account is anonymous too.
    assert not other_device.get(reverse("home")).context["user"].is_authenticated
