"""The questionnaires of a call as an application filled them: the call's motivation
questions and T0 self-diagnostic with the application's answers, read back for the
applicants, the reviewers and the PDF receipt (the application's part contributed in
``evaluation.extensions``), with what is still missing.

An application's questionnaires are read together in at most seven queries, whatever
their number of questions and answers, and kept on the application object for the rest
of the request (the page shows the panel and the summary of what is missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluation.answer_values import AnswerValue, condition_met, display_value, field_name
from evaluation.models import Answer, Campaign, Question, QuestionKind, Response, Section
from evaluation.services.intake import slot_label, slot_of

CACHE = "_evaluation_call_questionnaires"


@dataclass
class Row:
    """One answer as read back: a question, or one criterion of a maturity grid."""

    question: Question
    criterion: object = None
    text: str = ""
    level: str = ""  # a grid level: « 2 · En construction »
    descriptor: str = ""
    comment: str = ""
    missing: bool = False  # required and not answered

    @property
    def answered(self) -> bool:
        return bool(self.text or self.level)


@dataclass
class Filled:
    """One questionnaire of the call, with the application's answers to it."""

    campaign: Campaign
    label: str
    response: Response | None
    sections: list[dict] = field(default_factory=list)  # [{"section", "questions"}]
    missing: int = 0

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def status(self) -> str:
        if self.complete:
            return _("complet")
        return ngettext(
            "%(count)s réponse obligatoire manquante",
            "%(count)s réponses obligatoires manquantes",
            self.missing,
        ) % {"count": self.missing}


def _sections_by_version(version_ids) -> dict[int, list[Section]]:
    """Sections of several versions with their questions (``question_list``), choices
    and criteria, in four queries; condition questions are the loaded objects."""
    questions = Question.objects.filter(version__in=version_ids).prefetch_related(
        "choices", "criteria"
    )
    sections = (
        Section.objects.filter(version__in=version_ids)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "questions", queryset=questions.order_by("order", "pk"), to_attr="question_list"
            )
        )
    )
    result: dict[int, list[Section]] = {}
    by_id = {}
    for section in sections:
        result.setdefault(section.version_id, []).append(section)
        for question in section.question_list:
            by_id[question.pk] = question
    for question in by_id.values():
        trigger = by_id.get(question.condition_question_id)
        if trigger is not None:
            question.condition_question = trigger
    return result


def _level_text(question: Question, number) -> str:
    if number is None:
        return ""
    labels = {choice.value: choice.label for choice in question.choices.all()}
    value = int(number)
    label = labels.get(value, "")
    return f"{value} · {label}" if label else str(value)


def _read(sections: list[Section], values: dict[str, AnswerValue]):
    """Per section, the questions shown (a question hidden by its condition is left
    out), each with its rows (one per criterion for a maturity grid); and how many
    required answers are missing (the rule of ``services.missing_required``)."""
    by_question = {
        value.question.pk: value
        for value in values.values()
        if value.criterion is None and value.has_answer
    }
    missing = 0
    result = []
    for section in sections:
        items = []
        for question in section.question_list:
            if not condition_met(question, by_question):
                continue
            rows = []
            if question.kind == QuestionKind.GRID:
                for criterion in question.criteria.all():
                    value = values.get(field_name(question, criterion))
                    row = Row(question=question, criterion=criterion)
                    if value is not None:
                        row.level = _level_text(question, value.number)
                        if value.number is not None:
                            row.descriptor = criterion.descriptor(int(value.number))
                        row.comment = value.comment
                    if question.required and not (value is not None and value.has_answer):
                        row.missing = True
                        missing += 1
                    rows.append(row)
            else:
                value = values.get(field_name(question))
                row = Row(question=question)
                if value is not None:
                    row.text = display_value(question, value.as_json())
                if question.required and question.pk not in by_question:
                    row.missing = True
                    missing += 1
                rows.append(row)
            items.append(
                {"question": question, "grid": question.kind == QuestionKind.GRID, "rows": rows}
            )
        if items:
            result.append({"section": section, "questions": items})
    return result, missing


def application_questionnaires(application) -> list[Filled]:
    """The call's questionnaires (motivation first, then the T0 self-diagnostic) with
    ``application``'s answers, in at most seven queries; read once per request."""
    cached = getattr(application, CACHE, None)
    if cached is not None:
        return cached
    campaigns = list(
        Campaign.objects.filter(call=application.call_id, version__isnull=False)
        .select_related("version", "questionnaire")
        .order_by("moment", "pk")  # « free » (motivation) before « t0 »
    )
    result: list[Filled] = []
    if campaigns:
        sections = _sections_by_version({campaign.version_id for campaign in campaigns})
        responses = {
            response.campaign_id: response
            for response in Response.objects.filter(
                application=application, campaign__in=[c.pk for c in campaigns]
            )
        }
        questions = {
            question.pk: question
            for version_sections in sections.values()
            for section in version_sections
            for question in section.question_list
        }
        criteria = {
            criterion.pk: criterion
            for question in questions.values()
            for criterion in question.criteria.all()
        }
        values: dict[str, dict[str, AnswerValue]] = {}
        if responses:
            by_response = {response.pk: response.campaign_id for response in responses.values()}
            for answer in Answer.objects.filter(response__in=list(by_response)):
                question = questions.get(answer.question_id)
                if question is None:
                    continue
                answer.question = question
                answer.criterion = criteria.get(answer.criterion_id)
                name = field_name(answer.question_id, answer.criterion_id)
                values.setdefault(by_response[answer.response_id], {})[name] = (
                    AnswerValue.from_answer(answer)
                )
        for campaign in campaigns:
            rows, missing = _read(
                sections.get(campaign.version_id, []), values.get(campaign.pk, {})
            )
            result.append(
                Filled(
                    campaign=campaign,
                    label=slot_label(slot_of(campaign)),
                    response=responses.get(campaign.pk),
                    sections=rows,
                    missing=missing,
                )
            )
    setattr(application, CACHE, result)
    return result


def forget(application) -> None:
    """Read the answers again next time (after a change in the same request)."""
    if hasattr(application, CACHE):
        delattr(application, CACHE)
