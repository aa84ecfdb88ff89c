"""Anonymity: an anonymous answer cannot be linked to the person who gave it — by no
column, no join, no timestamp and no ordering — while the fact of having answered is
recorded apart, so non-respondents can still be reminded."""

import json
import uuid
from datetime import time

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models
from django_scopes import scope, scopes_disabled

from evaluation import selectors, services
from evaluation.answer_values import AnswerValue
from evaluation.models import Answer, AnswerChange, Participation, Response
from parcours.models import Team, TeamMember
from tests.factories import CampaignFactory, build_programme, build_satisfaction_questionnaire

pytestmark = pytest.mark.django_db

User = get_user_model()
PERSON_MODELS = {User, Team, TeamMember, Participation}


@pytest.fixture
def answered():
    """An anonymous satisfaction campaign, two of three people answered."""
    world = build_programme(teams=1, members_per_team=3)
    organisation = world.organisation
    with scope(organisation=organisation.pk):
        form = build_satisfaction_questionnaire(organisation=organisation)
        campaign = CampaignFactory(
            programme=world.programme, version=form.version, anonymous=True, hot=True
        )
        people = list(selectors.target_people(campaign))
        texts = {}
        for person, level in zip(people[:2], (4, 2), strict=True):
            texts[person.pk] = f"Avis de {person.get_full_name()} {uuid.uuid4().hex[:6]}"
            services.save_anonymous_draft(
                campaign=campaign,
                user=person,
                values=[
                    AnswerValue(question=form.scale, number=level),
                    AnswerValue(question=form.text, text=texts[person.pk]),
                ],
            )
            services.submit_anonymous(campaign=campaign, user=person)
    return organisation, campaign, people, texts


def test_the_response_and_its_answers_name_no_one(answered):
    organisation, campaign, _people, _texts = answered
    with scope(organisation=organisation.pk):
        responses = list(Response.objects.filter(campaign=campaign))
        answers = list(Answer.objects.filter(response__campaign=campaign))
    assert len(responses) == 2 and len(answers) == 4
    for row in [*responses, *answers]:
        for field in row._meta.concrete_fields:
            if field.is_relation and field.related_model in PERSON_MODELS:
                assert getattr(row, field.attname) is None, f"{row._meta.label}.{field.name}"
    for response in responses:
        assert response.is_anonymous and response.submitted_by_id is None
        # The day only: no time to line up with the participation's.
        assert response.submitted_at.time() == time(0) and response.updated_at is None
        assert isinstance(response.pk, uuid.UUID)
    for answer in answers:
        assert answer.updated_at is None and answer.updated_by_id is None
        assert isinstance(answer.pk, uuid.UUID)  # random: row order says nothing


def test_no_model_reaches_a_response_from_a_person():
    """Structurally: nothing that names a person points at a response or an answer, and
    the only rows pointing at responses are answers and the history of shared ones."""
    pointing = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in (Response, Answer):
                pointing.add(model)
    assert pointing == {Answer, AnswerChange}
    participation_targets = {
        field.related_model
        for field in Participation._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
    }
    assert not participation_targets & {Response, Answer}


def test_nothing_recorded_about_a_person_mentions_the_response(answered):
    """No row of any table linked to a person (audit journal, notifications, outbox,
    participation, history) contains the identifier or the key of an anonymous response
    or the ids of its answers."""
    _organisation, campaign, _people, _texts = answered
    with scopes_disabled():
        secrets = set()
        for response in Response.objects.filter(campaign=campaign):
            secrets |= {str(response.pk), response.key}
        secrets |= {str(pk) for pk in Answer.objects.values_list("pk", flat=True)}
        assert AnswerChange.objects.filter(response__campaign=campaign).count() == 0
        for model in apps.get_models():
            if model in (Response, Answer):
                continue
            if not any(
                field.is_relation and field.related_model is User
                for field in model._meta.concrete_fields
            ):
                continue
            dump = serializers.serialize("json", model._default_manager.all())
            leaked = [secret for secret in secrets if secret in dump]
            assert not leaked, f"{model._meta.label} mentions an anonymous response"


def test_answering_is_recorded_apart_and_non_respondents_can_be_reminded(answered):
    organisation, campaign, people, texts = answered
    with scope(organisation=organisation.pk):
        participations = Participation.objects.filter(campaign=campaign)
        assert {p.user_id for p in participations if p.submitted_at} == {
            people[0].pk,
            people[1].pk,
        }
        # Drafts are emptied on sending: the participation keeps no answer.
        assert all(p.draft == {} for p in participations)
        dump = json.dumps(list(participations.values()), default=str)
        assert not any(text in dump for text in texts.values())
        assert selectors.non_respondents(campaign)["recipients"] == [people[2]]


def test_a_sent_anonymous_response_cannot_be_changed_or_sent_twice(answered):
    from django.core.exceptions import ValidationError

    organisation, campaign, people, _texts = answered
    with scope(organisation=organisation.pk):
        with pytest.raises(ValidationError, match="anonymes"):
            services.save_anonymous_draft(campaign=campaign, user=people[0], values=[])
        with pytest.raises(ValidationError):
            services.submit_anonymous(campaign=campaign, user=people[0])
        assert Response.objects.filter(campaign=campaign).count() == 2


def test_anonymous_campaigns_are_only_per_person():
    from django.db import IntegrityError, transaction

    world = build_programme(teams=1)
    with (
        scope(organisation=world.organisation.pk),
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        CampaignFactory(programme=world.programme, per_team=True, anonymous=True)
