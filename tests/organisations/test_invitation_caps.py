"""Invitations are e-mails in the organisation's name: one account sends at most so
many an hour, whatever their kind (organisation, team; resending counts), a coordinator
more than a member; past it, a French refusal and nothing saved."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from organisations import services
from organisations.models import Invitation
from parcours.models import TeamInvitation
from parcours.services import invitations as team_invitations
from tests.factories import MembershipFactory, build_programme

pytestmark = pytest.mark.django_db


def test_a_coordinators_invitations_of_every_kind_share_one_hourly_cap(settings):
    settings.COORDINATOR_INVITATIONS = 3
    with scopes_disabled():
        world = build_programme(teams=1)
        coordinator = MembershipFactory(organisation=world.organisation, coordinator=True).user
    organisation, team = world.organisation, world.teams[0]
    with scope(organisation=organisation.pk):
        first = services.invite_member(
            organisation=organisation, email="a@exemple.fr", role="trainer", acting_user=coordinator
        )
        services.resend_invitation(invitation=first, acting_user=coordinator)
        team_invitations.invite_to_team(team=team, acting_user=coordinator, email="b@exemple.fr")
        with pytest.raises(ValidationError, match="Vous avez envoyé 3 invitations"):
            team_invitations.invite_to_team(
                team=team, acting_user=coordinator, email="c@exemple.fr"
            )
        with pytest.raises(ValidationError, match="Vous avez envoyé 3 invitations"):
            services.invite_member(
                organisation=organisation,
                email="d@exemple.fr",
                role="observer",
                acting_user=coordinator,
            )
        assert not TeamInvitation.objects.filter(email="c@exemple.fr").exists()
        assert not Invitation.objects.filter(email="d@exemple.fr").exists()
        # Another coordinator is not held back by it.
        other = MembershipFactory(organisation=organisation, coordinator=True).user
        services.invite_member(
            organisation=organisation, email="d@exemple.fr", role="observer", acting_user=other
        )
