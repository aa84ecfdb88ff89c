from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import User
from organisations import services
from organisations.branding import contrast_ratio, validate_brand_colour
from organisations.models import AuditEntry, Invitation, Membership, Role
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return MembershipFactory(coordinator=True)


def test_invite_member_sends_one_email_with_a_single_use_link(coordinator):
    organisation = coordinator.organisation
    with scope(organisation=organisation.pk):
        invitation = services.invite_member(
            organisation=organisation,
            email="  Nouvelle.Formatrice@Exemple.fr ",
            role=Role.TRAINER,
            acting_user=coordinator.user,
        )
        assert invitation.email == "nouvelle.formatrice@exemple.fr"
        assert AuditEntry.objects.get().action == services.Action.MEMBER_INVITED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.formatrice@exemple.fr"]
    assert organisation.name in message.subject
    assert f"/invitation/{invitation.token}/" in message.body
    assert message.alternatives  # an HTML part as well


def test_inviting_an_existing_member_is_refused(coordinator):
    organisation = coordinator.organisation
    with scope(organisation=organisation.pk), pytest.raises(ValidationError) as error:
        services.invite_member(
            organisation=organisation,
            email=coordinator.user.email.upper(),
            role=Role.TRAINER,
            acting_user=coordinator.user,
        )
    assert "déjà membre" in str(error.value)
    assert mail.outbox == []


def test_a_new_invitation_replaces_the_open_one(coordinator):
    organisation = coordinator.organisation
    with scope(organisation=organisation.pk):
        first = services.invite_member(
            organisation=organisation, email="a@exemple.fr", role=Role.TRAINER, acting_user=None
        )
        second = services.invite_member(
            organisation=organisation, email="a@exemple.fr", role=Role.OBSERVER, acting_user=None
        )
        first.refresh_from_db()
        assert first.status == Invitation.Status.REVOKED
        assert second.status == Invitation.Status.PENDING


def test_accepting_creates_the_account_with_a_verified_address():
    invitation = InvitationFactory(email="camille@exemple.fr", role=Role.COORDINATOR)
    membership = services.accept_invitation(
        invitation=invitation, first_name="Camille", last_name="Durand"
    )
    user = User.objects.get(email="camille@exemple.fr")
    assert membership.user == user
    assert membership.role == Role.COORDINATOR
    assert user.get_full_name() == "Camille Durand"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    with scopes_disabled():
        invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


@pytest.mark.parametrize("state", ["expired", "accepted", "revoked"])
def test_an_invitation_that_is_no_longer_open_cannot_be_accepted(state):
    invitation = InvitationFactory(**{state: True})
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation=invitation, first_name="A", last_name="B")
    assert not User.objects.filter(email=invitation.email).exists()
    with scopes_disabled():
        assert not Membership.objects.exists()


def test_an_invitation_expires_after_fourteen_days(coordinator):
    organisation = coordinator.organisation
    with scope(organisation=organisation.pk):
        invitation = services.invite_member(
            organisation=organisation, email="b@exemple.fr", role=Role.TRAINER, acting_user=None
        )
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        assert invitation.status == Invitation.Status.EXPIRED


def test_accepting_for_an_existing_account_needs_that_account():
    existing = UserFactory(email="deja@exemple.fr")
    invitation = InvitationFactory(email="deja@exemple.fr")
    with pytest.raises(ValidationError, match="connectez-vous"):
        services.accept_invitation(invitation=invitation, first_name="X", last_name="Y")
    other = UserFactory()
    with pytest.raises(ValidationError, match=r"adressée à deja@exemple\.fr"):
        services.accept_invitation(invitation=invitation, user=other)
    membership = services.accept_invitation(invitation=invitation, user=existing)
    assert membership.user == existing


def test_the_last_coordinator_can_be_neither_demoted_nor_removed(coordinator):
    organisation = coordinator.organisation
    with scope(organisation=organisation.pk):
        with pytest.raises(ValidationError, match="dernier coordinateur"):
            services.change_member_role(
                membership=coordinator, role=Role.TRAINER, acting_user=coordinator.user
            )
        with pytest.raises(ValidationError, match="dernier coordinateur"):
            services.remove_member(membership=coordinator, acting_user=coordinator.user)
        coordinator.refresh_from_db()
        assert coordinator.role == Role.COORDINATOR


def test_with_two_coordinators_one_can_step_down(coordinator):
    organisation = coordinator.organisation
    other = MembershipFactory(organisation=organisation, coordinator=True)
    with scope(organisation=organisation.pk):
        services.change_member_role(
            membership=other, role=Role.OBSERVER, acting_user=coordinator.user
        )
        other.refresh_from_db()
        assert other.role == Role.OBSERVER
        services.remove_member(membership=other, acting_user=coordinator.user)
        assert not Membership.objects.filter(pk=other.pk).exists()
        actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == [services.Action.MEMBER_REMOVED, services.Action.MEMBER_ROLE_CHANGED]


def test_create_organisation_validates_the_slug():
    with pytest.raises(ValidationError):
        services.create_organisation(name="Admin", slug="admin")
    organisation = services.create_organisation(name="CAF de la Creuse", slug="caf-creuse")
    assert organisation.brand_colour


@pytest.mark.parametrize(
    ("colour", "accepted"),
    [("#1f5f8b", True), ("#2f5d50", True), ("#777777", False), ("#ffcc00", False)],
)
def test_brand_colours_must_be_readable_with_white_text(colour, accepted):
    if accepted:
        validate_brand_colour(colour)
    else:
        with pytest.raises(ValidationError, match="4,5:1"):
            validate_brand_colour(colour)


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_tenant_models_refuse_unscoped_queries():
    OrganisationFactory()
    from django_scopes.exceptions import ScopeError

    with pytest.raises(ScopeError):
        list(Membership.objects.all())
