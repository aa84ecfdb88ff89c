"""Results of campaigns: distributions per question, satisfaction rates, progression
T0 → T1 → T2 of each team with the cohort's average, self vs coach assessments.

Everything here reads prefetched or aggregated rows: the number of queries depends on
neither the number of responses nor the number of teams. Only *sent* responses count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from evaluation import selectors
from evaluation.models import (
    SATISFACTION_MOMENTS,
    TEXT_KINDS,
    Answer,
    Campaign,
    Moment,
    Question,
    QuestionKind,
    Response,
)
from sillon.figures import mean as format_mean
from sillon.figures import percent as format_percent
from sillon.figures import rate_with_n

SUBMITTED = Response.Status.SUBMITTED


# --- Satisfaction ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A satisfaction rate: ``satisfied`` answers in the two best levels out of ``n``."""

    satisfied: int
    n: int

    @property
    def share(self) -> float:
        return self.satisfied / self.n

    @property
    def percent(self) -> str:
        return format_percent(self.share)

    def __str__(self) -> str:
        return rate_with_n(self.share, self.n)


def best_levels(question: Question) -> set[int]:
    """The two best levels of a satisfaction question: the top two values of a scale,
    the two highest choice values of a single choice (``question.choices`` prefetched)."""
    if question.kind == QuestionKind.SCALE:
        return {question.scale_max, question.scale_max - 1}
    if question.kind == QuestionKind.SINGLE:
        values = sorted((choice.value for choice in question.choices.all()), reverse=True)
        return set(values[:2])
    return set()


def _counts_toward_satisfaction(question: Question) -> bool:
    """A satisfaction scale or single choice; never a confidential question, whose
    answers feed no shared figure (a rate of a small group would give them away)."""
    return (
        question.satisfaction
        and not question.confidential
        and question.kind in (QuestionKind.SCALE, QuestionKind.SINGLE)
    )


def external_rate(campaign: Campaign) -> Rate | None:
    """The satisfaction rate an external evaluation's coordinator recorded, over its
    respondents (None without both)."""
    if not campaign.external or campaign.external_satisfaction is None:
        return None
    if not campaign.external_respondents:
        return None
    n = campaign.external_respondents
    return Rate(float(campaign.external_satisfaction) * n / 100, n)


def _level(question: Question, number, choices) -> int | None:
    """The level an answer gives: its number, or (a single choice stored by id only)
    the value of its chosen choice."""
    if number is not None:
        return int(number)
    if choices:
        by_id = {choice.pk: choice.value for choice in question.choices.all()}
        return by_id.get(choices[0])
    return None


def _rate_from_counts(questions: dict[int, Question], counts) -> Rate | None:
    """``counts``: (question id, number, choices, how many) rows of answers."""
    satisfied = total = 0
    for question_id, number, choices, how_many in counts:
        question = questions.get(question_id)
        if question is None or not _counts_toward_satisfaction(question):
            continue
        level = _level(question, number, choices)
        if level is None:
            continue
        total += how_many
        if level in best_levels(question):
            satisfied += how_many
    return Rate(satisfied, total) if total else None


def satisfaction_rate(answers: Iterable) -> Rate | None:
    """The share of ``answers`` (objects with ``question``, ``number``, ``choices``) in
    the two best levels of their question, among the questions flagged ``satisfaction``;
    None when no such answer exists."""
    answers = list(answers)
    questions = {answer.question.pk: answer.question for answer in answers}
    return _rate_from_counts(
        questions,
        ((a.question.pk, a.number, list(a.choices or []), 1) for a in answers),
    )


def combine(rates: Iterable[Rate | None]) -> Rate | None:
    satisfied = total = 0
    for rate in rates:
        if rate is not None:
            satisfied += rate.satisfied
            total += rate.n
    return Rate(satisfied, total) if total else None


