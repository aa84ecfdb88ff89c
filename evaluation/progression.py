"""Progression T0 → T1 → T2 of each team on a maturity grid, with the cohort's average
and the coaches' assessments beside them, and trainers' assessments of participants
paired with their own. Aggregated rows only: five queries whatever the data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from evaluation.models import (
    PROGRESSION_MOMENTS,
    Answer,
    Campaign,
    Moment,
    Question,
    QuestionKind,
    Response,
)

SUBMITTED = Response.Status.SUBMITTED
MOMENT_SHORT = {Moment.T0: "T0", Moment.T1: "T1", Moment.T2: "T2"}


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


def programme_progression(
    programme,
    *,
    team_id: int | None = None,
    campaigns: Iterable[Campaign] | None = None,
    questions: Iterable[Question] | None = None,
) -> Progression:
    """The progression of every team of ``programme`` between T0, T1 and T2 on each
    maturity grid answered by teams, the coaches' levels beside them where an
    assessment is paired, and trainers' assessments of participants paired with the
    participants' own. Five queries; six with ``team_id``, which keeps the levels of
    that team only (the cohort's averages stay those of every team). A call's T0
    self-diagnostic counts as the T0 of the teams its applications became.

    ``campaigns``: the programme's campaigns already read (questionnaire loaded, by
    opening then pk), and ``questions``: their versions' questions already read (by
    section and order, criteria and choices prefetched), each sparing the reads."""
    if campaigns is None:
        campaigns = (
            Campaign.objects.filter(
                programme=programme, status=Campaign.Status.LAUNCHED, version__isnull=False
            )
            .select_related("questionnaire")
            .order_by("opens_at", "pk")
        )
    campaigns = [
        c for c in campaigns if c.status == Campaign.Status.LAUNCHED and c.version_id is not None
    ]
    by_id = {campaign.pk: campaign for campaign in campaigns}
    versions = {c.version_id for c in campaigns}
    if questions is None:
        questions = (
            Question.objects.filter(version__in=versions, kind=QuestionKind.GRID)
            .prefetch_related("criteria", "choices")
            .order_by("section__order", "order", "pk")
        )
    grids: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        if question.kind == QuestionKind.GRID and question.version_id in versions:
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
