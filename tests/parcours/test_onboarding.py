"""One-page onboarding from an invitation e-mail (issue 16): the team, co-applicant and
organisation invitations show what the person joins, pre-fill the names the inviter
typed, ask a consent, and one click creates a verified account, accepts, logs in and
lands on the next thing to do. Asking for a login code with an invited address re-sends
the invitation instead of « Compte inconnu »."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import User
from accounts.services import create_verified_account
from candidatures.notices import join_path
from organisations.models import AuditEntry, Invitation
from parcours import services
from parcours.models import Programme, TeamInvitation, TeamMember
from tests.factories import (
    ApplicationMemberFactory,
    CallFactory,
    InvitationFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    build_application,
    build_programme,
)

pytestmark = pytest.mark.django_db

EMAIL = "lea.martin@bray.example"
NAMES = {"first_name": "Léa", "last_name": "Martin"}


@pytest.fixture
def world():
    with scopes_disabled():
        built = build_programme(teams=0)
        built.team = TeamFactory(cohort=built.cohort, name="PAT du Pays de Bray")
        built.coordinator = MembershipFactory(
            organisation=built.organisation, coordinator=True
        ).user
    return built


def invite(world, email=EMAIL):
    with scope(organisation=world.organisation.pk):
        return services.invite_to_team(
            team=world.team,
            acting_user=world.coordinator,
            email=email,
            role=world.roles[0],
            **NAMES,
        )


def publish_engagement(world):
    with scope(organisation=world.organisation.pk):
        services.publish_engagement_text(
            programme=world.programme,
            acting_user=world.coordinator,
            body="Nous participons à toutes les séances.",
            key_sessions=[],
        )


def url(invitation):
    return reverse("team_invitation_accept", args=[invitation.token])


def sign_url(world):
    return reverse(
        "parcours:engagement_sign",
        args=[world.organisation.slug, world.programme.pk, world.team.pk],
    )


# --- Services ------------------------------------------------------------------------


def test_a_verified_account_is_created_without_password():
    user = create_verified_account(email=" Lea.Martin@Bray.example ", **NAMES)
    assert (user.email, user.first_name, user.last_name) == (EMAIL, "Léa", "Martin")
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (EMAIL, True, True)


def test_a_newcomer_joins_the_team_with_the_names_kept_and_audited(world):
    invitation = invite(world)
    with scope(organisation=world.organisation.pk):
        member = services.accept_team_invitation_as_newcomer(
            invitation=invitation, first_name="Léa", last_name="Martin-Durand"
        )
    user = User.objects.get(email=EMAIL)
    assert member.user == user and user.last_name == "Martin-Durand"
    assert EmailAddress.objects.get(user=user).verified
    with scopes_disabled():
        assert TeamInvitation.objects.get(pk=invitation.pk).accepted_at is not None
        assert AuditEntry.objects.filter(
            action="parcours.team_invitation.accepted", actor=user
        ).exists()


# --- The team invitation's page --------------------------------------------------------


def test_the_anonymous_page_shows_what_one_joins_with_names_pre_filled(client, world):
    invitation = invite(world)
    page = client.get(url(invitation)).text
    for shown in (
        world.organisation.name,
        world.programme.name,
        "PAT du Pays de Bray",
        world.roles[0].name,
    ):
        assert shown in page
    assert 'value="Léa"' in page and 'value="Martin"' in page
    assert reverse("personal_data") in page
    assert "Rejoindre l’équipe" in page and "password" not in page


def test_a_name_is_required_and_nothing_is_saved_without_it(client, world):
    invitation = invite(world)
    page = client.get(url(invitation)).text
    # The consent is the click on the button, and the page says what it accepts.
    assert "vous acceptez que vos données" in page
    response = client.post(url(invitation), {"first_name": "", "last_name": "Martin"})
    assert response.status_code == 200
    assert "Indiquez votre prénom." in response.text and "invalid-feedback" in response.text
    assert not User.objects.filter(email=EMAIL).exists()
    assert "_auth_user_id" not in client.session


def test_one_post_logs_in_and_lands_on_the_engagement_to_sign(client, world):
    publish_engagement(world)
    invitation = invite(world)
    page = client.get(url(invitation))
    # Two fields, pre-filled: nothing to type; one click.
    response = client.post(url(invitation), NAMES)
    assert page.status_code == 200
    assert response.status_code == 302 and response.url == sign_url(world)
    user = User.objects.get(email=EMAIL)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(response.url).status_code == 200
    with scopes_disabled():
        assert TeamMember.objects.filter(team=world.team, user=user).exists()
    # No password: the login code works afterwards.
    client.logout()
    mail.outbox.clear()
    client.post(reverse("account_request_login_code"), {"email": EMAIL})
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert "Compte inconnu" not in mail.outbox[0].subject


def test_a_signed_in_invitee_joins_with_one_button(client, world):
    publish_engagement(world)
    invitation = invite(world)
    lea = UserFactory(email=EMAIL, first_name="Léa", last_name="Martin")
    client.force_login(lea)
    page = client.get(url(invitation)).text
    assert "Léa Martin" in page and "consent" not in page
    assert (
        '<button type="submit" class="btn btn-primary btn-lg">Rejoindre l’équipe</button>' in page
    )
    response = client.post(url(invitation))
    assert response.url == sign_url(world)


def test_another_person_is_offered_to_log_out(client, world):
    invitation = invite(world)
    client.force_login(UserFactory(email="autre@exemple.fr"))
    page = client.get(url(invitation)).text
    assert "<strong>autre@exemple.fr</strong>" in page
    assert f'action="{reverse("account_logout")}"' in page
    assert f'name="next" value="{url(invitation)}"' in page


def test_revoked_and_accepted_invitations_explain_themselves(client, world):
    invitation = invite(world)
    with scope(organisation=world.organisation.pk):
        services.revoke_team_invitation(invitation=invitation, acting_user=world.coordinator)
    assert "annulée par la coordination" in client.get(url(invitation)).text

    other = invite(world, email="sam@bray.example")
    client.post(url(other), NAMES)
    client.logout()
    page = client.get(url(other)).text
    assert "déjà été acceptée" in page and reverse("account_login") in page


def test_a_draft_programme_lands_on_a_friendly_page(client, world):
    with scopes_disabled():
        Programme.objects.filter(pk=world.programme.pk).update(status=Programme.Status.DRAFT)
    invitation = invite(world)
    response = client.post(url(invitation), NAMES, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url(invitation)
    assert "Le programme n’est pas encore publié" in response.text
    assert world.organisation.name in response.text and "PAT du Pays de Bray" in response.text


# --- The organisation and co-applicant invitations --------------------------------------


def test_an_expired_organisation_invitation_explains_itself(client):
    response = client.get(
        reverse("invitation_accept", args=[InvitationFactory(expired=True).token])
    )
    assert response.status_code == 410 and "Elle a expiré" in response.text


def test_a_co_applicant_joins_in_one_click_with_names_pre_filled(client, world):
    with scopes_disabled():
        call = CallFactory(cohort=world.cohort, published=True)
        application = build_application(call=call, complete=False)
        member = ApplicationMemberFactory(
            application=application, email=EMAIL, invited_at=timezone.now(), **NAMES
        )
        path = join_path(member)
    page = client.get(path).text
    assert 'value="Léa"' in page and world.programme.name in page
    assert client.post(path, {**NAMES, "last_name": ""}).status_code == 200  # nothing saved
    assert not User.objects.filter(email=EMAIL).exists()
    response = client.post(path, NAMES)
    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    assert int(client.session["_auth_user_id"]) == user.pk
    with scopes_disabled():
        member.refresh_from_db()
    assert member.user == user


# --- A login code asked for with an invited address ----------------------------------------


def _ask_code(client, email):
    # allauth limits login codes per address (3 a minute), counted in the cache.
    cache.clear()
    mail.outbox.clear()
    client.post(reverse("account_request_login_code"), {"email": email})
    return [m for m in mail.outbox if m.to == [email]]


def test_a_login_code_re_sends_the_team_invitation(client, world):
    invitation = invite(world)
    with scopes_disabled():
        TeamInvitation.objects.filter(pk=invitation.pk).update(
            invited_at=timezone.now() - timedelta(hours=1)
        )
    sent = _ask_code(client, EMAIL)
    assert len(sent) == 1 and url(invitation) in sent[0].body
    assert "Compte inconnu" not in sent[0].subject
    # Asked again at once: not sent twice, and still no « Compte inconnu ».
    assert _ask_code(client, EMAIL) == []


def test_a_login_code_re_sends_the_organisation_invitation(client):
    invitation = InvitationFactory(email=EMAIL, expires_at=timezone.now() + timedelta(days=2))
    sent = _ask_code(client, EMAIL)
    assert len(sent) == 1
    assert reverse("invitation_accept", args=[invitation.token]) in sent[0].body
    with scopes_disabled():
        assert Invitation.objects.get(pk=invitation.pk).expires_at > timezone.now() + timedelta(
            days=13
        )
        assert AuditEntry.objects.filter(action="organisations.invitation.resent").exists()


def test_a_login_code_re_sends_the_co_applicant_invitation(client, world):
    with scopes_disabled():
        call = CallFactory(cohort=world.cohort, published=True)
        application = build_application(call=call, complete=False)
        member = ApplicationMemberFactory(
            application=application,
            email=EMAIL,
            invited_at=timezone.now() - timedelta(hours=1),
            **NAMES,
        )
        path = join_path(member)
    sent = _ask_code(client, EMAIL)
    assert len(sent) == 1 and path in sent[0].body


def test_an_unknown_address_still_gets_compte_inconnu(client):
    sent = _ask_code(client, "personne@nulle.part")
    assert len(sent) == 1 and "Compte inconnu" in sent[0].subject
