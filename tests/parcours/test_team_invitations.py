"""Invitations to join a team: the coordinator invites, resends (not twice in ten
minutes) or cancels them and sees an address that bounced; the invited person, signed in
with the invited address, accepts once and lands on the team's page with a link to sign
the engagement. A wrong account, a cancelled invitation and a full role are refused."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from notifications.models import SuppressedAddress
from organisations.models import AuditEntry
from parcours import notices, services
from parcours.models import TeamInvitation, TeamMember
from tests.factories import (
    MembershipFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    build_programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A programme with the trinôme roles, an empty team, its coordinator and trainer,
    another organisation's coordinator, and Léa who has an account under the address she
    will be invited at."""
    with scopes_disabled():
        built = build_programme(teams=0)
        org = built.organisation
        built.team = TeamFactory(cohort=built.cohort, name="PAT du Pays de Bray")
        built.coordinator = MembershipFactory(organisation=org, coordinator=True).user
        built.trainer = MembershipFactory(organisation=org, trainer=True).user
        built.stranger = MembershipFactory(coordinator=True).user
        built.lea = UserFactory(email="lea.martin@bray.example", first_name="", last_name="")
        built.elu_role = built.roles[0]
    return built


def invite(world, email="Lea.Martin@bray.example", role=None, **kwargs):
    with scope(organisation=world.organisation.pk):
        return services.invite_to_team(
            team=world.team,
            acting_user=world.coordinator,
            email=email,
            first_name=kwargs.pop("first_name", "Léa"),
            last_name=kwargs.pop("last_name", "Martin"),
            role=role if role is not None else world.elu_role,
        )


def accept(world, invitation, user):
    with scope(organisation=world.organisation.pk):
        return services.accept_team_invitation(invitation=invitation, acting_user=user)


def accept_url(invitation) -> str:
    return reverse("team_invitation_accept", args=[invitation.token])


def team_url(world, name="team_detail", *extra) -> str:
    return reverse(
        f"parcours:{name}",
        args=[world.organisation.slug, world.programme.pk, world.team.pk, *extra],
    )


def refresh(invitation) -> TeamInvitation:
    with scopes_disabled():
        invitation.refresh_from_db()
    return invitation


# --- Services ------------------------------------------------------------------------


def test_accepting_makes_the_membership_with_the_role(world):
    invitation = invite(world)
    member = accept(world, invitation, world.lea)
    invitation = refresh(invitation)
    assert invitation.accepted_at is not None and invitation.member == member
    assert member.team == world.team and member.role == world.elu_role
    assert member.user == world.lea
    # The account had no name: the invitation's is now the person's.
    world.lea.refresh_from_db()
    assert (world.lea.first_name, world.lea.last_name) == ("Léa", "Martin")
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="parcours.team_invitation.accepted").exists()


def test_accepting_with_another_address_is_refused_naming_the_invited_one(world):
    invitation = invite(world)
    with pytest.raises(ValidationError) as caught:
        accept(world, invitation, world.trainer)
    assert "Lea.Martin@bray.example" in caught.value.messages[0]
    assert refresh(invitation).accepted_at is None
    with scopes_disabled():
        assert not TeamMember.objects.filter(team=world.team).exists()


def test_an_invitation_is_accepted_once(world):
    invitation = invite(world)
    accept(world, invitation, world.lea)
    with pytest.raises(ValidationError, match="déjà été acceptée"):
        accept(world, invitation, world.lea)
    with scopes_disabled():
        assert TeamMember.objects.filter(team=world.team).count() == 1


def test_a_revoked_invitation_cannot_be_accepted(world):
    invitation = invite(world)
    with scope(organisation=world.organisation.pk):
        services.revoke_team_invitation(invitation=invitation, acting_user=world.coordinator)
    with pytest.raises(ValidationError, match="a été annulée"):
        accept(world, invitation, world.lea)
    with scopes_disabled():
        assert not TeamMember.objects.filter(team=world.team).exists()


def test_a_full_role_refuses_the_invitation_and_the_acceptance(world):
    invitation = invite(world)
    with scopes_disabled():
        TeamMemberFactory(team=world.team, role=world.elu_role)  # one per team at most
    with pytest.raises(ValidationError) as caught:
        accept(world, invitation, world.lea)
    assert "déjà pourvu" in caught.value.message_dict["role"][0]
    assert refresh(invitation).accepted_at is None

    with pytest.raises(ValidationError) as caught:
        invite(world, email="autre@bray.example")
    assert "déjà pourvu" in caught.value.message_dict["role"][0]


def test_one_pending_invitation_per_address(world):
    invite(world)
    with pytest.raises(ValidationError) as caught:
        invite(world, email="lea.martin@BRAY.example")
    assert "renvoyez-la" in caught.value.message_dict["email"][0]


def test_resending_waits_ten_minutes(world, monkeypatch):
    sent = []
    original = notices.send_team_invitation

    def recording(invitation, acting_user=None):
        sent.append(invitation.email)
        return original(invitation, acting_user)

    monkeypatch.setattr(notices, "send_team_invitation", recording)
    invitation = invite(world)
    with scope(organisation=world.organisation.pk):
        with pytest.raises(ValidationError, match="attendez dix minutes"):
            services.resend_team_invitation(invitation=invitation, acting_user=world.coordinator)
        with scopes_disabled():
            TeamInvitation.objects.filter(pk=invitation.pk).update(
                invited_at=timezone.now() - timedelta(minutes=11)
            )
        services.resend_team_invitation(invitation=invitation, acting_user=world.coordinator)
    assert sent == ["Lea.Martin@bray.example", "Lea.Martin@bray.example"]
    assert refresh(invitation).invited_at > timezone.now() - timedelta(minutes=1)


