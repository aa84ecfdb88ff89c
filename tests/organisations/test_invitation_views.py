import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import User
from organisations.models import Invitation, Membership, Role
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def accept_url(invitation):
    return reverse("invitation_accept", args=[invitation.token])


def test_accepting_creates_the_account_logs_in_and_lands_on_the_home_page(client):
    invitation = InvitationFactory(email="nouvelle@exemple.fr", role=Role.COORDINATOR)
    page = client.get(accept_url(invitation)).content.decode()
    assert invitation.organisation.name in page
    assert f"Rejoindre {invitation.organisation.name}" in page
    assert reverse("personal_data") in page
    response = client.post(accept_url(invitation), {"first_name": "Léa", "last_name": "Martin"})
    home = reverse("organisations:home", args=[invitation.organisation.slug])
    assert response.headers["Location"] == home
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Léa", "Martin", False)
    assert int(client.session["_auth_user_id"]) == user.pk
    with scopes_disabled():
        assert Membership.objects.get(user=user).role == Role.COORDINATOR


def test_missing_names_are_asked_for_and_nothing_is_created(client):
    invitation = InvitationFactory()
    response = client.post(accept_url(invitation), {"first_name": "", "last_name": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indiquez votre prénom." in page and "Indiquez votre nom." in page
    assert "vous acceptez que vos données" in page
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_used_invitation_link_says_so(client):
    invitation = InvitationFactory(accepted=True)
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "déjà été acceptée" in response.content.decode()
    assert (
        client.post(accept_url(invitation), {"first_name": "A", "last_name": "B"}).status_code
        == 410
    )


def test_an_expired_invitation_link_says_so(client):
    invitation = InvitationFactory(expired=True)
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "Elle a expiré" in response.content.decode()


def test_a_revoked_invitation_link_says_so(client):
    response = client.get(accept_url(InvitationFactory(revoked=True)))
    assert response.status_code == 410
    assert "annulée" in response.content.decode()


def test_an_unknown_token_is_a_404(client):
    response = client.get(reverse("invitation_accept", args=["inconnu"]))
    assert response.status_code == 404
    assert "lien d'invitation est inconnu" in response.content.decode()


def test_logged_in_invitee_accepts_in_one_click(client):
    user = UserFactory(email="deja@exemple.fr")
    invitation = InvitationFactory(email="deja@exemple.fr", role=Role.OBSERVER)
    client.force_login(user)
    response = client.post(accept_url(invitation))
    assert response.headers["Location"] == reverse(
        "organisations:home", args=[invitation.organisation.slug]
    )
    assert client.get(response.headers["Location"]).status_code == 200


def test_someone_logged_in_with_another_address_cannot_accept(client):
    invitation = InvitationFactory(email="invitee@exemple.fr")
    client.force_login(UserFactory(email="autre@exemple.fr"))
    page = client.get(accept_url(invitation)).content.decode()
    assert "<strong>autre@exemple.fr</strong>" in page and "Me déconnecter" in page
    client.post(accept_url(invitation))
    with scopes_disabled():
        assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
        assert not Membership.objects.exists()


def test_an_existing_account_is_asked_to_log_in(client):
    UserFactory(email="deja@exemple.fr")
    invitation = InvitationFactory(email="deja@exemple.fr")
    page = client.get(accept_url(invitation)).content.decode()
    assert "Vous avez déjà un compte Sillon" in page
    response = client.post(accept_url(invitation), {"first_name": "X", "last_name": "Y"})
    assert response.headers["Location"].startswith(reverse("account_login"))
