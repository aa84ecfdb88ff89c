"""Results: a campaign's charts and answers, its responses one by one, who has not
answered (and "relancer"), exports, the programme's progression T0 → T1 → T2 and its
satisfaction.

Who sees what: coordinators everything of their organisation; trainers the campaigns
of their sessions (names included unless anonymous); observers aggregates only (no
response, no name, no team); a team its own progression. Anonymous answers never come
with a name, whoever asks.
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
    Moment,
    Question,
    QuestionKind,
    Response,
)
from organisations.access import organisation_view
from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.access import get_programme_for_user_or_404, get_team_or_404
from parcours.models import Team, TeamMember
from parcours.views.calendar import programme_context
from sillon.charts import Series, bar_chart, radar_chart
from sillon.exports import FORMATS, spreadsheet_response
from sillon.formatting import format_day, format_moment, local

RESPONSES_PER_PAGE = 25
TEXTS_SHOWN = 30
CHANGES_SHOWN = 100
SUBMITTED = Response.Status.SUBMITTED
# Radar styles: the team's moments, and the cohort's average beside them (dashed).
MOMENT_STYLES = {Moment.T0: "dotted", Moment.T1: "dashdot", Moment.T2: "solid"}
COHORT_MOMENT_STYLES = {Moment.T0: "dotted", Moment.T1: "dashed", Moment.T2: "solid"}


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
    results = compute.campaign_results(campaign, with_authors=with_authors, text_limit=TEXTS_SHOWN)
    for result in results.questions:
        result.chart = (
            bar_chart(result.rows, total=result.answered, title=result.question.label)
            if result.charted
            else ""
        )
        result.mean_text = compute.format_level(result.mean) if result.mean is not None else ""
        for criterion in result.criteria:
            criterion.chart = bar_chart(
                criterion.rows,
                total=criterion.answered,
                title=f"{result.question.label} — {criterion.criterion.label}",
            )
            criterion.mean_text = (
                compute.format_level(criterion.mean) if criterion.mean is not None else ""
            )
    context = _campaign_context(request, organisation, campaign)
    context.update(
        {
            "results": results,
            "with_authors": with_authors,
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
    context.update({"page": page, "rows": rows})
    return render(request, "evaluation/results/response_list.html", context)


def _answer_rows(questions: list[Question], answers: dict) -> list[dict]:
    """One row per question (per criterion for grids) with the answer as text."""
    rows = []
    for question in questions:
        if question.kind == QuestionKind.GRID:
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
            if question is None:
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
            "rows": _answer_rows(questions, answers),
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
    questions = _version_questions(campaign.version_id) if campaign.version_id else []
    columns = _export_columns(questions)
    responses = Response.objects.filter(campaign=campaign, status=SUBMITTED)
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


# --- Progression --------------------------------------------------------------------------


def _moment_label(moment: str) -> str:
    return compute.MOMENT_SHORT.get(moment, moment)


def _cohort_view(family: compute.Family) -> dict:
    """The cohort's averages: a radar (one line per moment) and a table."""
    cohort = family.cohort()
    series = [
        Series(
            _("Moyenne de la promotion à %(moment)s") % {"moment": _moment_label(moment)},
            [cohort[info.key].get(moment) for info in family.criteria],
            COHORT_MOMENT_STYLES[moment],
        )
        for moment in family.moments
    ]
    return {
        "radar": radar_chart(
            [info.label for info in family.criteria],
            series,
            max_value=family.max_level,
            title=_("Moyenne de la promotion par critère — %(title)s")
            % {"title": family.questionnaire.title},
        ),
        "rows": [
            {
                "criterion": info,
                "cells": [compute.format_level(cohort[info.key].get(m)) for m in family.moments],
                "path": compute.format_path([cohort[info.key].get(m) for m in family.moments]),
            }
            for info in family.criteria
        ],
    }


def _team_url_maker(organisation: Organisation, programme):
    sentinel = 987654321
    pattern = reverse(
        "evaluation:team_progression", args=[organisation.slug, programme.pk, sentinel]
    )
    prefix, suffix = pattern.split(str(sentinel))
    return lambda team: f"{prefix}{team.pk}{suffix}"


