"""Answering services seen from the answering pages' needs: two members saving the same
answer never lose one silently, required answers, closing, values outside the scale,
a 20 000-character text, and the anonymous path from draft to sending."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope

from evaluation import services
from evaluation.answer_values import AnswerValue, field_name
from evaluation.forms.answering import AnswerForm
from evaluation.models import Answer, AnswerChange, Participation, Response
from tests.factories import (
    CampaignFactory,
    QuestionFactory,
    build_grid_questionnaire,
    build_programme,
    build_satisfaction_questionnaire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_world():
    """A team campaign on a maturity grid, a team of three."""
    world = build_programme(teams=2, members_per_team=3)
    with scope(organisation=world.organisation.pk):
        world.form = build_grid_questionnaire(organisation=world.organisation)
        world.campaign = CampaignFactory(
            programme=world.programme, version=world.form.version, per_team=True
        )
        world.team = world.teams[0]
        world.alice, world.bruno, world.chloe = [m.user for m in world.team.members.all()]
    return world


def _level(form, criterion, level, seen=0):
    return AnswerValue(
        question=form.grid, criterion=criterion, number=float(level), seen_revision=seen
    )


def test_two_members_saving_the_same_answer_from_the_same_revision_conflict(team_world):
    w = team_world
    with scope(organisation=w.organisation.pk):
        response = services.start_response(campaign=w.campaign, acting_user=w.alice, team=w.team)
        criterion = w.form.criteria[0]
        first = services.save_answers(
            response=response, values=[_level(w.form, criterion, 2)], acting_user=w.alice
        )
        second = services.save_answers(
            response=response, values=[_level(w.form, criterion, 4)], acting_user=w.bruno
        )
        stored = Answer.objects.get(response=response, criterion=criterion)
    assert first.ok and len(first.saved) == 1
    assert not second.saved and len(second.conflicts) == 1
    conflict = second.conflicts[0]
    assert conflict.by == w.alice and conflict.theirs.number == 2 and conflict.mine.number == 4
    assert stored.number == 2 and stored.updated_by == w.alice and stored.revision == 1


def test_replacing_after_a_conflict_with_the_revision_now_seen_saves(team_world):
    w = team_world
    with scope(organisation=w.organisation.pk):
        response = services.start_response(campaign=w.campaign, acting_user=w.alice, team=w.team)
        criterion = w.form.criteria[0]
        services.save_answers(
            response=response, values=[_level(w.form, criterion, 2)], acting_user=w.alice
        )
        result = services.save_answers(
            response=response, values=[_level(w.form, criterion, 4, seen=1)], acting_user=w.bruno
        )
        stored = Answer.objects.get(response=response, criterion=criterion)
        changes = AnswerChange.objects.filter(response=response).count()
    assert result.ok and stored.number == 4 and stored.revision == 2
    assert stored.updated_by == w.bruno and changes == 2


def test_members_changing_different_questions_do_not_conflict(team_world):
    w = team_world
    with scope(organisation=w.organisation.pk):
        response = services.start_response(campaign=w.campaign, acting_user=w.alice, team=w.team)
        again = services.start_response(campaign=w.campaign, acting_user=w.bruno, team=w.team)
        first = services.save_answers(
            response=response, values=[_level(w.form, w.form.criteria[0], 1)], acting_user=w.alice
        )
        second = services.save_answers(
            response=again, values=[_level(w.form, w.form.criteria[1], 3)], acting_user=w.bruno
        )
        stored = {a.criterion_id: a.number for a in Answer.objects.filter(response=response)}
    assert again == response
    assert first.ok and second.ok
    assert stored == {w.form.criteria[0].pk: 1, w.form.criteria[1].pk: 3}


def test_a_missing_required_answer_refuses_sending_and_keeps_the_answers(team_world):
    w = team_world
    with scope(organisation=w.organisation.pk):
        response = services.start_response(campaign=w.campaign, acting_user=w.alice, team=w.team)
        services.save_answers(
            response=response,
            values=[
                _level(w.form, w.form.criteria[0], 2),
                AnswerValue(question=w.form.comment, text="Nos besoins"),
            ],
            acting_user=w.alice,
        )
        with pytest.raises(ValidationError) as raised:
            services.submit_response(response=response, acting_user=w.alice)
        response.refresh_from_db()
        kept = Answer.objects.filter(response=response).count()
    missing = raised.value.message_dict
    assert set(missing) == {
        field_name(w.form.grid, w.form.criteria[1]),
        field_name(w.form.grid, w.form.criteria[2]),
    }
    assert missing[field_name(w.form.grid, w.form.criteria[1])] == [
        "Choisissez un niveau pour ce critère."
    ]
    assert kept == 2 and response.status == Response.Status.DRAFT


def test_a_closed_campaign_refuses_saving_and_sending(team_world):
    w = team_world
    with scope(organisation=w.organisation.pk):
        response = services.start_response(campaign=w.campaign, acting_user=w.alice, team=w.team)
        w.campaign.opens_at = timezone.now() - timedelta(days=20)
        w.campaign.closes_at = timezone.now() - timedelta(minutes=1)
        w.campaign.save()
        with pytest.raises(ValidationError) as raised:
            services.save_answers(
                response=response,
                values=[_level(w.form, w.form.criteria[0], 2)],
                acting_user=w.alice,
            )
        with pytest.raises(ValidationError):
            services.submit_response(response=response, acting_user=w.alice)
        assert not Answer.objects.filter(response=response).exists()
    assert "clos" in raised.value.messages[0]


def test_a_value_outside_the_scale_is_refused_in_french():
    world = build_programme(teams=1)
    with scope(organisation=world.organisation.pk):
        form = build_satisfaction_questionnaire(organisation=world.organisation)
        campaign = CampaignFactory(programme=world.programme, version=form.version)
        person = world.teams[0].members.first().user
        response = services.start_response(campaign=campaign, acting_user=person)
        result = services.save_answers(
            response=response,
            values=[
                AnswerValue(question=form.scale, number=7),
                AnswerValue(question=form.text, text="Bien"),
            ],
            acting_user=person,
        )
        stored = {a.question_id for a in Answer.objects.filter(response=response)}
    assert result.errors == {
        field_name(form.scale): ["Choisissez une valeur entière entre 1 et 4."]
    }
    assert stored == {form.text.pk}


def test_a_20000_character_text_is_refused_and_the_other_answers_saved():
    world = build_programme(teams=1)
    with scope(organisation=world.organisation.pk):
        form = build_satisfaction_questionnaire(organisation=world.organisation)
        campaign = CampaignFactory(programme=world.programme, version=form.version)
        person = world.teams[0].members.first().user
        response = services.start_response(campaign=campaign, acting_user=person)
        result = services.save_answers(
            response=response,
            values=[
                AnswerValue(question=form.scale, number=3),
                AnswerValue(question=form.text, text="x" * 20_000),
            ],
            acting_user=person,
        )
        stored = {a.question_id: a for a in Answer.objects.filter(response=response)}
    assert list(result.errors) == [field_name(form.text)]
    assert "20\u202f000 caractères" in result.errors[field_name(form.text)][0]
    assert set(stored) == {form.scale.pk} and stored[form.scale.pk].number == 3


def test_anonymous_draft_then_sending():
    world = build_programme(teams=1)
    with scope(organisation=world.organisation.pk):
        form = build_satisfaction_questionnaire(organisation=world.organisation)
        campaign = CampaignFactory(programme=world.programme, version=form.version, anonymous=True)
        person = world.teams[0].members.first().user
        _participation, errors = services.save_anonymous_draft(
            campaign=campaign,
            user=person,
            values=[AnswerValue(question=form.text, text="Très utile")],
        )
        assert not errors
        with pytest.raises(ValidationError) as raised:
            services.submit_anonymous(campaign=campaign, user=person)
        assert set(raised.value.message_dict) == {field_name(form.scale)}
        services.save_anonymous_draft(
            campaign=campaign, user=person, values=[AnswerValue(question=form.scale, number=4)]
        )
        services.submit_anonymous(campaign=campaign, user=person)
        participation = Participation.objects.get(campaign=campaign, user=person)
        response = Response.objects.get(campaign=campaign)
        answers = {a.question_id: a for a in response.answers.all()}
        with pytest.raises(ValidationError):
            services.save_anonymous_draft(
                campaign=campaign, user=person, values=[AnswerValue(question=form.scale, number=1)]
            )
    assert participation.submitted_at is not None and participation.draft == {}
    assert response.respondent_id is None and response.team_id is None
    assert response.submitted_by_id is None and response.is_submitted
    assert response.submitted_at.time() == time(0)
    assert answers[form.scale.pk].number == 4 and answers[form.text.pk].text == "Très utile"


# --- The form reading a POST -------------------------------------------------------------


class Post(dict):
    """A minimal QueryDict: ``getlist`` for multiple choices."""

    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def test_the_form_reads_only_the_fields_posted_with_their_revision():
    world = build_programme(teams=1)
    with scope(organisation=world.organisation.pk):
        form_data = build_grid_questionnaire(organisation=world.organisation)
        number = QuestionFactory(section=form_data.section, number=True, label="Combien ?")
        day = QuestionFactory(section=form_data.section, date=True, label="Quand ?")
        form = AnswerForm(form_data.version)
        criterion = form_data.criteria[0]
        name = field_name(form_data.grid, criterion)
        parsed = form.parse(
            Post(
                {
                    name: "3",
                    f"rev_{name}": "2",
                    f"{name}_comment": "Un début",
                    field_name(number): "douze",
                    field_name(day): "31/02/2026",
                }
            )
        )
    assert [v.name for v in parsed.values] == [name]
    value = parsed.values[0]
    assert value.number == 3 and value.seen_revision == 2 and value.comment == "Un début"
    assert parsed.errors == {
        field_name(number): ["Saisissez un nombre, par exemple 12 ou 3,5."],
        field_name(day): ["Saisissez une date valide, par exemple 04/12/2026."],
    }
    assert parsed.raw[field_name(number)] == "douze"
