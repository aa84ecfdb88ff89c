"""Recording an answer on a person's behalf during an interview (« entretien »): a
trainer of the campaign's session or programme, or a coordinator, chooses a person
among the targets who have not answered, the interview's date, then fills the same
questionnaire. The response is the person's (key ``person:<id>``), marked with
``entered_by`` and ``interview_on``, and counts as answered once sent. Never for an
anonymous campaign: it would tie the answer to the person."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import selectors
from evaluation.actions import Action
from evaluation.interviews import interview_refusal
from evaluation.models import Campaign, Response
from evaluation.services.answers import response_key, submit_response
from organisations.services import record


@transaction.atomic
def start_interview(
    *, campaign: Campaign, acting_user, person, interview_on: date | None
) -> Response:
    """The response of ``person`` that ``acting_user`` fills during an interview held
    on ``interview_on`` (their draft, if they had started one)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    refusal = interview_refusal(campaign)
    if refusal:
        raise ValidationError(refusal)
    errors = {}
    if interview_on is None:
        errors["interview_on"] = [_("Indiquez la date de l'entretien.")]
    elif interview_on > timezone.localdate():
        errors["interview_on"] = [_("L'entretien ne peut pas être dans le futur.")]
    if person is None or not selectors.target_people(campaign).filter(pk=person.pk).exists():
        errors["person"] = [_("Choisissez une personne visée par la campagne.")]
    if errors:
        raise ValidationError(errors)
    key = response_key(campaign, user=person)
    response = Response.objects.select_for_update().filter(campaign=campaign, key=key).first()
    if response is not None and response.is_submitted:
        raise ValidationError({"person": [_("Cette personne a déjà répondu.")]})
    if response is None:
        response = Response(
            organisation=campaign.organisation,
            campaign=campaign,
            version=campaign.version,
            key=key,
            respondent=person,
        )
    response.entered_by = acting_user
    response.interview_on = interview_on
    response.updated_at = timezone.now()
    response.save()
    return response


@transaction.atomic
def submit_interview(*, response: Response, acting_user) -> Response:
    """Send a response recorded at an interview: it counts as the person's answer."""
    response = submit_response(response=response, acting_user=acting_user)
    record(
        organisation=response.organisation,
        actor=acting_user,
        action=Action.RESPONSE_INTERVIEW_RECORDED,
        target=str(response.campaign),
        campaign=response.campaign_id,
        person=response.respondent_id,
        interview_on=response.interview_on.isoformat() if response.interview_on else None,
    )
    return response
