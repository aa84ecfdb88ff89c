from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from codev.models import Group
from codev.services import cases as codev_cases
from codev.services import groups as codev_groups
from codev.services import sessions as codev_sessions
from evaluation.models import AutomaticCampaign, Response
from notifications import services as notification_services
from notifications.models import Notification
from organisations import services
from organisations.models import Role
from parcours import services as parcours_services
from parcours.models import TeamInvitation
from presences.models import AttendanceChange, WorkshopAttendance
from ressources.models import Visibility as ResourceVisibility
from ressources.services import create_resource
from tests.factories import (
    AttendanceFactory,
    AttestationFactory,
    CallFactory,
    CampaignFactory,
    DatePollFactory,
    DocumentFactory,
    MembershipFactory,
    OrganisationFactory,
    PhaseFactory,
    ScoringCriterionFactory,
    SessionFactory,
    TeamMemberFactory,
    VoteFactory,
    WorkshopFactory,
    build_application,
    build_grid_questionnaire,
    build_programme,
)

from .sweep import World, sweep, tenant_urls


def _codev_world(parcours, coordinator, trainer, member) -> dict:
    """A CODEV group of the victim's team, a séance with its client, a case with a
    document, advice and a commitment: every object a codev URL names."""
    group = codev_groups.save_group(
        group=Group(programme=parcours.programme, name="Groupe Zéphyr"),
        acting_user=coordinator,
        facilitators=[trainer],
    )
    codev_groups.set_members(group=group, teams=parcours.teams, acting_user=coordinator)
    (group_session,) = codev_sessions.create_series(
        groups=[group],
        acting_user=coordinator,
        title="CODEV Zéphyr",
        kind=parcours.kind,
        format="visio",
        visio_url="https://visio.exemple.fr/zephyr",
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=3),
    )
    codev_sessions.apply_rotation(group=group, acting_user=coordinator)
    group_session.refresh_from_db()
    case = codev_cases.save_case(
        group_session=group_session,
        acting_user=member,
        title="Cas Zéphyr",
        question="Question Zéphyr ?",
    )
    case_document = codev_cases.add_case_document(
        case=case,
        acting_user=member,
        title="Note Zéphyr",
        file=SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%zephyr\n", "application/pdf"),
    )
    advice = codev_cases.add_advice(case=case, text="Conseil Zéphyr")
    commitment = codev_cases.save_commitment(
        case=case,
        acting_user=member,
        what="Engagement Zéphyr",
        owner=member,
        due_on=(timezone.now() + timedelta(days=40)).date(),
    )
    return {
        "group": group,
        "group_session": group_session,
        "group_membership": group_session.client,
        "case": case,
        "case_document": case_document,
        "advice": advice,
        "commitment": commitment,
    }


def _plans_world(parcours, coordinator, member) -> dict:
    """The team's action plan with an action and a submitted fiche d'intention, and a
    common plan holding that action: every object a plans URL names."""
    from plans.services import actions as plan_actions
    from plans.services import common as plan_common
    from plans.services import stages as plan_stages

    plan = plan_stages.team_plan(team=parcours.teams[0])
    action = plan_actions.create_action(
        plan=plan, acting_user=member, title="Action Zéphyr", owner_name="Partenaire Zéphyr"
    )
    plan_stages.save_draft(
        plan=plan, stage="intention", body="Intention Zéphyr", acting_user=member, revision=None
    )
    version = plan_stages.submit_stage(plan=plan, stage="intention", acting_user=member)
    common = plan_stages.create_plan(
        programme=parcours.programme,
        kind="common",
        title="Plan commun Zéphyr",
        acting_user=coordinator,
    )
    entry = plan_common.add_to_common_plan(
        common_plan=common, action=action, priority=1, lead="Chef Zéphyr", acting_user=coordinator
    )
    return {"plan": plan, "action": action, "stage_version": version, "common_entry": entry}


