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
from candidatures.extensions import application_parts
from candidatures.models import Application, ApplicationEvent
from candidatures.parts import ApplicationPart
from organisations.home_sections import HomeSection
from tests.candidatures.applications.conftest import (
    add,
    complete_application,
    start,
    url,
)
from tests.factories import (
    ApplicationMemberFactory,
    CallFactory,
    build_application,
    build_programme,
)
from tests.querycount import MAX_QUERIES_PER_PAGE, assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

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
