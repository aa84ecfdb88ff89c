"""Results of campaigns: distributions per question, satisfaction rates, progression
T0 → T1 → T2 of each team with the cohort's average, self vs coach assessments.

Everything here reads prefetched or aggregated rows: the number of queries depends on
neither the number of responses nor the number of teams. Only *sent* responses count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from evaluation import selectors
from evaluation.models import (
    PROGRESSION_MOMENTS,
    SATISFACTION_MOMENTS,
    TEXT_KINDS,
    Answer,
    Campaign,
    Moment,
    Question,
    QuestionKind,
    Response,
)
from sillon.charts import format_percent

SUBMITTED = Response.Status.SUBMITTED
MOMENT_SHORT = {Moment.T0: "T0", Moment.T1: "T1", Moment.T2: "T2"}


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
        return f"{self.percent} (n = {self.n})"


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
    return question.satisfaction and question.kind in (QuestionKind.SCALE, QuestionKind.SINGLE)


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


def satisfaction_by_campaign(campaigns: list[Campaign]) -> dict[int, Rate | None]:
    """{campaign id: its satisfaction rate} in three queries."""
    ids = [campaign.pk for campaign in campaigns]
    versions = {campaign.version_id for campaign in campaigns if campaign.version_id}
    questions = {
        question.pk: question
        for question in Question.objects.filter(
            version__in=versions, satisfaction=True
        ).prefetch_related("choices")
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
    return {pk: _rate_from_counts(questions, by_campaign.get(pk, [])) for pk in ids}


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

    @property
    def charted(self) -> bool:
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
    campaign: Campaign, *, with_authors: bool = False, text_limit: int | None = None
) -> CampaignResults:
    """Per question of the campaign's version, in order: the distribution of the sent
    answers, their number, the mean (scales, numbers, grids, per criterion for grids),
    the free-text answers. ``with_authors`` names who wrote each text (never for an
    anonymous campaign); ``text_limit`` keeps only the first texts of each question (and
    comments of each criterion), their number being given. At most nine queries,
    whatever the number of responses."""
    with_authors = with_authors and not campaign.anonymous
    submitted = Response.objects.filter(campaign=campaign, status=SUBMITTED).count()
    expected = expected_count(campaign) if campaign.status == Campaign.Status.LAUNCHED else None
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
    # the order of their random ids).
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
    order = ["response_id"] if campaign.anonymous else ["response__submitted_at", "response_id"]
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
        if question is None:
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
        results.append(result)
    satisfaction = combine(result.satisfaction for result in results)
    return CampaignResults(campaign, results, submitted, expected, satisfaction)


# --- Progression T0 → T1 → T2 -----------------------------------------------------------------

CriterionKey = tuple[str, str]  # (Question.key, Criterion.key), stable across versions


@dataclass
class CriterionInfo:
    key: CriterionKey
    label: str
    question_label: str
    descriptors: list[str]
    levels: dict[int, str]  # level value -> level label

    def descriptor(self, level: float | None) -> str:
        if level is None or not float(level).is_integer():
            return ""
        index = int(level) - 1
        return self.descriptors[index] if 0 <= index < len(self.descriptors) else ""

    def level_label(self, level: float | None) -> str:
        if level is None or not float(level).is_integer():
            return ""
        return self.levels.get(int(level), "")


Levels = dict[CriterionKey, dict[str, float | None]]  # criterion -> moment -> level


def _empty_levels() -> Levels:
    return defaultdict(dict)


@dataclass
class Family:
    """The progression of one questionnaire (campaigns at T0 / T1 / T2 answered by
    teams), with the coaches' assessments paired with them."""

    questionnaire: object
    campaigns: list[Campaign] = field(default_factory=list)
    coach_campaigns: list[Campaign] = field(default_factory=list)
    moments: list[str] = field(default_factory=list)
    criteria: list[CriterionInfo] = field(default_factory=list)
    max_level: int = 0
    teams: dict[int, Levels] = field(default_factory=lambda: defaultdict(_empty_levels))
    coach: dict[int, Levels] = field(default_factory=lambda: defaultdict(_empty_levels))
    # The cohort's averages counted by the database (when ``teams`` holds one team).
    averages: Levels | None = None

    @property
    def has_coach(self) -> bool:
        return bool(self.coach_campaigns)

    def cohort(self) -> Levels:
        """The cohort's average level per criterion and moment (teams with a level)."""
        if self.averages is not None:
            return defaultdict(
                dict,
                {
                    info.key: {m: self.averages.get(info.key, {}).get(m) for m in self.moments}
                    for info in self.criteria
                },
            )
        averages: Levels = defaultdict(dict)
        for info in self.criteria:
            for moment in self.moments:
                values = [
                    levels[info.key][moment]
                    for levels in self.teams.values()
                    if levels.get(info.key, {}).get(moment) is not None
                ]
                averages[info.key][moment] = sum(values) / len(values) if values else None
        return averages

    def level(self, team_id: int, key: CriterionKey, moment: str) -> float | None:
        return self.teams.get(team_id, {}).get(key, {}).get(moment)

    def coach_level(self, team_id: int, key: CriterionKey, moment: str) -> float | None:
        return self.coach.get(team_id, {}).get(key, {}).get(moment)


