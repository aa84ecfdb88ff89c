"""Getting a questionnaire, campaign or response the current user may reach, or 404."""

from uuid import UUID

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404

from evaluation import selectors
from evaluation.models import (
    AutomaticCampaign,
    Campaign,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Section,
)
from organisations.models import Organisation

User = get_user_model()


def get_questionnaire_or_404(organisation: Organisation, questionnaire_id: int) -> Questionnaire:
    return get_object_or_404(
        Questionnaire.objects.select_related("programme"),
        organisation=organisation,
        pk=questionnaire_id,
    )


def get_version_or_404(
    organisation: Organisation, questionnaire: Questionnaire, version_id: int
) -> QuestionnaireVersion:
    return get_object_or_404(
        QuestionnaireVersion.objects,
        organisation=organisation,
        questionnaire=questionnaire,
        pk=version_id,
    )


def get_section_or_404(organisation: Organisation, version, section_id: int) -> Section:
    return get_object_or_404(
        Section.objects, organisation=organisation, version=version, pk=section_id
    )


def get_question_or_404(organisation: Organisation, version, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("section"),
        organisation=organisation,
        version=version,
        pk=question_id,
    )


def get_campaign_for_user_or_404(user, organisation: Organisation, campaign_id: int) -> Campaign:
    return get_object_or_404(selectors.campaigns_visible_to(user, organisation), pk=campaign_id)


def campaign_to_answer_or_404(user, organisation: Organisation, campaign_id: int) -> Campaign:
    """A launched campaign ``user`` answers (for themselves, their team, or as assessor).
    Not ``campaigns_visible_to``: a trainer named in a "people" campaign outside their
    sessions answers it without seeing its results."""
    campaign = get_object_or_404(selectors.campaigns_to_answer(user, organisation), pk=campaign_id)
    campaign.organisation = organisation
    return campaign


def get_managed_campaign_or_404(organisation: Organisation, campaign_id: int) -> Campaign:
    """A campaign for its coordinator's tools (the view requires evaluation.manage); a
    call's questionnaires are managed from the call's page."""
    return get_object_or_404(
        Campaign.objects.select_related("programme", "session", "version", "questionnaire"),
        organisation=organisation,
        pk=campaign_id,
        call__isnull=True,
    )


def get_response_or_404(organisation: Organisation, campaign: Campaign, response_id) -> Response:
    if not isinstance(response_id, UUID):
        raise Http404
    return get_object_or_404(
        Response.objects.select_related("team", "respondent", "subject_team", "subject_user"),
        organisation=organisation,
        campaign=campaign,
        pk=response_id,
    )


def get_subject_or_404(campaign: Campaign, subject_id: int):
    """The team or person an assessment is about, if it is one of the campaign's
    subjects."""
    if campaign.mode == Campaign.Mode.ASSESS_TEAM:
        subject = selectors.target_teams(campaign).filter(pk=subject_id).first()
    elif campaign.mode == Campaign.Mode.ASSESS_PERSON:
        subject = selectors.target_people(campaign).filter(pk=subject_id).first()
    else:
        subject = None
    if subject is None:
        raise Http404
    return subject


def get_automatic_campaign_or_404(
    organisation: Organisation, programme, automatic_id: int
) -> AutomaticCampaign:
    return get_object_or_404(
        AutomaticCampaign.objects.select_related("session_kind", "questionnaire"),
        organisation=organisation,
        programme=programme,
        pk=automatic_id,
    )
