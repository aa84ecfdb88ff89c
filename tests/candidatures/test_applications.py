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

from candidatures import notices, services
from candidatures.actions import Action
from candidatures.extensions import application_parts
from candidatures.models import Application, ApplicationEvent, ApplicationMember
from candidatures.parts import ApplicationPart
from organisations.home_sections import HomeSection
from organisations.models import AuditEntry
from tests.factories import (
    ApplicationMemberFactory,
    CallFactory,
    MembershipFactory,
    TeamRoleFactory,
    TerritoryFactory,
    UserFactory,
    build_application,
    build_programme,
)
from tests.querycount import MAX_QUERIES_PER_PAGE, assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A published open call of a programme with the trinôme roles (élu·e and chargé·e
    de mission required, responsable de service optional), a lead without an application
    yet, an invited person and a signed-in outsider."""
    with scopes_disabled():
        built = build_programme(teams=0)
        built.call = CallFactory(cohort=built.cohort, published=True, slug="ami-2026")
        built.elu, built.charge, built.responsable = built.roles
        built.lead = UserFactory(first_name="Léa", last_name="Porteuse", email="lea@cc.fr")
        built.invitee = UserFactory(first_name="Marc", last_name="Chargé", email="marc@cc.fr")
        built.outsider = UserFactory(first_name="Olga", last_name="Autre", email="olga@ailleurs.fr")
        built.territory = TerritoryFactory(name="Communauté de communes du Bray")
        built.coordinator = MembershipFactory(organisation=built.organisation).user
    return built


def record_calls(monkeypatch, name):
    """Every call the services make to ``candidatures.notices.<name>`` during the test,
    as (first argument, acting_user); the e-mails are written all the same."""
    sent = []
    original = getattr(notices, name)

    def recording(subject, acting_user=None):
        sent.append((subject, acting_user))
        return original(subject, acting_user)

    monkeypatch.setattr(notices, name, recording)
    return sent


@pytest.fixture
def invited(monkeypatch):
    """Every invitation to complete an application: (member, acting_user)."""
    return record_calls(monkeypatch, "send_member_invitation")


@pytest.fixture
def submitted(monkeypatch):
    """Every submission confirmation: (application, acting_user)."""
    return record_calls(monkeypatch, "send_submission_confirmation")


def start(world, **overrides):
    values = {
        "call": world.call,
        "acting_user": world.lead,
        "territory": world.territory,
        "structure": "Communauté de communes du Bray",
        "project_name": "PAT du Bray",
        "project_stage": "construction",
        "project_website": "",
        "role": world.elu,
        "function": "Vice-présidente",
        "phone": "",
    }
    values.update(overrides)
    return services.start_application(**values)


def add(world, application, **overrides):
    values = {
        "application": application,
        "acting_user": world.lead,
        "first_name": "Marc",
        "last_name": "Chargé",
        "email": "marc@cc.fr",
        "role": world.charge,
        "function": "Chargé de mission PAT",
    }
    values.update(overrides)
    return services.add_application_member(**values)


def complete_application(world):
    """A draft with the lead (élu·e) and the invited chargé·e de mission."""
    application = start(world)
    add(world, application)
    return application


def url(name, world, application, *extra):
    return reverse(
        f"candidatures:{name}",
        args=[world.organisation.slug, world.call.slug, application.pk, *extra],
    )


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


# --- Submitting ----------------------------------------------------------------------


def test_submit_a_complete_application(world, submitted):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        services.submit_application(application=application, acting_user=world.lead)
        application.refresh_from_db()
        assert application.status == "submitted" and application.submitted_at is not None
        event = ApplicationEvent.objects.filter(application=application).last()
        assert (event.from_status, event.to_status, event.actor) == (
            "draft",
            "submitted",
            world.lead,
        )
        assert [a.pk for a, _user in submitted] == [application.pk]
        assert submitted[0][1] == world.lead


def test_a_second_submission_is_refused(world, submitted):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        services.submit_application(application=application, acting_user=world.lead)
        with pytest.raises(ValidationError, match="déjà déposée"):
            services.submit_application(application=application, acting_user=world.lead)
        assert len(submitted) == 1
        assert ApplicationEvent.objects.filter(to_status="submitted").count() == 1


def test_submission_without_a_required_role_names_it(world, submitted):
    with scope(organisation=world.organisation.pk):
        application = start(world)
        with pytest.raises(ValidationError) as refused:
            services.submit_application(application=application, acting_user=world.lead)
        assert refused.value.messages == [
            "Il manque une personne au rôle « Chargé·e de mission », indispensable."
        ]
        application.refresh_from_db()
        assert application.status == "draft" and application.submitted_at is None
        assert ApplicationEvent.objects.filter(application=application).count() == 1
        assert submitted == []


def test_submission_lists_every_missing_item(world):
    with scope(organisation=world.organisation.pk):
        application = start(world, structure="", project_name="", role=None)
        missing = services.missing_items(application)
    assert missing == [
        "La structure porteuse n'est pas indiquée.",
        "Le nom du projet n'est pas indiqué.",
        "Il manque une personne au rôle « Élu·e référent·e », indispensable.",
        "Il manque une personne au rôle « Chargé·e de mission », indispensable.",
    ]


def test_submission_after_the_closing_is_refused(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        world.call.closes_at = timezone.now() - timedelta(minutes=1)
        world.call.opens_at = timezone.now() - timedelta(days=10)
        world.call.save()
        with pytest.raises(ValidationError, match="ne peut plus être déposée"):
            services.submit_application(application=application, acting_user=world.lead)
        application.refresh_from_db()
        assert application.status == "draft"


def test_submission_after_a_coordinators_reopening_is_accepted(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        world.call.closes_at = timezone.now() - timedelta(days=1)
        world.call.opens_at = timezone.now() - timedelta(days=10)
        world.call.save()
        Application.objects.filter(pk=application.pk).update(
            reopened_until=timezone.now() + timedelta(days=2)
        )
        services.submit_application(application=application, acting_user=world.lead)
        application.refresh_from_db()
        assert application.status == "submitted"


def test_a_reopening_that_is_over_does_not_help(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        world.call.closes_at = timezone.now() - timedelta(days=1)
        world.call.opens_at = timezone.now() - timedelta(days=10)
        world.call.save()
        Application.objects.filter(pk=application.pk).update(
            reopened_until=timezone.now() - timedelta(hours=1)
        )
        with pytest.raises(ValidationError, match="ne peut plus être déposée"):
            services.submit_application(application=application, acting_user=world.lead)


def test_only_the_lead_submits(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        services.join_application(member=member, acting_user=world.invitee)
        with pytest.raises(ValidationError, match="Seule la personne qui porte"):
            services.submit_application(application=application, acting_user=world.invitee)


def test_a_submitted_application_is_no_longer_edited(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        services.submit_application(application=application, acting_user=world.lead)
        with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
            add(world, application, email="tard@cc.fr", role=world.responsable)
        with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
            services.update_application(
                application=application, acting_user=world.lead, territory=world.territory
            )


def test_parts_of_higher_apps_are_shown_and_block_submission(client, world, contribute):
    part = ApplicationPart(
        key="test-questions",
        applicant=lambda request, application, editable: HomeSection(
            "parcours/partials/home_section.html",
            {"sessions": [], "programmes": []},
        ),
        review=lambda request, application: None,
        missing=lambda application: ["Les questions de motivation ne sont pas remplies."],
        receipt=lambda application: None,
    )
    contribute(application_parts, lambda sender, **kwargs: part)
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        with pytest.raises(ValidationError, match="questions de motivation"):
            services.submit_application(application=application, acting_user=world.lead)
    client.force_login(world.lead)
    body = client.get(url("application_detail", world, application)).content.decode()
    assert "Les questions de motivation ne sont pas remplies." in body
    assert 'href="#parties"' in body and 'id="parties"' in body


def test_submitting_from_the_page_lists_what_is_missing(client, world):
    with scope(organisation=world.organisation.pk):
        application = start(world)
    client.force_login(world.lead)
    response = client.post(url("application_submit", world, application), follow=True)
    body = response.content.decode()
    assert "La candidature n&#x27;est pas déposée" in body
    assert "Il manque une personne au rôle « Chargé·e de mission », indispensable." in body


def test_submitting_from_the_page(client, world, submitted):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
    client.force_login(world.lead)
    detail = client.get(url("application_detail", world, application)).content.decode()
    assert "Dépôt possible jusqu’au" in detail
    assert "Rien ne manque" in detail
    response = client.post(url("application_submit", world, application), follow=True)
    body = response.content.decode()
    assert "Votre candidature est déposée" in body
    assert url("application_receipt", world, application) in body
    assert len(submitted) == 1


# --- Withdrawing ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "under_review"])
def test_withdraw_before_the_decision(world, status):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        Application.objects.filter(pk=application.pk).update(status=status)
        services.withdraw_application(
            application=application, acting_user=world.lead, reason="Élections"
        )
        application.refresh_from_db()
        assert application.status == "withdrawn"
        event = ApplicationEvent.objects.filter(application=application).last()
        assert (event.from_status, event.to_status, event.actor, event.note) == (
            status,
            "withdrawn",
            world.lead,
            "Élections",
        )


@pytest.mark.parametrize("status", ["decided", "withdrawn"])
def test_withdraw_is_refused_after_the_decision_or_twice(world, status):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        Application.objects.filter(pk=application.pk).update(status=status)
        with pytest.raises(ValidationError):
            services.withdraw_application(application=application, acting_user=world.lead)
        application.refresh_from_db()
        assert application.status == status


def test_only_the_lead_withdraws(world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        services.join_application(member=member, acting_user=world.invitee)
        with pytest.raises(ValidationError, match="Seule la personne qui porte"):
            services.withdraw_application(application=application, acting_user=world.invitee)


def test_withdrawing_from_the_page_asks_for_confirmation(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
    client.force_login(world.lead)
    withdraw_url = url("application_withdraw", world, application)
    assert client.get(withdraw_url).status_code == 200
    unconfirmed = client.post(withdraw_url, {"reason": ""})
    assert "Cochez la case pour confirmer le retrait." in unconfirmed.content.decode()
    confirmed = client.post(withdraw_url, {"reason": "Projet reporté", "confirm": "on"})
    assert confirmed.status_code == 302
    with scope(organisation=world.organisation.pk):
        application.refresh_from_db()
    assert application.status == "withdrawn"


# --- Who sees what -------------------------------------------------------------------


def all_pages(world, application, member):
    return [
        ("get", url("application_detail", world, application)),
        ("get", url("application_edit", world, application)),
        ("post", url("application_edit", world, application)),
        ("get", url("application_members", world, application)),
        ("post", url("application_members", world, application)),
        ("get", url("application_member_edit", world, application, member.pk)),
        ("post", url("application_member_edit", world, application, member.pk)),
        ("post", url("application_member_remove", world, application, member.pk)),
        ("post", url("application_member_invite", world, application, member.pk)),
        ("get", url("application_member_part", world, application)),
        ("post", url("application_member_part", world, application)),
        ("post", url("application_submit", world, application)),
        ("get", url("application_withdraw", world, application)),
        ("post", url("application_withdraw", world, application)),
    ]


def test_an_outsider_gets_404_on_every_application_page(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        # Even someone with an application of their own to the same call.
        start(world, acting_user=world.outsider, confirm_duplicate=True)
    for user in (world.outsider, world.coordinator):
        client.force_login(user)
        for method, page in all_pages(world, application, member):
            response = getattr(client, method)(page)
            assert response.status_code == 404, (user, method, page, response.status_code)
    with scope(organisation=world.organisation.pk):
        member.refresh_from_db()
        assert application.members.count() == 2 and member.user is None


def test_an_invited_member_who_has_not_joined_gets_404(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
    client.force_login(world.invitee)
    assert client.get(url("application_detail", world, application)).status_code == 404


def test_a_joined_member_reads_the_summary_but_does_not_edit_the_project(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
        lead_line = application.members.get(is_lead=True)
        services.join_application(member=member, acting_user=world.invitee)
    client.force_login(world.invitee)
    detail = client.get(url("application_detail", world, application))
    assert detail.status_code == 200
    assert "Confirmer ma participation" in detail.content.decode()
    assert client.get(url("application_members", world, application)).status_code == 200
    assert client.get(url("application_edit", world, application)).status_code == 404
    assert client.post(url("application_members", world, application)).status_code == 404
    assert client.post(url("application_submit", world, application)).status_code == 404
    assert (
        client.get(url("application_member_edit", world, application, lead_line.pk)).status_code
        == 404
    )
    assert (
        client.post(url("application_member_remove", world, application, lead_line.pk)).status_code
        == 404
    )


def test_anonymous_visitors_are_sent_to_login(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
    response = client.get(url("application_detail", world, application))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_an_unannounced_decision_stays_under_review_for_the_applicants(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        Application.objects.filter(pk=application.pk).update(
            status="decided", decision="selected", submitted_at=timezone.now()
        )
    client.force_login(world.lead)
    body = client.get(url("application_detail", world, application)).content.decode()
    assert "En cours d&#x27;examen" in body
    assert "Retenue" not in body


# --- Pages ---------------------------------------------------------------------------


def test_team_page_adds_a_member_with_errors_next_to_fields(client, world, invited):
    with scope(organisation=world.organisation.pk):
        application = start(world)
    client.force_login(world.lead)
    members_url = url("application_members", world, application)
    data = {
        "first_name": "Marc",
        "last_name": "Chargé",
        "email": "lea@cc.fr",
        "role": str(world.charge.pk),
        "function": "",
        "phone": "",
    }
    refused = client.post(members_url, data)
    assert refused.status_code == 200
    assert "Cette personne fait déjà partie de l&#x27;équipe." in refused.content.decode()
    assert invited == []
    added = client.post(members_url, {**data, "email": "marc@cc.fr"})
    assert added.status_code == 302
    assert len(invited) == 1
    page = client.get(members_url).content.decode()
    assert "Invitation envoyée le" in page and "Renvoyer l’invitation" in page


def test_resending_from_the_team_page_too_soon_says_why(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        member = application.members.get(is_lead=False)
    client.force_login(world.lead)
    response = client.post(
        url("application_member_invite", world, application, member.pk), follow=True
    )
    assert "moins de 10 minutes" in response.content.decode()


def test_detail_page_queries_do_not_grow_with_the_team(client, world):
    with scope(organisation=world.organisation.pk):
        application = start(world)
    client.force_login(world.lead)

    def add_members(count):
        with scope(organisation=world.organisation.pk):
            for _ in range(count):
                ApplicationMemberFactory(application=application, role=world.responsable)

    queries = assert_constant_queries(
        client, url("application_detail", world, application), add_members, sizes=(3, 6)
    )
    assert queries <= MAX_QUERIES_PER_PAGE


def test_team_page_queries_do_not_grow_with_the_team(client, world):
    with scope(organisation=world.organisation.pk):
        application = start(world)
    client.force_login(world.lead)

    def add_members(count):
        with scope(organisation=world.organisation.pk):
            for _ in range(count):
                ApplicationMemberFactory(application=application, role=world.responsable)

    assert_constant_queries(
        client, url("application_members", world, application), add_members, sizes=(3, 6)
    )


def test_history_names_who_did_what(client, world):
    with scope(organisation=world.organisation.pk):
        application = complete_application(world)
        services.submit_application(application=application, acting_user=world.lead)
    client.force_login(world.lead)
    body = client.get(url("application_detail", world, application)).content.decode()
    assert "Candidature commencée" in body and "Déposée" in body
    assert body.count("Léa Porteuse") >= 2


def test_my_applications_across_organisations(client, world):
    with scope(organisation=world.organisation.pk):
        mine = complete_application(world)
        start(world, acting_user=world.outsider, confirm_duplicate=True)
    with scopes_disabled():
        other = build_programme(teams=0)
        other_call = CallFactory(cohort=other.cohort, published=True, title="AMI Caux 2027")
        joined = build_application(call=other_call, structure="Pays de Caux")
        ApplicationMemberFactory(application=joined, email=world.lead.email, user=world.lead)
    client.force_login(world.lead)
    response = client.get(reverse("my_applications"))
    body = response.content.decode()
    assert response.status_code == 200
    assert url("application_detail", world, mine) in body
    assert other_call.title in body and other.organisation.name in body
    assert "olga" not in body.lower()
    queries, _sql = count_queries(client, reverse("my_applications"))
    assert queries <= MAX_QUERIES_PER_PAGE


def test_account_menu_links_my_applications(client, world):
    client.force_login(world.lead)
    body = client.get(reverse("my_applications")).content.decode()
    assert f'href="{reverse("my_applications")}"' in body