@dataclass
class PersonPair:
    """A trainer's assessment of participants paired with their own self-assessment."""

    self_campaign: Campaign
    coach_campaign: Campaign
    criteria: list[CriterionInfo] = field(default_factory=list)
    own: dict[int, dict[CriterionKey, float]] = field(default_factory=lambda: defaultdict(dict))
    coach: dict[int, dict[CriterionKey, float]] = field(default_factory=lambda: defaultdict(dict))


@dataclass
class Progression:
    families: list[Family]
    person_pairs: list[PersonPair]


def _pair_of(campaign: Campaign, by_id: dict[int, Campaign]) -> Campaign | None:
    """The campaign paired with ``campaign``, in either direction."""
    if campaign.paired_with_id and campaign.paired_with_id in by_id:
        return by_id[campaign.paired_with_id]
    for other in by_id.values():
        if other.paired_with_id == campaign.pk:
            return other
    return None


def _criteria_infos(campaigns: list[Campaign], grids: dict[int, list[Question]]):
    """Criteria in the order of the first campaign's version, later versions' new ones
    after; labels and descriptors from the latest version that has them."""
    infos: dict[CriterionKey, CriterionInfo] = {}
    max_level = 0
    for campaign in campaigns:
        for question in grids.get(campaign.version_id, []):
            levels = {choice.value: choice.label for choice in question.choices.all()}
            max_level = max([max_level, *levels])
            for criterion in question.criteria.all():
                key = (question.key, criterion.key)
                infos[key] = CriterionInfo(
                    key=key,
                    label=criterion.label,
                    question_label=question.label,
                    descriptors=list(criterion.descriptors or []),
                    levels=levels,
                )
    return infos, max_level


def _same_grid(one, other) -> bool:
    """Whether two questionnaires hold the same grid for progression: one and the same,
    or a copy of the other, or copies of the same one (copies keep the keys of their
    questions and criteria)."""
    if one.pk == other.pk:
        return True
    if one.copied_from_id is not None and one.copied_from_id in (other.pk, other.copied_from_id):
        return True
    return other.copied_from_id == one.pk


