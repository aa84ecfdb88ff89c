"""« Saisir une réponse d'entretien »: a trainer of the campaign's session or programme,
or a coordinator, records a person's answer on their behalf (choose the person and the
date, then fill the same questionnaire). 404 for anyone else."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluation import selectors
from evaluation.access import get_managed_campaign_or_404
from evaluation.forms.answering import AnswerForm
from evaluation.forms.interview import InterviewForm
from evaluation.interviews import can_record_interview, interview_note, interview_refusal
from evaluation.models import Campaign, Response
from evaluation.services import answers as answer_services
from evaluation.services import interview as services
from evaluation.views.answering import Filling, _handle_post, _page_context
from organisations.access import organisation_view
from parcours.forms import add_service_errors

VIEW = "evaluation.view_staff"


def _campaign_or_404(request, organisation, campaign_id) -> Campaign:
    campaign = get_managed_campaign_or_404(organisation, campaign_id)
    if not can_record_interview(campaign, request.user, organisation):
        raise Http404
    return campaign


@dataclass
class InterviewFilling(Filling):
    """A person's response filled by ``actor`` during an interview."""

    actor: object = None

    def find(self) -> None:  # the response is given
        return

    def save(self, values):
        result = answer_services.save_answers(
            response=self.response, values=values, acting_user=self.actor
        )
        return result.errors, {conflict.name: conflict for conflict in result.conflicts}

    def submit(self) -> None:
        self.response = services.submit_interview(response=self.response, acting_user=self.actor)


@organisation_view(VIEW)
def interview_start(request, organisation, campaign_id):
    campaign = _campaign_or_404(request, organisation, campaign_id)
    refusal = interview_refusal(campaign)
    form = None
    if not refusal:
        pending = selectors.non_respondents(campaign)["people"]
        people = selectors.target_people(campaign).filter(pk__in=[p.pk for p in pending])
        form = InterviewForm(request.POST or None, people=people)
        if request.method == "POST" and form.is_valid():
            try:
                response = services.start_interview(
                    campaign=campaign,
                    acting_user=request.user,
                    person=form.cleaned_data["person"],
                    interview_on=form.cleaned_data["interview_on"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(
                    "evaluation:interview_answer", organisation.slug, campaign.pk, response.pk
                )
    return render(
        request,
        "evaluation/answer/interview_start.html",
        {"campaign": campaign, "programme": campaign.programme, "form": form, "refusal": refusal},
    )


@organisation_view(VIEW)
def interview_answer(request, organisation, campaign_id, response_id):
    campaign = _campaign_or_404(request, organisation, campaign_id)
    response = get_object_or_404(
        Response.objects.select_related("respondent", "entered_by", "submitted_by"),
        organisation=organisation,
        campaign=campaign,
        pk=response_id,
        entered_by__isnull=False,
    )
    detail_url = reverse("evaluation:campaign_detail", args=[organisation.slug, campaign.pk])
    refusal = interview_refusal(campaign)
    if refusal and request.method == "POST":
        messages.error(request, refusal)
        return redirect(detail_url)
    campaign.organisation = organisation
    filling = InterviewFilling(
        campaign=campaign, user=response.respondent, response=response, actor=request.user
    )
    form = AnswerForm(campaign.version)
    post_url = reverse(
        "evaluation:interview_answer", args=[organisation.slug, campaign.pk, response.pk]
    )
    extra = {}
    if request.method == "POST":
        outcome = _handle_post(request, organisation, filling, form, post_url=post_url)
        if outcome is None:
            messages.success(
                request,
                _("Réponse de %(name)s enregistrée (%(note)s) : elle compte comme répondue.")
                % {
                    "name": response.respondent.get_full_name() or response.respondent.email,
                    "note": interview_note(response),
                },
            )
            return redirect(detail_url)
        if not isinstance(outcome, tuple):
            return outcome
        parsed, errors, conflicts = outcome
        extra = {"parsed": parsed, "errors": errors, "conflicts": conflicts}
    filling.load(form)
    buttons = [
        {"action": "submit", "label": _("Enregistrer la réponse"), "primary": True},
        {"action": "draft", "label": _("Enregistrer le brouillon"), "primary": False},
    ]
    context = _page_context(
        request, organisation, filling, form, post_url=post_url, buttons=buttons, **extra
    )
    context.update(
        {
            "programme": campaign.programme,
            "person": response.respondent,
            "interview_note": interview_note(response),
        }
    )
    return render(request, "evaluation/answer/interview_answer.html", context)