@pytest.fixture
def world(db):
    victim = OrganisationFactory(name="Organisation Victime Zéphyr", slug="victime")
    attacker = OrganisationFactory(name="Autre organisation", slug="attaquante")
    victim_coordinator = MembershipFactory(
        organisation=victim, coordinator=True, user__email="coord.zephyr@victime.fr"
    )
    trainer = MembershipFactory(
        organisation=victim, trainer=True, user__email="formatrice.zephyr@victime.fr"
    )
    attacker_coordinator = MembershipFactory(organisation=attacker, coordinator=True)
    MembershipFactory(organisation=attacker, trainer=True)
    with scope(organisation=victim.pk):
        invitation = services.invite_member(
            organisation=victim,
            email="invitee.zephyr@victime.fr",
            role=Role.OBSERVER,
            acting_user=victim_coordinator.user,
        )
        parcours = build_programme(organisation=victim, teams=1, name="Parcours Zéphyr")
        session = SessionFactory(
            programme=parcours.programme, kind=parcours.kind, title="Séance Zéphyr"
        )
        workshop = WorkshopFactory(round__session=session, title="Atelier Zéphyr")
        # The session's document: a resource of the library attached to it.
        document = create_resource(
            organisation=victim,
            acting_user=victim_coordinator.user,
            title="Support Zéphyr",
            file=SimpleUploadedFile("support.pdf", b"%PDF-1.4\n%zephyr\n", "application/pdf"),
            visibility=ResourceVisibility.PROGRAMME,
            session=session,
        )
        phase = PhaseFactory(programme=parcours.programme, name="Phase Zéphyr")
        member = parcours.teams[0].members.select_related("user").first().user
        # Attendance taken at the workshop (presences): the sweep must leave it as is.
        WorkshopAttendance.objects.create(
            organisation=victim, workshop=workshop, user=member, status="present"
        )
        (message,) = notification_services.send(
            organisation=victim,
            recipients=[member],
            kind="test.zephyr",
            category="reminders",
            build=lambda user: notification_services.Email(
                subject="Rappel Zéphyr", text="Message Zéphyr"
            ),
        )
        notification = Notification.objects.get(user=member)
        grid = build_grid_questionnaire(organisation=victim, title="Autodiagnostic Zéphyr")
        campaign = CampaignFactory(
            programme=parcours.programme,
            version=grid.version,
            title="Campagne Zéphyr",
            mode="assess_person",
            assessors=[trainer.user],
        )
        response = Response.objects.create(
            organisation=victim,
            campaign=campaign,
            version=grid.version,
            key=f"subject-person:{member.pk}",
            subject_user=member,
        )
        automatic = AutomaticCampaign.objects.create(
            organisation=victim,
            programme=parcours.programme,
            session_kind=parcours.kind,
            questionnaire=grid.questionnaire,
        )
        engagement = parcours_services.publish_engagement_text(
            programme=parcours.programme,
            acting_user=victim_coordinator.user,
            body="Engagement Zéphyr",
            key_sessions=[session],
        )
        signer = parcours.teams[0].members.select_related("user").first()
        signer.user.first_name, signer.user.last_name = "Zoé", "Zéphyr"
        signer.user.save()
        parcours_services.sign_engagement(
            member=signer,
            acting_user=signer.user,
            typed_name="Zoé Zéphyr",
            consent=True,
            ip_address="192.0.2.1",
            user_agent="sweep",
            text_id=engagement.pk,
            text_hash=engagement.digest(),
        )
        # The call is a draft: its public pages must show nothing, its applications
        # nothing to anyone outside.
        call = CallFactory(
            cohort=parcours.cohort, slug="appel-zephyr", title="Appel Zéphyr", status="draft"
        )
        # The call's document: a public resource of the library, unreadable while the
        # call is a draft.
        attachment = create_resource(
            organisation=victim,
            acting_user=victim_coordinator.user,
            title="Cahier des charges Zéphyr",
            file=SimpleUploadedFile("cdc.pdf", b"%PDF-1.4\n%zephyr\n", "application/pdf"),
            visibility=ResourceVisibility.PUBLIC,
            call=call,
        )
        criterion = ScoringCriterionFactory(call=call, name="Critère Zéphyr")
        application = build_application(
            call=call, structure="Candidature Zéphyr", project_name="PAT Zéphyr"
        )
        application_member = application.members.exclude(is_lead=True).first()
        team_invitation = TeamInvitation.objects.create(
            organisation=victim,
            team=parcours.teams[0],
            role=parcours.roles[0],
            email="invitee.team.zephyr@victime.fr",
            first_name="Zélie",
            last_name="Zéphyr",
            invited_by=victim_coordinator.user,
        )
        poll = DatePollFactory(
            session=SessionFactory(
                programme=parcours.programme,
                kind=parcours.individual_kind,
                title="Accompagnement Zéphyr",
                status="tentative",
                audience="team",
                teams=[parcours.teams[0]],
            ),
            message="Sondage Zéphyr",
        )
        slot = poll.slots.first()
        VoteFactory(slot=slot, user=member)
        past_session = SessionFactory(
            programme=parcours.programme,
            kind=parcours.kind,
            title="Séance passée Zéphyr",
            past=True,
        )
        AttendanceFactory(session=past_session, user=member, team=parcours.teams[0])
        attendance_change = AttendanceChange.objects.create(
            organisation=victim,
            session=past_session,
            user=member,
            day=past_session.starts_at.date(),
            half_day="am",
            after="present",
            actor=trainer.user,
        )
        generated_document = DocumentFactory(
            organisation=victim,
            ready=True,
            title="Attestation Zéphyr",
            person=member,
            programme=parcours.programme,
            requested_by=victim_coordinator.user,
        )
        attestation = AttestationFactory(
            programme=parcours.programme, person=member, holder_name="Zéphyr Titulaire"
        )
        codev = _codev_world(parcours, victim_coordinator.user, trainer.user, member)
        plans = _plans_world(parcours, victim_coordinator.user, member)
        inscriptions = _inscriptions_world(parcours, victim_coordinator.user)
        library = _library_world(parcours, victim_coordinator.user, session)
        minutes = _minutes_world(past_session, victim_coordinator.user)
        catalogue = _catalogue_world(parcours, victim_coordinator.user)
    # A team member of the attacker's organisation tries too (see the participant test).
    with scope(organisation=attacker.pk):
        TeamMemberFactory(team=build_programme(organisation=attacker, teams=1).teams[0])
    return World(
        victim=victim,
        attacker=attacker,
        attacker_user=attacker_coordinator.user,
        objects={
            "membership": trainer,
            "invitation": invitation,
            "programme": parcours.programme,
            "session": session,
            "phase": phase,
            "kind": parcours.kind,
            "team": parcours.teams[0],
            "team_role": parcours.roles[0],
            "agenda_item": workshop.round,
            "workshop": workshop,
            "document": document,
            "notification": notification,
            "message": message,
            "questionnaire": grid.questionnaire,
            "version": grid.version,
            "section": grid.section,
            "question": grid.grid,
            "campaign": campaign,
            "response": response,
            "subject": member,
            "automatic": automatic,
            "engagement": engagement,
            "call": call,
            "attachment": attachment,
            "criterion": criterion,
            "application": application,
            "application_member": application_member,
            "team_invitation": team_invitation,
            "team_member": signer,
            "poll": poll,
            "slot": slot,
            "attendance_change": attendance_change,
            "generated_document": generated_document,
            "attestation": attestation,
            **codev,
            **plans,
            **inscriptions,
            **library,
            **minutes,
            **catalogue,
        },
        secrets=[
            "Zéphyr",
            "coord.zephyr@victime.fr",
            "formatrice.zephyr@victime.fr",
            "invitee.zephyr@victime.fr",
            "invitee.team.zephyr@victime.fr",
        ],
    )


