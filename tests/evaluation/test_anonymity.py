"""Anonymity: an anonymous answer cannot be linked to the person who gave it — by no
column, no join, no timestamp and no ordering — while the fact of having answered is
recorded apart, so non-respondents can still be reminded."""

import json
import uuid
from datetime import time, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models
from django_scopes import scope, scopes_disabled

from evaluation import selectors, services
from evaluation.answer_values import AnswerValue
from evaluation.models import Answer, AnswerChange, Participation, Response
from parcours.models import Team, TeamMember
from tests.factories import (
    CampaignFactory,
    UserFactory,
    build_programme,
    build_satisfaction_questionnaire,
)

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


# --- Threshold and single answers ------------------------------------------------------------


def _coordinator_client(client, organisation):
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory(organisation=organisation, coordinator=True).user)
    return client


def _url(name, organisation, *args):
    from django.urls import reverse

    return reverse(f"evaluation:{name}", args=[organisation.slug, *args])


def test_two_answers_show_no_result_anywhere(client, answered):
    organisation, campaign, _people, texts = answered
    _coordinator_client(client, organisation)
    page = client.get(_url("campaign_results", organisation, campaign.pk)).content.decode()
    assert "les résultats s'affichent à partir de 5 réponses (2 reçues)" in page.replace(
        "&#x27;", "'"
    )
    assert "sillon-chart" not in page and "Taux de satisfaction" not in page
    for text in texts.values():
        assert text not in page
    # The export refuses, with the reason on the results page.
    for fmt in ("csv", "xlsx"):
        export = client.get(_url("export", organisation, campaign.pk) + f"?format={fmt}")
        assert export.status_code == 302
        assert export["Location"] == _url("campaign_results", organisation, campaign.pk)
    followed = client.get(_url("export", organisation, campaign.pk) + "?format=csv", follow=True)
    assert "l'export n'est possible qu'à partir de 5" in followed.content.decode().replace(
        "&#x27;", "'"
    )
    # No answer one by one.
    listing = client.get(_url("response_list", organisation, campaign.pk)).content.decode()
    assert "Réponse anonyme n°" not in listing
    with scope(organisation=organisation.pk):
        response = Response.objects.filter(campaign=campaign).first()
    detail = _url("response_detail", organisation, campaign.pk, response.pk)
    assert client.get(detail).status_code == 404


def test_no_single_answer_while_open_even_over_the_threshold(client, answered):
    organisation, campaign, people, _texts = answered
    with scope(organisation=organisation.pk):
        from evaluation.models import Question

        scale = Question.objects.get(version=campaign.version_id, kind="scale")
        Campaign = type(campaign)
        Campaign.objects.filter(pk=campaign.pk).update(anonymity_threshold=3)
        services.save_anonymous_draft(
            campaign=campaign,
            user=people[2],
            values=[AnswerValue(question=scale, number=3)],
        )
        services.submit_anonymous(campaign=campaign, user=people[2])
        response = Response.objects.filter(campaign=campaign).first()
    _coordinator_client(client, organisation)
    page = client.get(_url("campaign_results", organisation, campaign.pk)).content.decode()
    assert "sillon-chart" in page  # three answers: the results show
    assert "Toutes les réponses une à une" not in page
    detail = _url("response_detail", organisation, campaign.pk, response.pk)
    assert client.get(detail).status_code == 404
    # Closed: the answers may be read one by one.
    with scope(organisation=organisation.pk):
        Campaign.objects.filter(pk=campaign.pk).update(
            opens_at=campaign.opens_at - timedelta(days=30),
            closes_at=campaign.opens_at - timedelta(days=1),
        )
    assert client.get(detail).status_code == 200
    listing = client.get(_url("response_list", organisation, campaign.pk)).content.decode()
    assert "Réponse anonyme n°3" in listing


def test_the_threshold_is_never_under_three(answered):
    from evaluation.forms.campaigns import CampaignForm
    from evaluation.services.campaigns import create_campaign

    organisation, campaign, _people, _texts = answered
    form_field = CampaignForm.base_fields["anonymity_threshold"]
    with pytest.raises(ValidationError) as error:
        form_field.clean(2)
    assert "au moins 3 réponses" in " ".join(error.value.messages)
    assert form_field.clean(7) == 7
    with scope(organisation=organisation.pk):
        coordinator = UserFactory()
        with pytest.raises(ValidationError) as refused:
            create_campaign(
                programme=campaign.programme,
                acting_user=coordinator,
                questionnaire=campaign.questionnaire,
                title="Anonyme",
                opens_at=campaign.opens_at,
                closes_at=campaign.closes_at,
                anonymous=True,
                anonymity_threshold=2,
            )
    assert "au moins 3 réponses" in " ".join(refused.value.message_dict["anonymity_threshold"])
