"""Campaign services: what a coordinator may set up, launching fixes the version,
closing, cancelling, and « relancer » reaching exactly the non-respondents."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from evaluation import selectors, services
from evaluation import targets as evaluation_targets
from evaluation.answer_values import AnswerValue
from evaluation.models import Campaign, CampaignReminder, Moment
from evaluation.services import campaigns as campaign_services
from notifications.models import OutboxMessage
from organisations.models import AuditEntry
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    OrganisationFactory,
    SessionFactory,
    TeamFactory,
    UserFactory,
    build_grid_questionnaire,
    build_programme,
    build_satisfaction_questionnaire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with scopes_disabled():
        built = build_programme(teams=2, members_per_team=3)
        organisation = built.organisation
        built.coordinator = MembershipFactory(organisation=organisation, coordinator=True).user
        built.trainer = MembershipFactory(organisation=organisation, trainer=True).user
        built.grid = build_grid_questionnaire(organisation=organisation)
        built.satisfaction = build_satisfaction_questionnaire(organisation=organisation)
        built.participant = built.teams[0].members.first().user
    return built


def create(world, **overrides):
    now = timezone.now()
    fields = {
        "programme": world.programme,
        "acting_user": world.coordinator,
        "questionnaire": world.grid.questionnaire,
        "title": "Autodiagnostic T1",
        "moment": Moment.T1,
        "audience": Campaign.Audience.COHORT,
        "mode": Campaign.Mode.TEAM,
        "anonymous": False,
        "opens_at": now + timedelta(days=1),
        "closes_at": now + timedelta(days=20),
        "message": "",
    }
    fields.update(overrides)
    with scope(organisation=world.organisation.pk):
        return campaign_services.create_campaign(**fields)


def refused(world, **overrides) -> dict:
    with scope(organisation=world.organisation.pk):
        before = Campaign.objects.count()
    with pytest.raises(ValidationError) as caught:
        create(world, **overrides)
    with scope(organisation=world.organisation.pk):
        assert Campaign.objects.count() == before, "nothing saved"
    return caught.value.message_dict


# --- Creating ---------------------------------------------------------------------------


def test_a_valid_campaign_is_a_draft_with_an_audit_row(world):
    campaign = create(world)
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.version is None
    with scope(organisation=world.organisation.pk):
        assert AuditEntry.objects.filter(action=services.Action.CAMPAIGN_CREATED).count() == 1


def test_closing_must_follow_opening(world):
    now = timezone.now()
    errors = refused(world, opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=1))
    assert errors["closes_at"] == ["La clôture doit venir après l'ouverture."]


def test_anonymous_only_one_response_per_person(world):
    errors = refused(world, anonymous=True, mode=Campaign.Mode.TEAM)
    assert "Seules les campagnes « une réponse par personne »" in errors["anonymous"][0]


def test_team_modes_need_teams(world):
    errors = refused(world, audience=Campaign.Audience.PEOPLE, people=[world.participant])
    assert "s'adresse à des équipes" in errors["audience"][0]
    assert refused(world, audience=Campaign.Audience.TEAMS, teams=[])["teams"] == [
        "Choisissez au moins une équipe."
    ]


def test_session_audience_needs_a_session_of_the_programme(world):
    assert refused(world, audience=Campaign.Audience.SESSION)["session"] == [
        "Choisissez une séance du programme."
    ]
    with scopes_disabled():
        other = SessionFactory(organisation=world.organisation)
    errors = refused(world, audience=Campaign.Audience.SESSION, session=other)
    assert errors["session"] == ["Choisissez une séance de ce programme."]


def test_teams_people_and_questionnaire_of_another_programme_or_organisation(world):
    with scopes_disabled():
        other_team = TeamFactory(organisation=world.organisation)
        stranger = UserFactory()
        foreign = build_grid_questionnaire(organisation=OrganisationFactory()).questionnaire
    assert refused(world, audience=Campaign.Audience.TEAMS, teams=[other_team])["teams"] == [
        "Choisissez des équipes de ce programme."
    ]
    errors = refused(
        world, mode=Campaign.Mode.PERSON, audience=Campaign.Audience.PEOPLE, people=[stranger]
    )
    assert "membres de l'organisation" in errors["people"][0]
    assert "bibliothèque" in refused(world, questionnaire=foreign)["questionnaire"][0]


def test_assessments_need_assessors_who_are_staff(world):
    errors = refused(world, mode=Campaign.Mode.ASSESS_TEAM)
    assert "au moins un·e évaluateur·rice" in errors["assessors"][0]
    errors = refused(world, mode=Campaign.Mode.ASSESS_TEAM, assessors=[world.participant])
    assert "intervenant·es ou coordinateur·rices" in errors["assessors"][0]


def test_an_assessment_defaults_to_the_session_facilitators(world):
    with scopes_disabled():
        session = SessionFactory(
            programme=world.programme, kind=world.kind, facilitators=[world.trainer]
        )
    campaign = create(
        world,
        mode=Campaign.Mode.ASSESS_TEAM,
        audience=Campaign.Audience.SESSION,
        session=session,
    )
    with scope(organisation=world.organisation.pk):
        assert list(campaign.assessors.all()) == [world.trainer]


def test_pairing_needs_the_matching_mode_and_no_anonymity(world):
    team_campaign = create(world)
    person_campaign = create(
        world, mode=Campaign.Mode.PERSON, questionnaire=world.satisfaction.questionnaire
    )
    anonymous = create(
        world,
        mode=Campaign.Mode.PERSON,
        anonymous=True,
        questionnaire=world.satisfaction.questionnaire,
    )
    errors = refused(
        world,
        mode=Campaign.Mode.ASSESS_TEAM,
        assessors=[world.trainer],
        paired_with=person_campaign,
    )
    assert "Associez une auto-évaluation" in errors["paired_with"][0]
    errors = refused(
        world, mode=Campaign.Mode.ASSESS_PERSON, assessors=[world.trainer], paired_with=anonymous
    )
    assert "anonyme" in errors["paired_with"][0]
    paired = create(
        world,
        mode=Campaign.Mode.ASSESS_TEAM,
        assessors=[world.trainer],
        paired_with=team_campaign,
    )
    assert paired.paired_with == team_campaign


# --- Launching and changing ------------------------------------------------------------


def test_launch_fixes_the_current_version_and_a_new_version_does_not_change_it(world):
    campaign = create(world)
    with scope(organisation=world.organisation.pk):
        launched = campaign_services.launch_campaign(
            campaign=campaign, acting_user=world.coordinator
        )
        assert launched.status == Campaign.Status.LAUNCHED and launched.launched_at
        assert launched.version == world.grid.version
        draft = services.start_new_version(
            questionnaire=world.grid.questionnaire, acting_user=world.coordinator
        )
        newer = services.publish_version(version=draft, acting_user=world.coordinator)
        assert services.current_version(world.grid.questionnaire) == newer
        launched.refresh_from_db()
        assert launched.version == world.grid.version
        with pytest.raises(ValidationError, match="déjà lancée"):
            campaign_services.launch_campaign(campaign=launched, acting_user=world.coordinator)


def test_launch_refuses_a_questionnaire_without_published_version(world):
    with scopes_disabled():
        draft = build_grid_questionnaire(organisation=world.organisation, published=False)
    campaign = create(world, questionnaire=draft.questionnaire)
    with scope(organisation=world.organisation.pk), pytest.raises(ValidationError) as caught:
        campaign_services.launch_campaign(campaign=campaign, acting_user=world.coordinator)
    assert "n'a pas de version publiée" in caught.value.message_dict["questionnaire"][0]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_after_launch_only_title_message_closing_and_assessors_change(world):
    campaign = create(world)
    with scope(organisation=world.organisation.pk):
        campaign_services.launch_campaign(campaign=campaign, acting_user=world.coordinator)
        with pytest.raises(ValidationError) as caught:
            campaign_services.update_campaign(
                campaign=campaign, acting_user=world.coordinator, mode=Campaign.Mode.PERSON
            )
        assert "la campagne est lancée" in caught.value.message_dict["mode"][0]
        with pytest.raises(ValidationError) as caught:
            campaign_services.update_campaign(
                campaign=campaign,
                acting_user=world.coordinator,
                closes_at=timezone.now() - timedelta(minutes=1),
            )
        assert "dans le passé" in caught.value.message_dict["closes_at"][0]
        later = campaign.closes_at + timedelta(days=5)
        updated = campaign_services.update_campaign(
            campaign=campaign, acting_user=world.coordinator, title="T1 prolongé", closes_at=later
        )
        assert (updated.title, updated.closes_at) == ("T1 prolongé", later)
        assert updated.mode == Campaign.Mode.TEAM


def test_close_now_and_cancel_with_confirmation_when_responses_exist(world):
    with scope(organisation=world.organisation.pk):
        campaign = CampaignFactory(programme=world.programme, version=world.satisfaction.version)
        person = selectors.target_people(campaign).first()
        response = services.start_response(campaign=campaign, acting_user=person)
        services.save_answers(
            response=response,
            values=[AnswerValue(question=world.satisfaction.scale, number=3)],
            acting_user=person,
        )
        services.submit_response(response=response, acting_user=person)
        closed = campaign_services.close_campaign(campaign=campaign, acting_user=world.coordinator)
        assert closed.state == "closed"
        with pytest.raises(ValidationError, match="ouverte"):
            campaign_services.close_campaign(campaign=campaign, acting_user=world.coordinator)
        with pytest.raises(ValidationError) as caught:
            campaign_services.cancel_campaign(campaign=campaign, acting_user=world.coordinator)
        assert "cochez la case" in caught.value.message_dict["confirm"][0]
        cancelled = campaign_services.cancel_campaign(
            campaign=campaign, acting_user=world.coordinator, confirm=True
        )
        assert cancelled.status == Campaign.Status.CANCELLED
        assert campaign.responses.count() == 1  # kept


# --- Relancer ---------------------------------------------------------------------------


def _answer_person(campaign, person, form):
    response = services.start_response(campaign=campaign, acting_user=person)
    services.save_answers(
        response=response,
        values=[AnswerValue(question=form.scale, number=4)],
        acting_user=person,
    )
    services.submit_response(response=response, acting_user=person)


def test_remind_reaches_exactly_the_non_respondents_once_an_hour(world):
    with scope(organisation=world.organisation.pk):
        campaign = CampaignFactory(programme=world.programme, version=world.satisfaction.version)
        people = list(selectors.target_people(campaign))
        for person in people[:2]:
            _answer_person(campaign, person, world.satisfaction)
        mail.outbox.clear()
        count = campaign_services.remind_non_respondents(
            campaign=campaign, acting_user=world.coordinator
        )
        assert count == 4
        reminded = set(
            OutboxMessage.objects.filter(kind="evaluation.reminder").values_list(
                "recipient_id", flat=True
            )
        )
        assert reminded == {person.pk for person in people[2:]}
        assert CampaignReminder.objects.get(campaign=campaign).recipients == 4
        with pytest.raises(ValidationError, match="moins d'une heure"):
            campaign_services.remind_non_respondents(
                campaign=campaign, acting_user=world.coordinator
            )
    assert len(mail.outbox) == 4
    assert mail.outbox[0].subject.startswith("Relance")
    later = timezone.now() + timedelta(minutes=61)
    with time_machine.travel(later), scope(organisation=world.organisation.pk):
        again = campaign_services.remind_non_respondents(
            campaign=campaign, acting_user=world.coordinator
        )
    assert again == 4


def test_remind_an_anonymous_campaign_uses_the_participations(world):
    with scope(organisation=world.organisation.pk):
        campaign = CampaignFactory(
            programme=world.programme, version=world.satisfaction.version, anonymous=True
        )
        people = list(selectors.target_people(campaign))
        services.save_anonymous_draft(
            campaign=campaign,
            user=people[0],
            values=[AnswerValue(question=world.satisfaction.scale, number=3)],
        )
        services.submit_anonymous(campaign=campaign, user=people[0])
        # Started but not sent: still reminded.
        services.save_anonymous_draft(
            campaign=campaign,
            user=people[1],
            values=[AnswerValue(question=world.satisfaction.scale, number=2)],
        )
        campaign_services.remind_non_respondents(campaign=campaign, acting_user=world.coordinator)
        reminded = set(
            OutboxMessage.objects.filter(kind="evaluation.reminder").values_list(
                "recipient_id", flat=True
            )
        )
    assert reminded == {person.pk for person in people[1:]}


def test_remind_refuses_a_closed_campaign_and_when_everyone_answered(world):
    with scope(organisation=world.organisation.pk):
        closed = CampaignFactory(
            programme=world.programme, version=world.satisfaction.version, closed=True
        )
        with pytest.raises(ValidationError, match="ouverte"):
            campaign_services.remind_non_respondents(campaign=closed, acting_user=world.coordinator)
        person = world.participant
        named = CampaignFactory(
            programme=world.programme,
            version=world.satisfaction.version,
            audience=Campaign.Audience.PEOPLE,
            people=[person],
        )
        _answer_person(named, person, world.satisfaction)
        with pytest.raises(ValidationError, match="Tout le monde a répondu"):
            campaign_services.remind_non_respondents(campaign=named, acting_user=world.coordinator)
        assert not CampaignReminder.objects.exists()


def test_targets_in_bulk_match_the_selectors(world):
    with scope(organisation=world.organisation.pk):
        session = SessionFactory(
            programme=world.programme,
            kind=world.kind,
            audience="teams",
            teams=[world.teams[1]],
            expected_presence="role",
            expected_role=world.roles[1],
        )
        campaigns = [
            CampaignFactory(programme=world.programme, version=world.grid.version, per_team=True),
            CampaignFactory(
                programme=world.programme,
                version=world.grid.version,
                audience=Campaign.Audience.TEAMS,
                teams=[world.teams[0]],
            ),
            CampaignFactory(
                programme=world.programme,
                version=world.satisfaction.version,
                audience=Campaign.Audience.SESSION,
                session=session,
            ),
            CampaignFactory(
                programme=world.programme,
                version=world.grid.version,
                assess_team=True,
                assessors=[world.trainer],
            ),
        ]
        loaded = Campaign.objects.filter(pk__in=[c.pk for c in campaigns])
        found = evaluation_targets.targets(list(loaded.select_related("session")))
        for campaign in campaigns:
            assert found.teams[campaign.pk] == sorted(
                selectors.target_teams(campaign).values_list("pk", flat=True)
            )
            assert [u.pk for u in found.people[campaign.pk]] == [
                u.pk for u in selectors.target_people(campaign)
            ]
            assert {u.pk for u in found.respondents(campaign)} == {
                u.pk for u in selectors.non_respondents(campaign)["recipients"]
            }
    assert len(found.people[campaigns[2].pk]) == 1  # the expected role of one team
