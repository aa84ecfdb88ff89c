"""An invitation added in the platform admin (on an organisation's page) goes through
``organisations.services.invite_member``, like one sent from the « Membres » page: the
e-mail leaves and the journal says who invited whom."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from organisations.models import AuditEntry, Invitation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.second_factor import login_past_second_factor

pytestmark = pytest.mark.django_db


def change_form(organisation, **invitation):
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "brand_colour": organisation.brand_colour or "#2f5d50",
        "time_zone": organisation.time_zone,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "invitations-TOTAL_FORMS": "1" if invitation else "0",
        "invitations-INITIAL_FORMS": "0",
    }
    for key, value in invitation.items():
        data[f"invitations-0-{key}"] = value
    return data


@pytest.fixture
def staff_client(client):
    return login_past_second_factor(client, UserFactory(is_staff=True, is_superuser=True))


def test_an_invitation_added_in_the_admin_sends_its_email(staff_client, mailoutbox):
    organisation = OrganisationFactory(name="Fabrique des transitions")
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    assert staff_client.get(url).status_code == 200

    response = staff_client.post(
        url, change_form(organisation, email="Pilote@Fabrique.fr", role="coordinator")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    with scope(organisation=organisation.pk):
        invitation = Invitation.objects.get()
        assert invitation.email == "pilote@fabrique.fr"
        assert invitation.invited_by is not None and invitation.invited_by.is_staff
        assert invitation.expires_at > invitation.created_at
        assert AuditEntry.objects.filter(
            organisation=organisation, action="organisations.member.invited"
        ).exists()
    (message,) = mailoutbox
    assert message.to == ["pilote@fabrique.fr"]
    assert "Fabrique des transitions" in message.subject
    assert invitation.token in message.body


def test_inviting_a_member_in_the_admin_is_refused_with_a_message(staff_client, mailoutbox):
    membership = MembershipFactory(user__email="deja@fabrique.fr")
    organisation = membership.organisation
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    data = change_form(organisation, email="deja@fabrique.fr", role="trainer")
    data["memberships-TOTAL_FORMS"] = "1"
    data["memberships-INITIAL_FORMS"] = "1"
    data["memberships-0-id"] = str(membership.pk)
    data["memberships-0-organisation"] = str(organisation.pk)
    data["memberships-0-user"] = str(membership.user_id)
    data["memberships-0-role"] = membership.role

    response = staff_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "déjà membre" in response.content.decode()
    with scope(organisation=organisation.pk):
        assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_a_logo_uploaded_in_the_admin_is_checked_by_its_content(staff_client):
    """The platform admin goes through the same sniffing as the settings page: an HTML
    page posing as a PNG is refused, and the organisation keeps no logo."""
    organisation = OrganisationFactory(name="Fabrique des transitions")
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    fake = SimpleUploadedFile(
        "logo.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
    )

    response = staff_client.post(url, {**change_form(organisation), "logo": fake})

    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas au bon format" in response.content.decode()
    organisation.refresh_from_db()
    assert not organisation.logo