def satisfaction_by_campaign(
    campaigns: list[Campaign], questions: Iterable[Question] | None = None
) -> dict[int, Rate | None]:
    """{campaign id: its satisfaction rate} in three queries; one when ``questions``
    holds their versions' questions already read (choices prefetched)."""
    ids = [campaign.pk for campaign in campaigns]
    versions = {campaign.version_id for campaign in campaigns if campaign.version_id}
    if questions is None:
        questions = Question.objects.filter(
            version__in=versions, satisfaction=True, confidential=False
        ).prefetch_related("choices")
    questions = {
        question.pk: question
        for question in questions
        if question.version_id in versions and question.satisfaction and not question.confidential
    }
    # Only the campaigns whose version asks a satisfaction question, and only the
    # answers to those questions (by id: no join on the questions).
    with_questions = {question.version_id for question in questions.values()}
    counts = (
        Answer.objects.filter(
            response__campaign__in=[
                campaign.pk for campaign in campaigns if campaign.version_id in with_questions
            ],
            response__status=SUBMITTED,
            question__in=list(questions),
            criterion__isnull=True,
        )
        .values_list("response__campaign_id", "question_id", "number", "choices")
        .annotate(how_many=Count("pk"))
        .order_by()
    )
    by_campaign: dict[int, list] = defaultdict(list)
    for campaign_id, question_id, number, choices, how_many in counts:
        by_campaign[campaign_id].append((question_id, number, choices, how_many))
    rates = {pk: _rate_from_counts(questions, by_campaign.get(pk, [])) for pk in ids}
    # External evaluations count like any other, from their recorded figures.
    for campaign in campaigns:
        if campaign.external:
            rates[campaign.pk] = external_rate(campaign)
    return rates


@dataclass
class SessionSatisfaction:
    session: object
    rate: Rate | None


@dataclass
class ProgrammeSatisfaction:
    sessions: list[SessionSatisfaction]
    # Campaigns of the programme at the moments "à chaud" and "à froid".
    programme: Rate | None
    hot: Rate | None
    cold: Rate | None


def programme_satisfaction(campaigns: list[Campaign]) -> ProgrammeSatisfaction:
    """Satisfaction per session (all launched campaigns of each session) and for the
    programme (its campaigns à chaud and à froid), from the launched ``campaigns`` of
    one programme (``session`` loaded)."""
    campaigns = [c for c in campaigns if c.status == Campaign.Status.LAUNCHED]
    rates = satisfaction_by_campaign(campaigns)
    per_session: dict[int, list] = {}
    sessions = {}
    for campaign in campaigns:
        if campaign.session_id:
            sessions[campaign.session_id] = campaign.session
            per_session.setdefault(campaign.session_id, []).append(rates[campaign.pk])
    ordered = sorted(sessions.values(), key=lambda session: (session.starts_at, session.pk))
    return ProgrammeSatisfaction(
        sessions=[SessionSatisfaction(s, combine(per_session[s.pk])) for s in ordered],
        programme=combine(rates[c.pk] for c in campaigns if c.moment in SATISFACTION_MOMENTS),
        hot=combine(rates[c.pk] for c in campaigns if c.moment == Moment.HOT),
        cold=combine(rates[c.pk] for c in campaigns if c.moment == Moment.COLD),
    )


# --- Campaign results ---------------------------------------------------------------------


@dataclass
class TextAnswer:
    text: str
    # Who wrote it, only where names may be shown (else "").
    author: str = ""


@dataclass
class CriterionResult:
    criterion: object
    rows: list[tuple[str, int]] = field(default_factory=list)
    answered: int = 0
    mean: float | None = None
    comments: list[TextAnswer] = field(default_factory=list)
    # How many comments there are (``comments`` may hold only the first ones).
    comment_count: int = 0

    @property
    def mean_text(self) -> str:
        return "" if self.mean is None else format_mean(self.mean)


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[tuple[str, int]] = field(default_factory=list)
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    texts: list[TextAnswer] = field(default_factory=list)
    # How many texts there are (``texts`` may hold only the first ones).
    text_count: int = 0
    criteria: list[CriterionResult] = field(default_factory=list)
    satisfaction: Rate | None = None
    # A confidential question for someone who may not read it: only ``answered``.
    withheld: bool = False

    @property
    def mean_text(self) -> str:
        """« 3,25 / 5 » for a scale, « 3,25 » otherwise, « » without a mean."""
        if self.mean is None:
            return ""
        scale = self.question.scale_max if self.question.kind == QuestionKind.SCALE else None
        return format_mean(self.mean, scale)

    @property
    def charted(self) -> bool:
        if self.withheld:
            return False
        return self.question.kind in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.SCALE,
            QuestionKind.YES_NO,
        )


