import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from organisations.models import AuditEntry, Invitation, Membership, Organisation, Role
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def coordinator():
    return MembershipFactory(coordinator=True, organisation__name="Région Test")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator.user)
    return client


def url(name, organisation, **kwargs):
    return reverse(name, kwargs={"organisation_slug": organisation.slug, **kwargs})


def test_home_lists_my_organisations_with_my_role(client):
    user = UserFactory()
    MembershipFactory(user=user, organisation__name="Région A", coordinator=True)
    MembershipFactory(user=user, organisation__name="CNFPT B", trainer=True)
    OrganisationFactory(name="Organisation C")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "Région A" in page and "CNFPT B" in page
    assert "Organisation C" not in page
    assert "Formateur·rice" in page
    # The header switcher lists both organisations on every page.
    other = client.get(reverse("accounts:profile")).content.decode()
    assert "Mes organisations" in other and "CNFPT B" in other


def test_unknown_organisation_slug_is_a_french_404(coordinator_client):
    response = coordinator_client.get("/organisation-inconnue/membres/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, coordinator):
    response = client.get(url("organisations:members", coordinator.organisation))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))


def test_members_page_shows_members_and_pending_invitations(coordinator_client, coordinator):
    organisation = coordinator.organisation
    MembershipFactory(organisation=organisation, trainer=True, user__email="f@exemple.fr")
    InvitationFactory(organisation=organisation, email="pending@exemple.fr")
    InvitationFactory(organisation=organisation, email="old@exemple.fr", expired=True)
    page = coordinator_client.get(url("organisations:members", organisation)).content.decode()
    assert "f@exemple.fr" in page
    assert "pending@exemple.fr" in page
    assert "old@exemple.fr" not in page


