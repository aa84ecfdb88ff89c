"""Results: a campaign's charts and answers, its responses one by one, who has not
answered (and "relancer"), exports, the programme's progression T0 → T1 → T2 and its
satisfaction.

Who sees what: coordinators everything of their organisation; trainers the campaigns
of their sessions (names included unless anonymous); observers aggregates only (no
response, no name, no team), names beside the free texts only where the programme lets
them (``Programme.observers_see_names``); a team its own progression. Confidential
questions are read by coordinators only: the others see their number of answers.
Anonymous answers never come with a name, whoever asks; an anonymous campaign shows no
result under its threshold, and no answer one by one before it is closed.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from evaluation import results as compute
from evaluation import selectors
from evaluation.access import get_campaign_for_user_or_404, get_response_or_404
from evaluation.answer_values import AnswerValue, display_value
from evaluation.models import (
    Answer,
    AnswerChange,
    Campaign,
    Question,
    QuestionKind,
    Response,
)
from organisations.access import organisation_view
from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404
from parcours.views.calendar import programme_context
from sillon.charts import bar_chart
from sillon.exports import FORMATS, spreadsheet_response
from sillon.formatting import format_day, format_moment, local

RESPONSES_PER_PAGE = 25
CONFIDENTIAL = _lazy("Réponse confidentielle (coordinateurs)")
TEXTS_SHOWN = 30
CHANGES_SHOWN = 100
SUBMITTED = Response.Status.SUBMITTED


def _role(request, organisation: Organisation) -> str | None:
    return role_in(request.user, organisation)


def _sees_responses(request, organisation: Organisation) -> bool:
    """Responses one by one: coordinators, and trainers (on the campaigns they see)."""
    return _role(request, organisation) in (Role.COORDINATOR, Role.TRAINER)


def _campaign(request, organisation: Organisation, campaign_id: int) -> Campaign:
    return get_campaign_for_user_or_404(request.user, organisation, campaign_id)


def _response_label(response: Response) -> str:
    """Who a (non-anonymous) response stands for."""
    if response.is_anonymous:
        return ""
    if response.team_id:
        return response.team.name
    if response.subject_team_id:
        return response.subject_team.name
    person = response.respondent or response.subject_user
    return str(person) if person is not None else ""


def _target_label(campaign: Campaign) -> str:
    label = campaign.get_audience_display()
    if campaign.audience == Campaign.Audience.SESSION and campaign.session_id:
        return f"{label} : {campaign.session.title}"
    return str(label)


def _campaign_context(request, organisation: Organisation, campaign: Campaign) -> dict:
    role = _role(request, organisation)
    return {
        "campaign": campaign,
        "programme": campaign.programme,
        "can_manage": role == Role.COORDINATOR,
        "sees_responses": role in (Role.COORDINATOR, Role.TRAINER),
        "target_label": _target_label(campaign),
    }


# --- A campaign's results ------------------------------------------------------------------


@organisation_view("evaluation.view_staff")
def campaign_results(request, organisation: Organisation, campaign_id: int):
    campaign = _campaign(request, organisation, campaign_id)
    with_authors = selectors.sees_names(request.user, organisation, campaign)
    results = compute.campaign_results(
        campaign,
        with_authors=with_authors,
        sees_confidential=selectors.sees_confidential(request.user, organisation),
        text_limit=TEXTS_SHOWN,
    )
    for result in results.questions:
        result.chart = (
            bar_chart(result.rows, total=result.answered, title=result.question.label)
            if result.charted
            else ""
        )
        for criterion in result.criteria:
            criterion.chart = bar_chart(
                criterion.rows,
                total=criterion.answered,
                title=f"{result.question.label} — {criterion.criterion.label}",
            )
    context = _campaign_context(request, organisation, campaign)
    context.update(
        {
            "results": results,
            "with_authors": with_authors,
            "one_by_one": context["sees_responses"]
            and not compute.single_answers_hidden(campaign, results.submitted),
            "all_responses_url": reverse(
                "evaluation:response_list", args=[organisation.slug, campaign.pk]
            ),
            "opens": format_moment(campaign.opens_at, organisation),
            "closes": format_moment(campaign.closes_at, organisation),
        }
    )
    return render(request, "evaluation/results/campaign_results.html", context)


# --- Responses one by one -------------------------------------------------------------------


def _campaign_for_responses(request, organisation: Organisation, campaign_id: int) -> Campaign:
    if not _sees_responses(request, organisation):
        raise Http404
    return _campaign(request, organisation, campaign_id)


@organisation_view("evaluation.view_staff")
def response_list(request, organisation: Organisation, campaign_id: int):
    campaign = _campaign_for_responses(request, organisation, campaign_id)
    responses = Response.objects.filter(campaign=campaign, status=SUBMITTED)
    if campaign.anonymous and compute.single_answers_hidden(campaign, responses.count()):
        # No answer one by one: only how many there are, and why.
        context = _campaign_context(request, organisation, campaign)
        context.update({"hidden": True, "submitted": responses.count(), "rows": []})
        return render(request, "evaluation/results/response_list.html", context)
    if campaign.anonymous:
        # Random ids: their order says nothing about who answered or when.
        responses = responses.only("id", "key", "campaign_id").order_by("id")
    else:
        responses = responses.select_related(
            "team", "respondent", "subject_team", "subject_user"
        ).order_by("-submitted_at", "id")
    page = Paginator(responses, RESPONSES_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for index, response in enumerate(page.object_list, start=page.start_index()):
        rows.append(
            {
                "response": response,
                "number": index,
                "label": _response_label(response),
                "submitted": (
                    ""
                    if campaign.anonymous or response.submitted_at is None
                    else format_moment(response.submitted_at, organisation)
                ),
            }
        )
    context = _campaign_context(request, organisation, campaign)
    context.update({"page": page, "rows": rows, "hidden": False})
    return render(request, "evaluation/results/response_list.html", context)


def _answer_rows(questions: list[Question], answers: dict, *, confidential: bool) -> list[dict]:
    """One row per question (per criterion for grids) with the answer as text; the
    answer to a confidential question replaced unless ``confidential`` may be read."""
    rows = []
    for question in questions:
        if question.confidential and not confidential:
            rows.append({"question": question, "criterion": None, "text": str(CONFIDENTIAL)})
        elif question.kind == QuestionKind.GRID:
            for criterion in question.criteria.all():
                answer = answers.get((question.pk, criterion.pk))
                rows.append(
                    {
                        "question": question,
                        "criterion": criterion,
                        "text": _answer_text(question, criterion, answer),
                    }
                )
        else:
            answer = answers.get((question.pk, None))
            rows.append(
                {
                    "question": question,
                    "criterion": None,
                    "text": _answer_text(question, None, answer),
                }
            )
    return rows


def _answer_text(question, criterion, answer) -> str:
    if answer is None:
        return ""
    value = AnswerValue(
        question=question,
        criterion=criterion,
        number=answer.number,
        choices=list(answer.choices or []),
        text=answer.text,
        date=answer.date,
        comment=answer.comment,
    )
    return display_value(question, value.as_json())


def _version_questions(version_id) -> list[Question]:
    return list(
        Question.objects.filter(version=version_id)
        .select_related("section")
        .prefetch_related("choices", "criteria")
    )


@organisation_view("evaluation.view_staff")
def response_detail(request, organisation: Organisation, campaign_id: int, response_id):
    campaign = _campaign_for_responses(request, organisation, campaign_id)
    response = get_response_or_404(organisation, campaign, response_id)
    if not response.is_submitted:
        raise Http404
    if campaign.anonymous and compute.single_answers_hidden(
        campaign, Response.objects.filter(campaign=campaign, status=SUBMITTED).count()
    ):
        raise Http404
    confidential = selectors.sees_confidential(request.user, organisation)
    questions = _version_questions(response.version_id)
    by_id = {question.pk: question for question in questions}
    answers = {
        (answer.question_id, answer.criterion_id): answer for answer in response.answers.all()
    }
    number = None
    changes = []
    if response.is_anonymous:
        number = (
            Response.objects.filter(campaign=campaign, status=SUBMITTED, id__lt=response.pk).count()
            + 1
        )
    else:
        criteria = {c.pk: c for q in questions for c in q.criteria.all()}
        for change in AnswerChange.objects.filter(response=response).select_related("user")[
            :CHANGES_SHOWN
        ]:
            question = by_id.get(change.question_id)
            if question is None or (question.confidential and not confidential):
                continue
            criterion = criteria.get(change.criterion_id)
            changes.append(
                {
                    "who": str(change.user) if change.user else _("Compte supprimé"),
                    "when": format_moment(change.changed_at, organisation),
                    "question": question.label
                    + (f" — {criterion.label}" if criterion is not None else ""),
                    "before": display_value(question, change.before) or "—",
                    "after": display_value(question, change.after) or "—",
                }
            )
    context = _campaign_context(request, organisation, campaign)
    context.update(
        {
            "response": response,
            "number": number,
            "label": _response_label(response),
            "submitted": (
                ""
                if response.is_anonymous or response.submitted_at is None
                else format_moment(response.submitted_at, organisation)
            ),
            "rows": _answer_rows(questions, answers, confidential=confidential),
            "changes": changes,
            "shared": campaign.per_team or campaign.is_assessment,
        }
    )
    return render(request, "evaluation/results/response_detail.html", context)


# --- Non-respondents and "relancer" -------------------------------------------------------


@organisation_view("evaluation.manage")
def non_respondents(request, organisation: Organisation, campaign_id: int):
    campaign = _campaign(request, organisation, campaign_id)
    pending = selectors.non_respondents(campaign)
    last_reminder = campaign.reminders.select_related("sent_by").first()
    context = _campaign_context(request, organisation, campaign)
    context.update(
        {
            "pending": pending,
            "subject_labels": [str(subject) for subject in pending["subjects"]],
            "assessors": (
                list(campaign.assessors.order_by("last_name", "first_name", "pk"))
                if campaign.is_assessment
                else []
            ),
            "last_reminder": last_reminder,
            "last_reminder_when": (
                format_moment(last_reminder.sent_at, organisation) if last_reminder else ""
            ),
            "can_remind": campaign.is_open and bool(pending["recipients"]),
        }
    )
    return render(request, "evaluation/results/non_respondents.html", context)


@organisation_view("evaluation.manage")
@require_POST
def remind(request, organisation: Organisation, campaign_id: int):
    from evaluation.services.campaigns import remind_non_respondents

    campaign = _campaign(request, organisation, campaign_id)
    try:
        count = remind_non_respondents(campaign=campaign, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)s personne relancée.", "%(count)s personnes relancées.", count)
            % {"count": count},
        )
    return redirect("evaluation:non_respondents", organisation.slug, campaign.pk)


# --- Export -------------------------------------------------------------------------------


def _export_columns(questions: list[Question]) -> list[tuple[str, Question, object, str]]:
    """(header, question, criterion, part) per column; part is "value" or "comment"."""
    columns = []
    for question in questions:
        if question.kind == QuestionKind.GRID:
            for criterion in question.criteria.all():
                label = f"{question.label} — {criterion.label}"
                columns.append((label, question, criterion, "value"))
                columns.append((f"{label} ({_('commentaire')})", question, criterion, "comment"))
        else:
            columns.append((question.label, question, None, "value"))
    return columns


def _export_cell(question: Question, part: str, answer):
    if answer is None:
        return ""
    if part == "comment":
        return answer.comment
    if question.kind == QuestionKind.NUMBER and answer.number is not None:
        number = answer.number
        return int(number) if float(number).is_integer() else number
    if question.kind == QuestionKind.GRID:
        return display_value(question, {"number": answer.number}) if answer.number else ""
    return _answer_text(question, None, answer)


@organisation_view("evaluation.manage")
def export(request, organisation: Organisation, campaign_id: int):
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    campaign = _campaign(request, organisation, campaign_id)
    responses = Response.objects.filter(campaign=campaign, status=SUBMITTED)
    if compute.results_withheld(campaign, responses.count()):
        messages.error(
            request,
            _("Campagne anonyme : l'export n'est possible qu'à partir de %(threshold)s réponses.")
            % {"threshold": campaign.anonymity_threshold},
        )
        return redirect("evaluation:campaign_results", organisation.slug, campaign.pk)
    questions = _version_questions(campaign.version_id) if campaign.version_id else []
    if not selectors.sees_confidential(request.user, organisation):
        questions = [question for question in questions if not question.confidential]
    columns = _export_columns(questions)
    if not campaign.anonymous:
        responses = responses.select_related(
            "team", "respondent", "subject_team", "subject_user"
        ).order_by("submitted_at", "id")
    responses = list(responses)
    answers: dict = {}
    for answer in Answer.objects.filter(
        response__campaign=campaign, response__status=SUBMITTED
    ).only(
        "response_id",
        "question_id",
        "criterion_id",
        "number",
        "choices",
        "text",
        "date",
        "comment",
    ):
        answers[(answer.response_id, answer.question_id, answer.criterion_id)] = answer
    headers = [header for header, *_rest in columns]
    if not campaign.anonymous:
        who = {
            Campaign.Mode.TEAM: _("Équipe"),
            Campaign.Mode.PERSON: _("Personne"),
            Campaign.Mode.ASSESS_TEAM: _("Équipe évaluée"),
            Campaign.Mode.ASSESS_PERSON: _("Personne évaluée"),
        }[campaign.mode]
        headers = [who, _("Envoyée le"), *headers]
    rows = []
    for response in responses:
        row = [
            _export_cell(
                question, part, answers.get((response.pk, question.pk, criterion and criterion.pk))
            )
            for _header, question, criterion, part in columns
        ]
        if not campaign.anonymous:
            submitted = local(response.submitted_at, organisation.time_zone).strftime(
                "%d/%m/%Y %H:%M"
            )
            row = [_response_label(response), submitted, *row]
        rows.append(row)
    if campaign.anonymous:
        secrets.SystemRandom().shuffle(rows)
    return spreadsheet_response(
        headers=headers, rows=rows, filename=f"reponses-{campaign.title}", fmt=fmt
    )


# --- Satisfaction -------------------------------------------------------------------------


@organisation_view("evaluation.view_staff")
def programme_satisfaction(request, organisation: Organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    campaigns = list(
        selectors.campaigns_visible_to(request.user, organisation).filter(
            programme=programme, status=Campaign.Status.LAUNCHED
        )
    )
    overview = compute.programme_satisfaction(campaigns)
    sessions = [
        {
            "session": row.session,
            "day": format_day(local(row.session.starts_at, organisation.time_zone).date()),
            "rate": row.rate,
        }
        for row in overview.sessions
    ]
    context = programme_context(request, organisation, programme, "satisfaction")
    context.update(
        {
            "overview": overview,
            "sessions": sessions,
            "partial_view": _role(request, organisation) == Role.TRAINER,
        }
    )
    return render(request, "evaluation/results/programme_satisfaction.html", context)