@organisation_view("evaluation.view")
def programme_progression(request, organisation: Organisation, programme_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    role = _role(request, organisation)
    if role not in (Role.COORDINATOR, Role.TRAINER, Role.OBSERVER):
        team = (
            Team.objects.filter(
                cohort__programme=programme,
                members__user=request.user,
                members__left_at__isnull=True,
            )
            .order_by("name")
            .first()
        )
        if team is None:
            raise Http404
        return redirect("evaluation:team_progression", organisation.slug, programme.pk, team.pk)
    progression = compute.programme_progression(programme)
    show_teams = role in (Role.COORDINATOR, Role.TRAINER)
    teams = (
        list(Team.objects.filter(cohort__programme=programme).order_by("name", "pk"))
        if show_teams
        else []
    )
    team_url = _team_url_maker(organisation, programme)
    families = []
    for family in progression.families:
        view = {"family": family, "moments": [_moment_label(m) for m in family.moments]}
        view.update(_cohort_view(family))
        view["teams"] = [
            {
                "team": team,
                "url": team_url(team),
                "cells": [
                    compute.format_path(
                        [family.level(team.pk, info.key, moment) for moment in family.moments]
                    )
                    for info in family.criteria
                ],
            }
            for team in teams
        ]
        families.append(view)
    context = programme_context(request, organisation, programme, "progression")
    context.update({"families": families, "show_teams": show_teams})
    return render(request, "evaluation/results/programme_progression.html", context)


def _person_pairs_view(pairs: list[compute.PersonPair], members: list[TeamMember]) -> list[dict]:
    views = []
    for pair in pairs:
        people = []
        for member in members:
            own = pair.own.get(member.user_id, {})
            coach = pair.coach.get(member.user_id, {})
            if not own and not coach:
                continue
            people.append(
                {
                    "user": member.user,
                    "rows": [
                        {
                            "criterion": info,
                            "own": compute.format_level(own.get(info.key)),
                            "own_label": info.level_label(own.get(info.key)),
                            "coach": compute.format_level(coach.get(info.key)),
                            "coach_label": info.level_label(coach.get(info.key)),
                        }
                        for info in pair.criteria
                    ],
                }
            )
        if people:
            views.append({"pair": pair, "people": people})
    return views


@organisation_view("evaluation.view")
def team_progression(request, organisation: Organisation, programme_id: int, team_id: int):
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    members = list(
        TeamMember.objects.current()
        .filter(team=team)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    role = _role(request, organisation)
    if role not in (Role.COORDINATOR, Role.TRAINER) and request.user.pk not in {
        member.user_id for member in members
    }:
        raise Http404
    if role == Role.OBSERVER:
        raise Http404
    progression = compute.programme_progression(programme, team_id=team.pk)
    families = []
    for family in progression.families:
        cohort = family.cohort()
        latest = next(
            (
                m
                for m in reversed(family.moments)
                if any(family.level(team.pk, i.key, m) is not None for i in family.criteria)
            ),
            family.moments[-1] if family.moments else None,
        )
        series = [
            Series(
                _("%(team)s à %(moment)s") % {"team": team.name, "moment": _moment_label(m)},
                [family.level(team.pk, info.key, m) for info in family.criteria],
                MOMENT_STYLES[m],
            )
            for m in family.moments
        ]
        if latest is not None:
            series.append(
                Series(
                    _("Moyenne de la promotion à %(moment)s") % {"moment": _moment_label(latest)},
                    [cohort[info.key].get(latest) for info in family.criteria],
                    "dashed",
                )
            )
        rows = []
        for info in family.criteria:
            levels = [family.level(team.pk, info.key, m) for m in family.moments]
            rows.append(
                {
                    "criterion": info,
                    "cells": [
                        {
                            "level": compute.format_level(level),
                            "label": info.level_label(level),
                            "descriptor": info.descriptor(level),
                        }
                        for level in levels
                    ],
                    "path": compute.format_path(levels),
                    "cohort": compute.format_level(cohort[info.key].get(latest)) if latest else "—",
                    "pairs": [
                        {
                            "moment": _moment_label(m),
                            "own": compute.format_level(family.level(team.pk, info.key, m)),
                            "own_label": info.level_label(family.level(team.pk, info.key, m)),
                            "coach": compute.format_level(family.coach_level(team.pk, info.key, m)),
                            "coach_label": info.level_label(
                                family.coach_level(team.pk, info.key, m)
                            ),
                        }
                        for m in family.moments
                    ],
                }
            )
        families.append(
            {
                "family": family,
                "moments": [_moment_label(m) for m in family.moments],
                "latest": _moment_label(latest) if latest else "",
                "radar": radar_chart(
                    [info.label for info in family.criteria],
                    series,
                    max_value=family.max_level,
                    title=_("Progression de %(team)s — %(title)s")
                    % {"team": team.name, "title": family.questionnaire.title},
                ),
                "rows": rows,
                "has_coach": family.has_coach and any(family.coach.get(team.pk, {}).values()),
            }
        )
    context = programme_context(request, organisation, programme, "progression")
    context.update(
        {
            "team": team,
            "families": families,
            "person_pairs": _person_pairs_view(progression.person_pairs, members),
            "is_staff": role in (Role.COORDINATOR, Role.TRAINER),
        }
    )
    return render(request, "evaluation/results/team_progression.html", context)


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