def test_trainer_sees_members_but_cannot_manage_them(client, coordinator):
    trainer = MembershipFactory(organisation=coordinator.organisation, trainer=True)
    client.force_login(trainer.user)
    page = client.get(url("organisations:members", coordinator.organisation)).content.decode()
    assert coordinator.user.email in page
    assert "Inviter un membre" not in page
    assert (
        client.get(url("organisations:member_invite", coordinator.organisation)).status_code == 404
    )
    response = client.post(
        url("organisations:member_remove", coordinator.organisation, membership_id=coordinator.pk)
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert Membership.objects.filter(pk=coordinator.pk).exists()


def test_members_page_query_count_does_not_grow(coordinator_client, coordinator):
    organisation = coordinator.organisation

    def add_members(count):
        for _ in range(count):
            MembershipFactory(organisation=organisation, trainer=True)
            InvitationFactory(organisation=organisation)

    assert_constant_queries(
        coordinator_client, url("organisations:members", organisation), add_members
    )


def test_audit_log_query_count_does_not_grow(coordinator_client, coordinator):
    organisation = coordinator.organisation

    def add_entries(count):
        for i in range(count):
            AuditEntry.objects.create(
                organisation=organisation,
                actor=UserFactory(),
                action="organisations.member.invited",
                target=f"{i}",
            )

    assert_constant_queries(
        coordinator_client, url("organisations:audit_log", organisation), add_entries
    )


def test_invite_shows_french_errors_next_to_fields(coordinator_client, coordinator):
    response = coordinator_client.post(
        url("organisations:member_invite", coordinator.organisation),
        {"email": "pas-une-adresse", "role": "chef"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in page
    assert 'aria-describedby="id_email_helptext id_email_error"' in page
    assert "Sélectionnez un choix valide" in page
    assert 'aria-invalid="true"' in page
    with scopes_disabled():
        assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invite_an_existing_member_shows_the_reason(coordinator_client, coordinator):
    response = coordinator_client.post(
        url("organisations:member_invite", coordinator.organisation),
        {"email": coordinator.user.email, "role": Role.TRAINER},
    )
    assert "déjà membre" in response.content.decode()


def test_coordinator_invites_a_trainer(coordinator_client, coordinator):
    response = coordinator_client.post(
        url("organisations:member_invite", coordinator.organisation),
        {"email": "formateur@exemple.fr", "role": Role.TRAINER},
        follow=True,
    )
    assert "Invitation envoyée à formateur@exemple.fr." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["formateur@exemple.fr"]]


def test_change_role_and_refuse_demoting_the_last_coordinator(coordinator_client, coordinator):
    organisation = coordinator.organisation
    trainer = MembershipFactory(organisation=organisation, trainer=True)
    coordinator_client.post(
        url("organisations:member_role", organisation, membership_id=trainer.pk),
        {"role": Role.OBSERVER},
    )
    response = coordinator_client.post(
        url("organisations:member_role", organisation, membership_id=coordinator.pk),
        {"role": Role.TRAINER},
        follow=True,
    )
    assert "dernier coordinateur" in response.content.decode()
    with scopes_disabled():
        trainer.refresh_from_db()
        coordinator.refresh_from_db()
    assert trainer.role == Role.OBSERVER
    assert coordinator.role == Role.COORDINATOR


def test_removed_member_loses_access_with_old_links(client, coordinator):
    organisation = coordinator.organisation
    trainer = MembershipFactory(organisation=organisation, trainer=True)
    trainer_client = Client()
    trainer_client.force_login(trainer.user)
    members_url = url("organisations:members", organisation)
    assert trainer_client.get(members_url).status_code == 200
    client.force_login(coordinator.user)
    client.post(url("organisations:member_remove", organisation, membership_id=trainer.pk))
    assert trainer_client.get(members_url).status_code == 404
    assert trainer_client.get(url("organisations:home", organisation)).status_code == 404


def test_post_without_csrf_token_changes_nothing(coordinator):
    organisation = coordinator.organisation
    trainer = MembershipFactory(organisation=organisation, trainer=True)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator.user)
    response = strict.post(
        url("organisations:member_remove", organisation, membership_id=trainer.pk)
    )
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()
    with scopes_disabled():
        assert Membership.objects.filter(pk=trainer.pk).exists()


def test_settings_refuse_a_low_contrast_colour_with_an_explanation(coordinator_client, coordinator):
    organisation = coordinator.organisation
    response = coordinator_client.post(
        url("organisations:settings", organisation),
        {"name": "Nouveau nom", "brand_colour": "#ffcc00", "time_zone": "Europe/Paris"},
    )
    page = response.content.decode()
    assert "contraste de 1,51:1" in page
    organisation.refresh_from_db()
    assert organisation.name == "Région Test"
    assert organisation.brand_colour != "#ffcc00"


def test_settings_save_colour_and_logo(coordinator_client, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    organisation = coordinator.organisation
    logo = io.BytesIO(PNG)
    logo.name = "logo.png"
    response = coordinator_client.post(
        url("organisations:settings", organisation),
        {
            "name": "Région Test",
            "brand_colour": "#1f5f8b",
            "time_zone": "Europe/Paris",
            "logo": logo,
        },
        follow=True,
    )
    assert "Paramètres enregistrés." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.brand_colour == "#1f5f8b"
    page = coordinator_client.get(url("organisations:home", organisation)).content.decode()
    assert "--sillon-brand: #1f5f8b" in page
    logo_response = coordinator_client.get(url("organisations:logo", organisation))
    assert logo_response["Content-Type"] == "image/png"
    assert logo_response.content == PNG
    with scope(organisation=organisation.pk):
        assert AuditEntry.objects.filter(action="organisations.organisation.updated").exists()


def test_settings_refuse_a_file_that_is_not_an_image(
    coordinator_client, coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    fake = io.BytesIO(b"<script>alert(1)</script>")
    fake.name = "logo.png"
    response = coordinator_client.post(
        url("organisations:settings", coordinator.organisation),
        {
            "name": "Région Test",
            "brand_colour": "#1f5f8b",
            "time_zone": "Europe/Paris",
            "logo": fake,
        },
    )
    assert "pas au bon format" in response.content.decode()
    coordinator.organisation.refresh_from_db()
    assert not coordinator.organisation.logo


def test_required_mfa_sends_a_coordinator_to_totp_setup(coordinator_client, coordinator):
    Organisation.objects.filter(pk=coordinator.organisation_id).update(
        require_mfa_for_coordinators=True
    )
    response = coordinator_client.get(url("organisations:home", coordinator.organisation))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("mfa_activate_totp")


def test_legal_notice_is_public(client, coordinator):
    Organisation.objects.filter(pk=coordinator.organisation_id).update(
        legal_notice="Éditeur : Région Test"
    )
    response = client.get(url("organisations:legal_notice", coordinator.organisation))
    assert response.status_code == 200
    assert "Éditeur : Région Test" in response.content.decode()
