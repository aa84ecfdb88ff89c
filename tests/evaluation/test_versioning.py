"""Versioning: a published questionnaire never changes; editing makes a new version;
answers given to an old version keep their questions, and every response says which
version it answered."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from evaluation import services
from evaluation.answer_values import AnswerValue
from evaluation.models import Question, QuestionnaireVersion, Response
from tests.factories import (
    CampaignFactory,
    MembershipFactory,
    build_grid_questionnaire,
    build_programme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_programme(teams=1, members_per_team=2)
    world.coordinator = MembershipFactory(organisation=world.organisation).user
    return world


def _answer_v1(world, grid):
    campaign = CampaignFactory(programme=world.programme, version=grid.version, per_team=True)
    team = world.teams[0]
    member = team.members.first().user
    response = services.start_response(campaign=campaign, acting_user=member, team=team)
    services.save_answers(
        response=response,
        acting_user=member,
        values=[
            AnswerValue(question=grid.grid, criterion=criterion, number=2)
            for criterion in grid.criteria
        ],
    )
    services.submit_response(response=response, acting_user=member)
    return campaign, response


def test_a_published_version_cannot_be_edited(world):
    with scope(organisation=world.organisation.pk):
        grid = build_grid_questionnaire(organisation=world.organisation)
        with pytest.raises(ValidationError, match="nouvelle version"):
            services.ensure_editable(grid.version)


def test_a_new_version_copies_the_content_with_the_same_keys(world):
    with scope(organisation=world.organisation.pk):
        grid = build_grid_questionnaire(organisation=world.organisation)
        draft = services.start_new_version(
            questionnaire=grid.questionnaire, acting_user=world.coordinator
        )
        assert draft.number == grid.version.number + 1
        assert draft.status == QuestionnaireVersion.Status.DRAFT
        # Asking again returns the same draft rather than a third version.
        assert (
            services.start_new_version(
                questionnaire=grid.questionnaire, acting_user=world.coordinator
            )
            == draft
        )
        copied = draft.questions.get(kind="grid")
        assert copied.pk != grid.grid.pk and copied.key == grid.grid.key
        assert [c.key for c in copied.criteria.all()] == [c.key for c in grid.criteria]
        assert [c.label for c in copied.choices.all()] == [c.label for c in grid.levels]


def test_old_answers_keep_their_questions_after_a_new_version(world):
    with scope(organisation=world.organisation.pk):
        grid = build_grid_questionnaire(organisation=world.organisation)
        old_label = grid.grid.label
        campaign, response = _answer_v1(world, grid)

        draft = services.start_new_version(
            questionnaire=grid.questionnaire, acting_user=world.coordinator
        )
        services.ensure_editable(draft)
        Question.objects.filter(version=draft, kind="grid").update(
            label="Votre gouvernance aujourd'hui (reformulée)"
        )
        draft.questions.filter(kind="long_text").delete()
        services.publish_version(version=draft, acting_user=world.coordinator)

        response = Response.objects.get(pk=response.pk)
        assert response.version == grid.version
        answers = list(response.answers.select_related("question"))
        assert {answer.question.label for answer in answers} == {old_label}
        assert {answer.question.version_id for answer in answers} == {grid.version.pk}
        # The old version is untouched: its two questions are still there.
        assert grid.version.questions.count() == 2
        assert services.current_version(grid.questionnaire) == draft
        # The campaign still names the version it was launched with.
        campaign.refresh_from_db()
        assert campaign.version == grid.version


def test_answers_to_a_question_of_another_version_are_refused(world):
    with scope(organisation=world.organisation.pk):
        grid = build_grid_questionnaire(organisation=world.organisation)
        _campaign, response = _answer_v1(world, grid)
        draft = services.start_new_version(
            questionnaire=grid.questionnaire, acting_user=world.coordinator
        )
        other = draft.questions.get(kind="long_text")
        with pytest.raises(ValueError):
            services.save_answers(
                response=response,
                acting_user=world.coordinator,
                values=[AnswerValue(question=other, text="Mauvaise version")],
            )


def test_publishing_refuses_an_incomplete_grid(world):
    with scope(organisation=world.organisation.pk):
        grid = build_grid_questionnaire(organisation=world.organisation, published=False)
        grid.grid.criteria.all().delete()
        with pytest.raises(ValidationError, match="au moins un critère"):
            services.publish_version(version=grid.version, acting_user=world.coordinator)
        grid.version.refresh_from_db()
        assert grid.version.status == QuestionnaireVersion.Status.DRAFT


def test_a_copy_to_a_programme_is_published_and_keeps_its_keys(world):
    with scope(organisation=world.organisation.pk):
        grid = build_grid_questionnaire(organisation=world.organisation)
        copy = services.copy_questionnaire(
            questionnaire=grid.questionnaire,
            acting_user=world.coordinator,
            programme=world.programme,
        )
        version = services.current_version(copy)
        assert copy.programme == world.programme and copy.copied_from == grid.questionnaire
        assert version.number == 1 and version.is_published
        assert version.questions.get(kind="grid").key == grid.grid.key
