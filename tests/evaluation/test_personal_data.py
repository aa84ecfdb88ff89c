""" "Download my data" holds a person's own answers and that they answered anonymous
questionnaires — never the anonymous answers, which nothing links to them."""

import json

import pytest
from django_scopes import scope

from accounts.extensions import personal_data
from evaluation import selectors, services
from evaluation.answer_values import AnswerValue
from tests.factories import CampaignFactory, build_programme, build_satisfaction_questionnaire

pytestmark = pytest.mark.django_db


def test_export_has_own_answers_and_no_anonymous_answer():
    world = build_programme(teams=1, members_per_team=1)
    with scope(organisation=world.organisation.pk):
        form = build_satisfaction_questionnaire(organisation=world.organisation)
        named = CampaignFactory(programme=world.programme, version=form.version, title="Nommé")
        anonymous = CampaignFactory(
            programme=world.programme, version=form.version, anonymous=True, title="Anonyme"
        )
        (person,) = selectors.target_people(named)
        response = services.start_response(campaign=named, acting_user=person)
        services.save_answers(
            response=response,
            acting_user=person,
            values=[AnswerValue(question=form.text, text="Ma réponse signée")],
        )
        services.save_anonymous_draft(
            campaign=anonymous,
            user=person,
            values=[
                AnswerValue(question=form.scale, number=3),
                AnswerValue(question=form.text, text="Secret anonyme"),
            ],
        )
        services.submit_anonymous(campaign=anonymous, user=person)
    data = json.dumps(dict(personal_data.collect(user=person))["evaluation"], ensure_ascii=False)
    assert "Ma réponse signée" in data
    assert "Anonyme" in data  # that they answered it
    assert "Secret anonyme" not in data