# --- The invitation link -------------------------------------------------------------


def test_an_anonymous_visitor_with_an_account_is_asked_to_log_in(client, world):
    invitation = invite(world)
    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert "Vous avez déjà un compte Sillon" in page.text
    assert reverse("account_login") + "?next=" in page.text
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    with scopes_disabled():
        assert not TeamMember.objects.filter(team=world.team).exists()


def test_an_unknown_token_answers_404(client, world):
    client.force_login(world.lea)
    response = client.get(reverse("team_invitation_accept", args=["nimportequoi"]))
    assert response.status_code == 404


def test_accepting_on_the_page_leads_to_the_team_and_the_engagement(client, world):
    invitation = invite(world)
    client.force_login(world.lea)
    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert "PAT du Pays de Bray" in page.text and "Rejoindre l’équipe" in page.text

    # No engagement text in force, no poll: the team's page.
    response = client.post(accept_url(invitation), follow=True)
    assert response.redirect_chain[-1][0] == team_url(world)
    assert "Bienvenue dans l" in response.text
    with scopes_disabled():
        assert TeamMember.objects.filter(team=world.team, user=world.lea).exists()

    # Twice: nothing more happens, the page says so.
    page = client.get(accept_url(invitation))
    assert "Vous avez déjà accepté cette invitation." in page.text
    response = client.post(accept_url(invitation), follow=True)
    assert "Vous avez déjà accepté cette invitation." in response.text
    with scopes_disabled():
        assert TeamMember.objects.filter(team=world.team).count() == 1


def test_the_wrong_account_is_told_which_address_was_invited(client, world):
    invitation = invite(world)
    client.force_login(world.trainer)
    page = client.get(accept_url(invitation))
    assert "Lea.Martin@bray.example" in page.text
    assert "Me déconnecter" in page.text
    assert f'action="{reverse("account_logout")}"' in page.text
    response = client.post(accept_url(invitation), follow=True)
    assert "cette invitation est destinée à" in response.text
    with scopes_disabled():
        assert not TeamMember.objects.filter(team=world.team).exists()


def test_a_revoked_invitation_says_so(client, world):
    invitation = invite(world)
    with scope(organisation=world.organisation.pk):
        services.revoke_team_invitation(invitation=invitation, acting_user=world.coordinator)
    client.force_login(world.lea)
    page = client.get(accept_url(invitation))
    assert "annulée par la coordination" in page.text
    assert "Accepter l" not in page.text


# --- The team's page -----------------------------------------------------------------


class Bounces:
    """Addresses reported as bounced: what notifications records (and the team's page
    reads through ``notifications.services.suppressed_among``)."""

    def add(self, email: str) -> None:
        SuppressedAddress.objects.create(email=email.lower(), reason="bounced")


@pytest.fixture
def bounces():
    return Bounces()


def test_the_coordinator_sees_pending_invitations_and_bounces(client, world, bounces):
    invite(world)
    invite(world, email="paul@bray.example", role=world.roles[1], first_name="Paul")
    bounces.add("paul@bray.example")
    client.force_login(world.coordinator)
    page = client.get(team_url(world)).text
    assert "Invitations en attente" in page
    assert "Lea.Martin@bray.example" in page and "paul@bray.example" in page
    assert page.count("adresse en échec") == 1
    assert "Inviter une personne" in page


def test_team_members_and_trainers_do_not_see_the_invitations(client, world):
    invite(world)
    with scopes_disabled():
        member = TeamMemberFactory(team=world.team, role=world.roles[1])
    for user in (world.trainer, member.user):
        client.force_login(user)
        page = client.get(team_url(world)).text
        assert "Invitations en attente" not in page and "Lea.Martin@bray.example" not in page


def test_the_coordinator_invites_resends_and_cancels_from_the_page(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        team_url(world, "team_invite"),
        {"email": "nadia@bray.example", "first_name": "Nadia", "last_name": "Roux", "role": ""},
    )
    assert response.status_code == 302
    with scopes_disabled():
        invitation = TeamInvitation.objects.get(email="nadia@bray.example")

    # The same address again: the error is next to the field, nothing is added.
    response = client.post(team_url(world, "team_invite"), {"email": "nadia@bray.example"})
    assert response.status_code == 200
    assert "renvoyez-la" in response.text
    with scopes_disabled():
        assert TeamInvitation.objects.count() == 1

    response = client.post(team_url(world, "team_invitation_resend", invitation.pk), follow=True)
    assert "attendez dix minutes" in response.text

    response = client.post(team_url(world, "team_invitation_revoke", invitation.pk), follow=True)
    assert "Invitation à nadia@bray.example annulée." in response.text
    assert refresh(invitation).revoked_at is not None


@pytest.mark.parametrize("who", ["trainer", "stranger"])
def test_only_the_coordinator_manages_invitations(client, world, who):
    invitation = invite(world)
    client.force_login(getattr(world, who))
    assert client.post(team_url(world, "team_invite"), {"email": "x@y.example"}).status_code == 404
    for name in ("team_invitation_resend", "team_invitation_revoke"):
        assert client.post(team_url(world, name, invitation.pk)).status_code == 404
    assert refresh(invitation).revoked_at is None
    with scopes_disabled():
        assert TeamInvitation.objects.count() == 1


def test_an_invitation_of_another_team_is_not_found(client, world):
    with scopes_disabled():
        other_team = TeamFactory(cohort=world.cohort)
    with scope(organisation=world.organisation.pk):
        foreign = services.invite_to_team(
            team=other_team, acting_user=world.coordinator, email="z@bray.example"
        )
    client.force_login(world.coordinator)
    response = client.post(team_url(world, "team_invitation_revoke", foreign.pk))
    assert response.status_code == 404
    assert refresh(foreign).revoked_at is None