def _library_world(parcours, coordinator, session) -> dict:
    """ressources: a team-only resource attached to a session (a file), and a theme."""
    from ressources import services as library_services

    tag = library_services.create_tag(
        organisation=parcours.organisation,
        acting_user=coordinator,
        category="theme",
        name="Thème Zéphyr",
    )
    resource = library_services.create_resource(
        organisation=parcours.organisation,
        acting_user=coordinator,
        title="Ressource Zéphyr",
        description="Description Zéphyr",
        file=SimpleUploadedFile("zephyr.pdf", b"%PDF-1.4\n%zephyr\n", "application/pdf"),
        visibility="team",
        team=parcours.teams[0],
        session=session,
        tags=[tag],
    )
    return {"resource": resource, "resource_tag": tag}


def _minutes_world(session, coordinator) -> dict:
    """ressources: the validated minutes of a past session (version 1)."""
    from ressources.services import minutes as minutes_services

    minutes = minutes_services.start_minutes(session=session, acting_user=coordinator)
    minutes_services.save_version(
        minutes=minutes, acting_user=coordinator, decisions=["Décision Zéphyr"]
    )
    minutes_services.validate_minutes(minutes=minutes, acting_user=coordinator)
    return {"minutes": minutes}


def _inscriptions_world(parcours, coordinator) -> dict:
    """An event page (not published: its public pages must show nothing) with a
    registrant in a collectif: every object an inscriptions URL names."""
    from inscriptions import services as inscription_services
    from inscriptions.models import Event

    seminar = SessionFactory(
        programme=parcours.programme,
        kind=parcours.kind,
        title="Séminaire Zéphyr",
        audience="open",
    )
    event = inscription_services.save_event(
        event=Event(
            organisation=parcours.organisation,
            session=seminar,
            slug="seminaire-zephyr",
            deadline=seminar.starts_at - timedelta(days=1),
            published=True,
            contact="Contact Zéphyr",
        ),
        acting_user=coordinator,
    )
    (registrant,) = inscription_services.register(
        event=event,
        people=[
            inscription_services.Person(
                first_name="Zénon",
                last_name="Zéphyr",
                email="inscrit.zephyr@victime.fr",
                structure="Structure Zéphyr",
                function="Fonction Zéphyr",
            )
        ],
        collective_name="Collectif Zéphyr",
    )
    event.published = False
    inscription_services.save_event(event=event, acting_user=coordinator)
    return {"event": event, "registrant": registrant}