@dataclass
class CampaignResults:
    campaign: Campaign
    questions: list[QuestionResult]
    submitted: int
    expected: int | None
    satisfaction: Rate | None
    # An anonymous campaign under its threshold: nothing but the number of answers.
    withheld: bool = False

    @property
    def threshold(self) -> int:
        return self.campaign.anonymity_threshold

    @property
    def response_rate(self) -> Rate | None:
        """Responses received over responses expected."""
        if not self.expected:
            return None
        return Rate(min(self.submitted, self.expected), self.expected)


def single_answers_hidden(campaign: Campaign, submitted: int) -> bool:
    """Whether an anonymous campaign's answers may not be read one by one: while it is
    not closed (a new answer would point at whoever just answered), and under its
    threshold."""
    if not campaign.anonymous:
        return False
    return campaign.state != "closed" or results_withheld(campaign, submitted)


def results_withheld(campaign: Campaign, submitted: int) -> bool:
    """Whether an anonymous campaign has too few answers to show any result: under
    its ``anonymity_threshold`` (5 by default, never under 3), a chart or a free text
    could point at the one who wrote it."""
    return campaign.anonymous and submitted < campaign.anonymity_threshold


def expected_count(campaign: Campaign) -> int:
    """How many responses the campaign waits for: one per target team, person or
    subject."""
    if campaign.mode in (Campaign.Mode.TEAM, Campaign.Mode.ASSESS_TEAM):
        return selectors.target_teams(campaign).count()
    return selectors.target_people(campaign).count()


def _mean(counter: dict[float, int]) -> float | None:
    total = sum(counter.values())
    if not total:
        return None
    return sum(value * how_many for value, how_many in counter.items()) / total


def _label_of(row: dict, mode: str) -> str:
    """Who a response stands for, from the values of the text query."""
    if mode == Campaign.Mode.TEAM:
        return row["response__team__name"] or ""
    if mode == Campaign.Mode.ASSESS_TEAM:
        return row["response__subject_team__name"] or ""
    prefix = "response__respondent" if mode == Campaign.Mode.PERSON else "response__subject_user"
    name = f"{row[prefix + '__first_name'] or ''} {row[prefix + '__last_name'] or ''}".strip()
    return name or row[prefix + "__email"] or ""


