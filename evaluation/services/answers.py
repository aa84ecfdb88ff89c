"""Answering a campaign: start a response, save answers as one goes (several people
at once on a shared response, none silently lost), send it; the anonymous path.

Concurrency: each stored answer has a revision. A person's form carries the revision
it showed them (``AnswerValue.seen_revision``). Saving an answer that someone else
changed since, to something else, is a *conflict*: the stored answer is kept, and the
person is shown who changed it, to what, and asked to choose. The response row is
locked while saving, so two saves never interleave.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.actions import Action
from evaluation.answer_values import AnswerValue, condition_met, field_name, validate
from evaluation.models import (
    Answer,
    AnswerChange,
    Campaign,
    Participation,
    QuestionKind,
    QuestionnaireVersion,
    Response,
)
from organisations.services import record
from sillon.formatting import format_moment

UTC = ZoneInfo("UTC")


@dataclass
class Conflict:
    """An answer changed by someone else since the person loaded the page."""

    mine: AnswerValue
    theirs: AnswerValue
    by: object | None  # the user who changed it
    at: datetime | None

    @property
    def name(self) -> str:
        return self.mine.name


@dataclass
class SaveResult:
    saved: list[AnswerValue] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    # {field name: [French errors]} for values refused (nothing stored for them).
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.errors


def ensure_open(campaign: Campaign) -> None:
    """Answers are written only while the campaign is open. A call's questionnaire
    follows its application instead of its own dates: editable while the application
    is a draft (``services.intake`` checks it)."""
    if campaign.call_id is not None:
        return
    state = campaign.state
    if state == "open":
        return
    organisation = campaign.organisation
    if state == "closed":
        raise ValidationError(
            _(
                "Ce questionnaire est clos depuis le %(when)s : les réponses ne peuvent "
                "plus être modifiées."
            )
            % {"when": format_moment(campaign.closes_at, organisation)}
        )
    if state == "upcoming":
        raise ValidationError(
            _("Ce questionnaire ouvrira le %(when)s.")
            % {"when": format_moment(campaign.opens_at, organisation)}
        )
    raise ValidationError(_("Ce questionnaire n'est pas ouvert aux réponses."))


def response_key(campaign: Campaign, *, user=None, team=None, subject=None) -> str:
    """The key of the one response a respondent (or subject) has in ``campaign``."""
    mode = campaign.mode
    if mode == Campaign.Mode.TEAM:
        return f"team:{team.pk}"
    if mode == Campaign.Mode.PERSON:
        return f"person:{user.pk}"
    if mode == Campaign.Mode.ASSESS_TEAM:
        return f"subject-team:{subject.pk}"
    return f"subject-person:{subject.pk}"


def start_response(*, campaign: Campaign, acting_user, team=None, subject=None) -> Response:
    """The response ``acting_user`` fills (their own, their team's, or the assessment of
    ``subject``), created as a draft the first time. Not for anonymous campaigns.

    Eligibility (is this person a respondent, is ``team`` theirs, is ``subject`` in the
    target) is checked by the caller through ``evaluation.selectors``."""
    if campaign.anonymous:
        raise ValueError("anonymous campaigns keep drafts in Participation")
    mode = campaign.mode
    if mode == Campaign.Mode.TEAM and team is None:
        raise ValueError("a team response needs the team")
    if campaign.is_assessment and subject is None:
        raise ValueError("an assessment needs its subject")
    key = response_key(campaign, user=acting_user, team=team, subject=subject)
    existing = Response.objects.filter(campaign=campaign, key=key).first()
    if existing is not None:
        return existing
    ensure_open(campaign)
    fields = {"organisation": campaign.organisation, "campaign": campaign, "key": key}
    fields["version"] = campaign.version
    if mode == Campaign.Mode.TEAM:
        fields["team"] = team
    elif mode == Campaign.Mode.PERSON:
        fields["respondent"] = acting_user
    elif mode == Campaign.Mode.ASSESS_TEAM:
        fields["subject_team"] = subject
    else:
        fields["subject_user"] = subject
    try:
        with transaction.atomic():
            return Response.objects.create(updated_at=timezone.now(), **fields)
    except IntegrityError:  # two members of a team started it at the same moment
        return Response.objects.get(campaign=campaign, key=key)


def stored_values(response: Response) -> dict[str, AnswerValue]:
    """{field name: value} of the answers stored for ``response``."""
    answers = response.answers.select_related("question", "criterion").prefetch_related(
        "question__choices"
    )
    return {
        field_name(answer.question_id, answer.criterion_id): AnswerValue.from_answer(answer)
        for answer in answers
    }


def _person(user):
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def save_answers(*, response: Response, values: list[AnswerValue], acting_user) -> SaveResult:
    """Store the values that changed; refuse invalid ones (errors by field), keep the
    stored answer where someone else changed it meanwhile (conflicts)."""
    response = Response.objects.select_for_update().select_related("campaign").get(pk=response.pk)
    ensure_open(response.campaign)
    shared = not response.is_anonymous
    existing = {
        (answer.question_id, answer.criterion_id): answer
        for answer in response.answers.select_for_update()
    }
    now = timezone.now()
    result = SaveResult()
    changes = []
    for value in values:
        if value.question.version_id != response.version_id:
            raise ValueError("answer to a question of another version")
        errors = validate(value)
        if errors:
            result.errors[value.name] = errors
            continue
        current = existing.get((value.question.pk, value.criterion.pk if value.criterion else None))
        before = AnswerValue.from_answer(current) if current else None
        if value.same_as(before):
            continue
        current_revision = current.revision if current else 0
        if before is not None and current_revision != value.seen_revision:
            result.conflicts.append(
                Conflict(mine=value, theirs=before, by=current.updated_by, at=current.updated_at)
            )
            continue
        if value.is_empty:
            current.delete()
        elif current is None:
            Answer.objects.create(
                organisation=response.organisation,
                response=response,
                question=value.question,
                criterion=value.criterion,
                number=value.number,
                choices=value.choices,
                text=value.text,
                date=value.date,
                comment=value.comment,
                revision=1,
                updated_at=now if shared else None,
                updated_by=_person(acting_user) if shared else None,
            )
        else:
            current.number = value.number
            current.choices = value.choices
            current.text = value.text
            current.date = value.date
            current.comment = value.comment
            current.revision = current_revision + 1
            current.updated_at = now
            current.updated_by = _person(acting_user)
            current.save()
        result.saved.append(value)
        changes.append(
            AnswerChange(
                organisation=response.organisation,
                response=response,
                question=value.question,
                criterion=value.criterion,
                user=_person(acting_user),
                before=before.as_json() if before else {},
                after=value.as_json(),
            )
        )
    if result.saved:
        AnswerChange.objects.bulk_create(changes)
        response.updated_at = now
        response.save(update_fields=["updated_at"])
    return result


def missing_required(version: QuestionnaireVersion, values: dict[str, AnswerValue]) -> dict:
    """{field name: French message} for each required answer missing, among the
    questions shown (a question hidden by its condition is never required)."""
    questions = list(
        version.questions.select_related("condition_question").prefetch_related("criteria")
    )
    by_question = {
        value.question.pk: value
        for value in values.values()
        if value.criterion is None and value.has_answer
    }
    missing = {}
    for question in questions:
        if not question.required or not condition_met(question, by_question):
            continue
        if question.kind == QuestionKind.GRID:
            for criterion in question.criteria.all():
                name = field_name(question, criterion)
                if name not in values or not values[name].has_answer:
                    missing[name] = _("Choisissez un niveau pour ce critère.")
        elif question.pk not in by_question:
            missing[field_name(question)] = _("Cette réponse est obligatoire.")
    return missing


@transaction.atomic
def submit_response(*, response: Response, acting_user) -> Response:
    """Send a response (its answers are already saved). Raises a ValidationError by
    field when a required answer is missing; the answers stay saved either way."""
    response = (
        Response.objects.select_for_update()
        .select_related("campaign", "version")
        .get(pk=response.pk)
    )
    ensure_open(response.campaign)
    missing = missing_required(response.version, stored_values(response))
    if missing:
        raise ValidationError(missing)
    if response.is_submitted:
        return response
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = _person(acting_user)
    response.save(update_fields=["status", "submitted_at", "submitted_by"])
    record(
        organisation=response.organisation,
        actor=acting_user,
        action=Action.RESPONSE_SUBMITTED,
        target=str(response.campaign),
        campaign=response.campaign_id,
    )
    return response


# --- Anonymous campaigns ---------------------------------------------------------------


def participation_for(campaign: Campaign, user) -> Participation | None:
    return Participation.objects.filter(campaign=campaign, user=user).first()


def draft_values(participation: Participation | None, version) -> dict[str, AnswerValue]:
    """The anonymous draft of a person, as values ({field name: value})."""
    if participation is None or not participation.draft:
        return {}
    questions = {
        question.pk: question
        for question in version.questions.prefetch_related("criteria", "choices")
    }
    values = {}
    for name, data in participation.draft.items():
        question_id, _sep, criterion_part = name[1:].partition("_c")
        question = questions.get(int(question_id))
        if question is None:
            continue
        criterion = None
        if criterion_part:
            criterion = next(
                (c for c in question.criteria.all() if c.pk == int(criterion_part)), None
            )
            if criterion is None:
                continue
        values[name] = AnswerValue.from_json(question, criterion, data)
    return values


@transaction.atomic
def save_anonymous_draft(
    *, campaign: Campaign, user, values: list[AnswerValue]
) -> tuple[Participation, dict[str, list[str]]]:
    """Keep a person's answers to an anonymous campaign as a draft, with them, until
    they send it. Returns the participation and the errors of refused values."""
    ensure_open(campaign)
    participation, _created = Participation.objects.select_for_update().get_or_create(
        campaign=campaign, user=user, defaults={"organisation": campaign.organisation}
    )
    if participation.submitted_at is not None:
        raise ValidationError(
            _(
                "Vous avez déjà répondu. Vos réponses sont anonymes : plus rien ne les relie "
                "à vous, elles ne peuvent donc plus être modifiées."
            )
        )
    errors = {}
    draft = dict(participation.draft)
    for value in values:
        problems = validate(value)
        if problems:
            errors[value.name] = problems
        elif value.is_empty:
            draft.pop(value.name, None)
        else:
            draft[value.name] = value.as_json()
    participation.draft = draft
    participation.save(update_fields=["draft"])
    return participation, errors


@transaction.atomic
def submit_anonymous(*, campaign: Campaign, user) -> None:
    """Send a person's anonymous draft: its answers go into a response that names no
    one (random ids, the day only), the participation records that they answered, and
    the draft is emptied. Raises a ValidationError by field when a required answer is
    missing (the draft stays)."""
    ensure_open(campaign)
    participation = (
        Participation.objects.select_for_update().filter(campaign=campaign, user=user).first()
    )
    if participation is not None and participation.submitted_at is not None:
        raise ValidationError(_("Vous avez déjà répondu à ce questionnaire."))
    values = draft_values(participation, campaign.version)
    missing = missing_required(campaign.version, values)
    if missing:
        raise ValidationError(missing)
    if participation is None:  # nothing required and nothing answered
        participation = Participation.objects.create(
            organisation=campaign.organisation, campaign=campaign, user=user
        )
    today = timezone.now().astimezone(UTC).date()
    response = Response.objects.create(
        organisation=campaign.organisation,
        campaign=campaign,
        version=campaign.version,
        key=f"anonymous:{uuid.uuid4().hex}",
        status=Response.Status.SUBMITTED,
        submitted_at=datetime.combine(today, time(0), UTC),
    )
    Answer.objects.bulk_create(
        [
            Answer(
                organisation=campaign.organisation,
                response=response,
                question=value.question,
                criterion=value.criterion,
                number=value.number,
                choices=value.choices,
                text=value.text,
                date=value.date,
                comment=value.comment,
            )
            for value in values.values()
        ]
    )
    participation.submitted_at = timezone.now()
    participation.draft = {}
    participation.save(update_fields=["submitted_at", "draft"])


def visible_questions(version: QuestionnaireVersion, values: dict[str, AnswerValue]):
    """The questions shown given ``values`` (conditions applied), in order."""
    by_question = {
        value.question.pk: value
        for value in values.values()
        if value.criterion is None and value.has_answer
    }
    return [
        question
        for question in version.questions.select_related("condition_question", "section")
        if condition_met(question, by_question)
    ]


__all__ = [
    "Conflict",
    "SaveResult",
    "draft_values",
    "ensure_open",
    "missing_required",
    "participation_for",
    "response_key",
    "save_anonymous_draft",
    "save_answers",
    "start_response",
    "stored_values",
    "submit_anonymous",
    "submit_response",
    "visible_questions",
]