def _catalogue_world(parcours, coordinator) -> dict:
    """parcours: the programme's catalogue sheet, saved then withdrawn (its public page
    and PDF must show nothing)."""
    from parcours.models import CatalogueSheet
    from parcours.services.catalogue import publish_catalogue_sheet, save_catalogue_sheet

    sheet = CatalogueSheet(
        organisation=parcours.organisation,
        programme=parcours.programme,
        slug="fiche-zephyr",
        place="Lieu Zéphyr",
        free=True,
    )
    version = save_catalogue_sheet(
        sheet=sheet,
        acting_user=coordinator,
        trainers=[],
        description="Présentation Zéphyr",
        objectives="Objectifs Zéphyr",
    )
    publish_catalogue_sheet(sheet=sheet, acting_user=coordinator, published=True)
    publish_catalogue_sheet(sheet=sheet, acting_user=coordinator, published=False)
    return {"catalogue_sheet": sheet, "catalogue_version": version}


def test_sweep_covers_the_tenant_urls():
    names = {url.name for url in tenant_urls()}
    assert {"organisations:members", "organisations:member_remove"} <= names


@pytest.mark.django_db
def test_no_tenant_url_reaches_another_organisation(world):
    assert sweep(Client, world) == []


@pytest.mark.django_db
def test_sweep_catches_deliberately_unsafe_views(world, settings):
    settings.ROOT_URLCONF = "tests.security.leaky_urls"
    failures = sweep(Client, world, urlconf="tests.security.leaky_urls")
    assert any("/victime/fuite/ as another organisation's coordinator: 200" in f for f in failures)
    assert any("/attaquante/fuite/" in f and "own slug, foreign ids" in f for f in failures)
    # The real pages remain clean even in this configuration.
    assert not [f for f in failures if "fuite" not in f]