def campaign_results(
    campaign: Campaign,
    *,
    with_authors: bool = False,
    sees_confidential: bool = False,
    text_limit: int | None = None,
) -> CampaignResults:
    """Per question of the campaign's version, in order: the distribution of the sent
    answers, their number, the mean (scales, numbers, grids, per criterion for grids),
    the free-text answers. ``with_authors`` names who wrote each text (never for an
    anonymous campaign); ``sees_confidential`` (coordinators) reads the confidential
    questions, which otherwise give only their number of answers; ``text_limit`` keeps
    only the first texts of each question (and comments of each criterion), their number
    being given. An anonymous campaign under its threshold gives nothing but its number
    of answers; its texts come in alphabetical order, never in the order they were
    sent. An external evaluation gives its recorded figures. At most nine queries,
    whatever the number of responses."""
    if campaign.external:
        return CampaignResults(
            campaign,
            [],
            campaign.external_respondents or 0,
            campaign.external_invited,
            external_rate(campaign),
        )
    with_authors = with_authors and not campaign.anonymous
    submitted = Response.objects.filter(campaign=campaign, status=SUBMITTED).count()
    expected = expected_count(campaign) if campaign.status == Campaign.Status.LAUNCHED else None
    if results_withheld(campaign, submitted):
        return CampaignResults(campaign, [], submitted, expected, None, withheld=True)
    if campaign.version_id is None:
        return CampaignResults(campaign, [], submitted, expected, None)
    questions = list(
        Question.objects.filter(version=campaign.version_id)
        .select_related("section")
        .prefetch_related("choices", "criteria")
    )
    by_id = {question.pk: question for question in questions}
    answers = Answer.objects.filter(response__campaign=campaign, response__status=SUBMITTED)
    ids_of = defaultdict(list)
    for question in questions:
        ids_of[question.kind].append(question.pk)
    text_ids = [pk for kind in TEXT_KINDS for pk in ids_of[kind]]
    date_ids = ids_of[QuestionKind.DATE]
    # What counts as written: a text, a date, a comment (questions of the version only:
    # answers to other questions are never shown).
    written_q = (
        (Q(question__in=text_ids) & ~Q(text=""))
        | Q(question__in=date_ids, date__isnull=False)
        | ~Q(comment="")
    )

    # One pass over the answers, counted by the database per question, criterion,
    # number and chosen choices: numbers (scale values, grid levels, yes = 1 / no = 0,
    # single choice values, numbers), chosen choices (multiple choices, and single
    # choices stored by id only) and how many texts, dates and comments.
    multiple_ids = set(ids_of[QuestionKind.MULTIPLE])
    single_ids = set(ids_of[QuestionKind.SINGLE])
    numbers: dict[tuple[int, int | None], dict[float, int]] = defaultdict(dict)
    chosen: dict[int, list[tuple[list[int], int]]] = defaultdict(list)
    text_counts: dict[tuple[int, int | None], int] = defaultdict(int)
    for question_id, criterion_id, number, choices, how_many, written_count in (
        answers.values_list("question_id", "criterion_id", "number", "choices")
        .annotate(how_many=Count("pk"), written=Count("pk", filter=written_q))
        .order_by()
    ):
        key = (question_id, criterion_id)
        if number is not None:
            counted = numbers[key]
            counted[number] = counted.get(number, 0) + how_many
        if choices and (
            question_id in multiple_ids or (question_id in single_ids and number is None)
        ):
            chosen[question_id].append((list(choices), how_many))
        if written_count:
            text_counts[key] += written_count

    # Texts, dates and comments, in the order responses were sent (anonymous ones in
    # alphabetical order: their order must not tell who answered last).
    text_fields = ["question_id", "criterion_id", "text", "date", "comment"]
    if with_authors:
        text_fields += [
            "response__team__name",
            "response__subject_team__name",
            *(
                f"{who}__{part}"
                for who in ("response__respondent", "response__subject_user")
                for part in ("first_name", "last_name", "email")
            ),
        ]
    written = answers.filter(written_q)
    order = (
        ["text", "date", "comment", "response_id"]
        if campaign.anonymous
        else ["response__submitted_at", "response_id"]
    )
    has_texts = any(
        q.kind in (*TEXT_KINDS, QuestionKind.DATE, QuestionKind.GRID) for q in questions
    )
    text_query = written
    if text_limit is not None:
        # The first ``text_limit`` of each question (criterion), in one query.
        text_query = text_query.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("question_id"), F("criterion_id")],
                order_by=[F(name).asc() for name in order],
            )
        ).filter(rank__lte=text_limit)
    text_query = text_query.values(*text_fields).order_by(*order)
    texts: dict[tuple[int, int | None], list[TextAnswer]] = defaultdict(list)
    comments: dict[tuple[int, int | None], list[TextAnswer]] = defaultdict(list)
    for row in text_query if has_texts else ():
        author = _label_of(row, campaign.mode) if with_authors else ""
        key = (row["question_id"], row["criterion_id"])
        question = by_id.get(row["question_id"])
        if question is None or (question.confidential and not sees_confidential):
            continue
        if question.kind in TEXT_KINDS and row["text"].strip():
            texts[key].append(TextAnswer(row["text"], author))
        elif question.kind == QuestionKind.DATE and row["date"]:
            texts[key].append(TextAnswer(row["date"].strftime("%d/%m/%Y"), author))
        if row["comment"].strip():
            comments[key].append(TextAnswer(row["comment"], author))

    results = []
    for question in questions:
        result = QuestionResult(question=question)
        counted = numbers.get((question.pk, None), {})
        kind = question.kind
        if kind == QuestionKind.SCALE:
            for value in question.scale_values:
                label = str(value)
                if value == question.scale_min and question.min_label:
                    label = f"{value} — {question.min_label}"
                elif value == question.scale_max and question.max_label:
                    label = f"{value} — {question.max_label}"
                result.rows.append((label, counted.get(float(value), 0)))
            result.answered = sum(counted.values())
            result.mean = _mean(counted)
        elif kind == QuestionKind.YES_NO:
            result.rows = [(_("Oui"), counted.get(1.0, 0)), (_("Non"), counted.get(0.0, 0))]
            result.answered = sum(counted.values())
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = list(question.choices.all())
            tally = dict.fromkeys((choice.pk for choice in choices), 0)
            value_to_id = {choice.value: choice.pk for choice in choices}
            if kind == QuestionKind.SINGLE:
                for value, how_many in counted.items():
                    choice_id = value_to_id.get(int(value))
                    if choice_id is not None:
                        tally[choice_id] += how_many
                result.answered = sum(counted.values())
            for picked, how_many in chosen.get(question.pk, []):
                for choice_id in set(picked):
                    if choice_id in tally:
                        tally[choice_id] += how_many
                result.answered += how_many
            result.rows = [(choice.label, tally[choice.pk]) for choice in choices]
        elif kind == QuestionKind.NUMBER:
            result.answered = sum(counted.values())
            result.mean = _mean(counted)
            if counted:
                result.minimum, result.maximum = min(counted), max(counted)
        elif kind == QuestionKind.GRID:
            levels = list(question.choices.all())
            for criterion in question.criteria.all():
                level_counts = numbers.get((question.pk, criterion.pk), {})
                result.criteria.append(
                    CriterionResult(
                        criterion=criterion,
                        rows=[
                            (f"{level.value} · {level.label}", level_counts.get(level.value, 0))
                            for level in levels
                        ],
                        answered=sum(level_counts.values()),
                        mean=_mean(level_counts),
                        comments=comments.get((question.pk, criterion.pk), []),
                        comment_count=text_counts.get((question.pk, criterion.pk), 0),
                    )
                )
            result.answered = max((c.answered for c in result.criteria), default=0)
        if kind in (*TEXT_KINDS, QuestionKind.DATE):
            result.texts = texts.get((question.pk, None), [])
            result.text_count = text_counts.get((question.pk, None), 0)
            result.answered = result.text_count
        if kind != QuestionKind.GRID:
            result.texts += comments.get((question.pk, None), [])
        if _counts_toward_satisfaction(question):
            result.satisfaction = _rate_from_counts(
                by_id,
                [(question.pk, number, [], how_many) for number, how_many in counted.items()]
                + [(question.pk, None, picked, n) for picked, n in chosen.get(question.pk, [])],
            )
        if question.confidential and not sees_confidential:
            # « n réponses » only: no distribution, mean, text or comment.
            result = QuestionResult(question=question, answered=result.answered, withheld=True)
        elif campaign.anonymous:
            result.texts.sort(key=lambda answer: answer.text.casefold())
            for criterion_result in result.criteria:
                criterion_result.comments.sort(key=lambda answer: answer.text.casefold())
        results.append(result)
    satisfaction = combine(result.satisfaction for result in results)
    return CampaignResults(campaign, results, submitted, expected, satisfaction)
