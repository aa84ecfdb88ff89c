"""The applicants' side of a call: starting an application, the team and its
invitations, joining by the e-mail link, each member's part, submission before the
deadline (or a coordinator's reopening), withdrawal; who sees what (404 for anyone
outside the application) and nothing half-saved on refused input."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from candidatures import services
from candidatures.actions import Action
from candidatures.models import Application, ApplicationEvent, ApplicationMember
from organisations.models import AuditEntry
from tests.candidatures.applications.conftest import (
    add,
    complete_application,
    start,
    url,
)
from tests.factories import (
    CallFactory,
    TeamRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# --- Starting ------------------------------------------------------------------------


def test_start_creates_a_draft_with_the_lead_as_first_member(world):
    with scope(organisation=world.organisation.pk):
        application = start(world)
        assert application.status == Application.Status.DRAFT
        (lead,) = application.members.all()
        assert lead.is_lead and lead.user == world.lead and lead.email == "lea@cc.fr"
        assert (lead.first_name, lead.last_name) == ("Léa", "Porteuse")
        assert lead.joined_at and lead.confirmed_at and lead.role == world.elu
        (event,) = ApplicationEvent.objects.filter(application=application)
        assert (event.from_status, event.to_status, event.actor) == ("", "draft", world.lead)
        assert AuditEntry.objects.filter(
            action=Action.APPLICATION_CREATED, actor=world.lead
        ).exists()


def test_start_asks_the_names_of_an_account_without_them_and_keeps_them(world):
    with scopes_disabled():
        nameless = UserFactory(first_name="", last_name="", email="sans.nom@cc.fr")
    with scope(organisation=world.organisation.pk):
        with pytest.raises(ValidationError) as refused:
            start(world, acting_user=nameless)
        assert set(refused.value.message_dict) == {"first_name", "last_name"}
        assert not Application.objects.exists()
        start(world, acting_user=nameless, first_name="Nina", last_name="Simon")
    nameless.refresh_from_db()
    assert (nameless.first_name, nameless.last_name) == ("Nina", "Simon")


@pytest.mark.parametrize(
    "call_state, message",
    [({"closed": True}, "closes depuis"), ({"status": "draft"}, "pas publié")],
)
def test_start_is_refused_on_a_closed_or_unpublished_call(world, call_state, message):
    with scopes_disabled():
        world.call = CallFactory(cohort=world.cohort, **{"published": True, **call_state})
    with scope(organisation=world.organisation.pk):
        with pytest.raises(ValidationError, match=message):
            start(world)
        assert not Application.objects.exists()
        assert not ApplicationMember.objects.exists()


def test_a_second_application_for_the_same_territory_is_warned_then_accepted(world):
    with scope(organisation=world.organisation.pk):
        start(world)
        with pytest.raises(ValidationError) as refused:
            start(world, acting_user=world.invitee, role=world.charge)
        (error,) = refused.value.error_dict["territory"]
        assert "existe déjà pour cet appel" in error.message
        assert Application.objects.count() == 1
        second = start(world, acting_user=world.invitee, role=world.charge, confirm_duplicate=True)
        assert second.territory == world.territory
        assert Application.objects.count() == 2


def test_a_withdrawn_application_does_not_count_as_a_duplicate(world):
    with scope(organisation=world.organisation.pk):
        first = start(world)
        services.withdraw_application(application=first, acting_user=world.lead, reason="")
        start(world, acting_user=world.invitee, role=world.charge)


def test_nothing_is_saved_when_the_start_is_refused(world):
    with scope(organisation=world.organisation.pk):
        with pytest.raises(ValidationError) as refused:
            start(world, project_website="pas une adresse", role=TeamRoleFactory())
        assert {"project_website", "role"} <= set(refused.value.message_dict)
        assert not Application.objects.exists()
        assert not ApplicationMember.objects.exists()
        assert not ApplicationEvent.objects.exists()


def test_start_page_sends_anonymous_visitors_to_login(client, world):
    response = client.get(
        reverse("candidatures:application_start", args=[world.organisation.slug, "ami-2026"])
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url


def test_start_page_warns_about_the_same_territory_then_accepts_confirmation(client, world):
    with scope(organisation=world.organisation.pk):
        start(world)
    client.force_login(world.invitee)
    start_url = reverse(
        "candidatures:application_start", args=[world.organisation.slug, "ami-2026"]
    )
    page = client.get(start_url)
    assert page.status_code == 200
    assert "Le territoire et le projet" in page.content.decode()
    data = {
        "territory": "",
        "territory_id": str(world.territory.pk),
        "structure": "Syndicat mixte",
        "project_name": "PAT bis",
        "project_stage": "",
        "project_recognition": "",
        "project_website": "",
        "role": str(world.charge.pk),
        "function": "",
        "phone": "",
    }
    warned = client.post(start_url, data)
    assert warned.status_code == 200
    body = warned.content.decode()
    assert "existe déjà pour cet appel" in body
    assert 'name="confirm_duplicate"' in body
    with scope(organisation=world.organisation.pk):
        assert Application.objects.count() == 1
    accepted = client.post(start_url, {**data, "confirm_duplicate": "on"})
    assert accepted.status_code == 302
    with scope(organisation=world.organisation.pk):
        mine = Application.objects.get(created_by=world.invitee)
    assert accepted.url == url("application_members", world, mine)
    # Coming back to the form leads to the application already started.
    again = client.get(start_url)
    assert again.status_code == 302 and again.url == url("application_detail", world, mine)


# --- The team ------------------------------------------------------------------------


def test_adding_a_member_invites_them(world, invited):
    with scope(organisation=world.organisation.pk):
        application = start(world)
        member = add(world, application, email="Marc@CC.fr")
        assert member.email == "marc@cc.fr" and member.invited_at is not None
        assert not member.is_lead and member.user is None
        assert invited == [(member, world.lead)]
        assert AuditEntry.objects.filter(action=Action.APPLICATION_MEMBER_INVITED).count() == 1


def test_the_same_person_twice_is_refused(world, invited):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        with pytest.raises(ValidationError) as refused:
            add(world, application, email="MARC@cc.fr", role=world.responsable)
        assert refused.value.message_dict["email"] == [
            "Cette personne fait déjà partie de l'équipe."
        ]
        with pytest.raises(ValidationError, match="déjà partie"):
            add(world, application, email="lea@cc.fr", role=world.responsable)
        assert application.members.count() == 2
        assert len(invited) == 1


def test_a_role_over_its_capacity_or_from_another_programme_is_refused(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        with pytest.raises(ValidationError) as refused:
            add(world, application, email="autre@cc.fr", role=world.charge)
        assert "limité à 1 personne" in refused.value.message_dict["role"][0]
        with pytest.raises(ValidationError) as refused:
            add(world, application, email="autre@cc.fr", role=TeamRoleFactory())
        assert "n'existe pas dans ce programme" in refused.value.message_dict["role"][0]
        assert application.members.count() == 2


def test_only_the_lead_changes_the_team_and_the_project(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        services.join_application(member=member, acting_user=world.invitee)
        with pytest.raises(ValidationError, match="Seule la personne qui porte"):
            add(world, application, acting_user=world.invitee, email="x@cc.fr", role=None)
        with pytest.raises(ValidationError, match="Seule la personne qui porte"):
            services.update_application(
                application=application, acting_user=world.invitee, territory=world.territory
            )
        lead_line = application.members.get(is_lead=True)
        with pytest.raises(ValidationError, match="Seule la personne qui porte"):
            services.update_application_member(
                member=lead_line, acting_user=world.invitee, first_name="X", last_name="Y"
            )
        # Their own line is theirs.
        services.update_application_member(
            member=member, acting_user=world.invitee, first_name="Marc", last_name="Chargé-Dupuis"
        )
        member.refresh_from_db()
        assert member.last_name == "Chargé-Dupuis"


def test_changing_an_invited_address_sends_the_invitation_again(world, invited):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        old_token = member.token
        services.update_application_member(
            member=member,
            acting_user=world.lead,
            first_name="Marc",
            last_name="Chargé",
            email="marc.charge@cc.fr",
        )
        member.refresh_from_db()
        assert member.email == "marc.charge@cc.fr" and member.token != old_token
        assert len(invited) == 2 and invited[-1][0].email == "marc.charge@cc.fr"


def test_removing_a_member_but_never_the_lead(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        lead_line = application.members.get(is_lead=True)
        with pytest.raises(ValidationError, match="ne peut pas être retirée"):
            services.remove_application_member(member=lead_line, acting_user=world.lead)
        other = application.members.get(is_lead=False)
        services.remove_application_member(member=other, acting_user=world.lead)
        assert list(application.members.all()) == [lead_line]


def test_an_invitation_is_sent_again_at_most_every_ten_minutes(world, invited):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        with pytest.raises(ValidationError, match="moins de 10 minutes"):
            services.resend_member_invitation(member=member, acting_user=world.lead)
        assert len(invited) == 1
        ApplicationMember.objects.filter(pk=member.pk).update(
            invited_at=timezone.now() - timedelta(minutes=11)
        )
        services.resend_member_invitation(member=member, acting_user=world.lead)
        assert len(invited) == 2


# --- Joining and confirming ----------------------------------------------------------


def test_joining_with_another_address_is_refused(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        with pytest.raises(ValidationError, match=r"destinée à marc@cc\.fr"):
            services.join_application(member=member, acting_user=world.outsider)
        member.refresh_from_db()
        assert member.user is None and member.joined_at is None


def test_joining_with_the_invited_address_whatever_its_case(world):
    with scopes_disabled():
        world.invitee.email = "MARC@cc.fr"
        world.invitee.save()
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        services.join_application(member=member, acting_user=world.invitee)
        member.refresh_from_db()
        assert member.user == world.invitee and member.joined_at is not None
        assert member.confirmed_at is None
        services.confirm_member_part(
            member=member,
            acting_user=world.invitee,
            first_name="Marc",
            last_name="Chargé",
            function="Chargé de mission PAT",
            phone="03 00 00 00 00",
        )
        member.refresh_from_db()
        assert member.confirmed_at is not None and member.phone == "03 00 00 00 00"
        assert services.pending_confirmations(application) == []


def test_only_the_member_confirms_their_part(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        with pytest.raises(ValidationError, match="Seule la personne concernée"):
            services.confirm_member_part(
                member=member, acting_user=world.lead, first_name="M", last_name="C"
            )


def test_the_invitation_page_says_for_whom_and_from_whom_then_joins(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
    join_url = reverse(
        "candidatures:application_join", args=[world.organisation.slug, "ami-2026", member.token]
    )
    anonymous = client.get(join_url)
    body = anonymous.content.decode()
    assert anonymous.status_code == 200
    assert "Léa Porteuse vous invite" in body and "marc@cc.fr" in body
    assert reverse("account_login") in body
    client.force_login(world.outsider)
    refused = client.post(join_url)
    assert refused.status_code == 200
    assert "destinée à marc@cc.fr" in refused.content.decode()
    client.force_login(world.invitee)
    joined = client.post(join_url)
    assert joined.status_code == 302
    assert joined.url == url("application_member_part", world, application)
    part = client.post(
        joined.url, {"first_name": "Marc", "last_name": "Chargé", "function": "", "phone": ""}
    )
    assert part.status_code == 302
    with scope(organisation=world.organisation.pk):
        member.refresh_from_db()
    assert member.user == world.invitee and member.confirmed_at is not None


def test_an_unknown_token_is_404(client, world):
    client.force_login(world.invitee)
    response = client.get(
        reverse(
            "candidatures:application_join", args=[world.organisation.slug, "ami-2026", "x" * 40]
        )
    )
    assert response.status_code == 404