def programme_progression(programme, *, team_id: int | None = None) -> Progression:
    """The progression of every team of ``programme`` between T0, T1 and T2 on each
    maturity grid answered by teams, the coaches' levels beside them where an
    assessment is paired, and trainers' assessments of participants paired with the
    participants' own. Five queries; six with ``team_id``, which keeps the levels of
    that team only (the cohort's averages stay those of every team). A call's T0
    self-diagnostic counts as the T0 of the teams its applications became."""
    campaigns = list(
        Campaign.objects.filter(
            programme=programme, status=Campaign.Status.LAUNCHED, version__isnull=False
        )
        .select_related("questionnaire")
        .order_by("opens_at", "pk")
    )
    by_id = {campaign.pk: campaign for campaign in campaigns}
    grids: dict[int, list[Question]] = defaultdict(list)
    for question in (
        Question.objects.filter(
            version__in={c.version_id for c in campaigns}, kind=QuestionKind.GRID
        )
        .prefetch_related("criteria", "choices")
        .order_by("section__order", "order", "pk")
    ):
        grids[question.version_id].append(question)
    campaigns = [c for c in campaigns if grids.get(c.version_id)]
    moment_order = {moment: index for index, moment in enumerate(PROGRESSION_MOMENTS)}

    families: dict[int, Family] = {}

    def in_order(campaign: Campaign):
        return (moment_order[campaign.moment], campaign.opens_at, campaign.pk)

    answered_by_teams = sorted(
        (c for c in campaigns if c.mode == Campaign.Mode.TEAM and c.moment in moment_order),
        key=in_order,
    )
    for campaign in answered_by_teams:
        if campaign.call_id is None:
            family = families.setdefault(
                campaign.questionnaire_id, Family(questionnaire=campaign.questionnaire)
            )
            family.campaigns.append(campaign)
    # A call's T0 self-diagnostic is the T0 of the teams its applications became: it
    # joins the programme's campaigns of the same grid (that questionnaire or a copy).
    for campaign in answered_by_teams:
        if campaign.call_id is None:
            continue
        family = next(
            (f for f in families.values() if _same_grid(f.questionnaire, campaign.questionnaire)),
            None,
        )
        if family is None:
            family = families.setdefault(
                campaign.questionnaire_id, Family(questionnaire=campaign.questionnaire)
            )
        family.campaigns.append(campaign)
        family.campaigns.sort(key=in_order)
    # Coach assessments of teams: with the family of their pair (at the pair's moment),
    # or, unpaired, with the family of the same questionnaire (at their own moment).
    coach_moment: dict[int, tuple[Family, str]] = {}
    for campaign in campaigns:
        if campaign.mode != Campaign.Mode.ASSESS_TEAM:
            continue
        pair = _pair_of(campaign, by_id)
        if pair is not None and pair.questionnaire_id in families:
            family, moment = families[pair.questionnaire_id], pair.moment
        elif pair is None and campaign.questionnaire_id in families:
            family, moment = families[campaign.questionnaire_id], campaign.moment
        else:
            continue
        if moment in moment_order:
            family.coach_campaigns.append(campaign)
            coach_moment[campaign.pk] = (family, moment)
    self_moment = {c.pk: (f, c.moment) for f in families.values() for c in f.campaigns}

    pairs: list[PersonPair] = []
    person_side: dict[int, tuple[PersonPair, str]] = {}
    for campaign in campaigns:
        if campaign.mode != Campaign.Mode.ASSESS_PERSON:
            continue
        pair = _pair_of(campaign, by_id)
        if pair is None or pair.mode != Campaign.Mode.PERSON or pair.anonymous:
            continue
        person_pair = PersonPair(self_campaign=pair, coach_campaign=campaign)
        infos, _max = _criteria_infos([pair, campaign], grids)
        person_pair.criteria = list(infos.values())
        pairs.append(person_pair)
        person_side[pair.pk] = (person_pair, "own")
        person_side[campaign.pk] = (person_pair, "coach")

    for family in families.values():
        infos, family.max_level = _criteria_infos(family.campaigns + family.coach_campaigns, grids)
        family.criteria = list(infos.values())
        present = {c.moment for c in family.campaigns}
        family.moments = [m for m in PROGRESSION_MOMENTS if m in present]

    # A criterion's key (question key, criterion key) from its id: no join needed.
    criterion_keys = {
        criterion.pk: (question.key, criterion.key)
        for questions in grids.values()
        for question in questions
        for criterion in question.criteria.all()
    }
    answers = Answer.objects.filter(
        response__status=SUBMITTED, criterion__in=list(criterion_keys), number__isnull=False
    )
    # One team only: its own rows, the cohort's averages counted by the database. Only
    # when each moment of a family has one campaign (a team then has one level per
    # criterion and moment, the one the average counts).
    per_moment = [(f.questionnaire.pk, c.moment) for f in families.values() for c in f.campaigns]
    if team_id is not None and len(per_moment) == len(set(per_moment)):
        who = (
            Q(response__campaign__in=list(self_moment), response__team=team_id)
            | Q(response__campaign__in=list(coach_moment), response__subject_team=team_id)
            | Q(response__campaign__in=list(person_side))
        )
        for campaign_id, criterion_id, total, how_many in (
            answers.filter(response__campaign__in=list(self_moment), response__team__isnull=False)
            .values_list("response__campaign_id", "criterion_id")
            .annotate(total=Sum("number"), how_many=Count("pk"))
            .order_by()
        ):
            family, moment = self_moment[campaign_id]
            if family.averages is None:
                family.averages = defaultdict(dict)
            family.averages[criterion_keys[criterion_id]][moment] = total / how_many
        for family in families.values():
            if family.averages is None:
                family.averages = defaultdict(dict)
    else:
        who = Q(response__campaign__in=[*self_moment, *coach_moment, *person_side])
    rows = (
        answers.filter(who)
        .values_list(
            "response__campaign_id",
            "response__team_id",
            "response__subject_team_id",
            "response__respondent_id",
            "response__subject_user_id",
            "criterion_id",
            "number",
        )
        .order_by("response__submitted_at")
    )
    for campaign_id, team_id_, subject_team_id, respondent_id, subject_user_id, *rest in rows:
        criterion_id, number = rest
        key = criterion_keys[criterion_id]
        if campaign_id in self_moment and team_id_:
            family, moment = self_moment[campaign_id]
            family.teams[team_id_][key][moment] = number
        if campaign_id in coach_moment and subject_team_id:
            family, moment = coach_moment[campaign_id]
            family.coach[subject_team_id][key][moment] = number
        if campaign_id in person_side:
            person_pair, side = person_side[campaign_id]
            if side == "own" and respondent_id:
                person_pair.own[respondent_id][key] = number
            elif side == "coach" and subject_user_id:
                person_pair.coach[subject_user_id][key] = number
    return Progression(families=list(families.values()), person_pairs=pairs)


def format_level(value: float | None) -> str:
    """« 3 », « 2,5 », « — » (no answer)."""
    if value is None:
        return "—"
    rounded = round(value, 1)
    text = str(int(rounded)) if float(rounded).is_integer() else f"{rounded:.1f}"
    return text.replace(".", ",")


def format_path(values: list[float | None]) -> str:
    """« 1 → 3 (+2) »: the levels in order, then the change from first to last known."""
    known = [value for value in values if value is not None]
    path = " → ".join(format_level(value) for value in values)
    if len(known) >= 2:
        delta = known[-1] - known[0]
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        path += f" ({sign}{format_level(abs(delta))})"
    return path
