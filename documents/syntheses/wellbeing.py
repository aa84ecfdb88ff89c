"""The evaluation sections of a synthesis: (c) satisfaction per session and per moment
(before the action, during it, à chaud, à froid) with its n, and (d) the cohort's
progression T0 → T1 → T2 on each self-diagnostic grid, drawn as a radar.

Both read ``evaluation``'s own computations (``evaluation.results``,
``evaluation.progression``). An anonymous campaign under its threshold counts nowhere
(its results are withheld, ``evaluation.results.results_withheld``) and no figure here
is ever broken down per person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from evaluation.models import (
    PROGRESSION_MOMENTS,
    SATISFACTION_MOMENTS,
    Campaign,
    Moment,
    Question,
    QuestionKind,
    Response,
)
from evaluation.progression import MOMENT_SHORT, format_level, format_path, programme_progression
from evaluation.results import Rate, combine, results_withheld, satisfaction_by_campaign
from sillon.figures import NONE

from .scope import Scope
from .tables import Percent, Table

# --- (c) Satisfaction -------------------------------------------------------------------

MOMENTS = (Moment.BEFORE, Moment.DURING, Moment.HOT, Moment.COLD)


@dataclass
class RateLine:
    label: str
    detail: str
    campaigns: int
    responses: int
    rate: Rate | None

    @property
    def share(self) -> float | None:
        return None if self.rate is None else self.rate.share

    @property
    def text(self) -> str:
        return NONE if self.rate is None else str(self.rate)


@dataclass
class SatisfactionFigures:
    sessions: list[RateLine]
    moments: list[RateLine]
    programme: Rate | None
    withheld: int = 0  # anonymous campaigns under their threshold, left out
    all_teams: bool = True

    @property
    def programme_text(self) -> str:
        return NONE if self.programme is None else str(self.programme)

    @property
    def has_rates(self) -> bool:
        return any(line.rate is not None for line in [*self.sessions, *self.moments])

    @property
    def empty_message(self) -> str:
        if self.has_rates:
            return ""
        return _("Aucune réponse de satisfaction sur la période.")

    def tables(self) -> list[Table]:
        headers = [_("Campagnes"), _("Réponses"), _("Taux de satisfaction"), _("n")]

        def cells(line: RateLine) -> list:
            return [
                line.campaigns,
                line.responses,
                Percent(line.share),
                line.rate.n if line.rate else 0,
            ]

        return [
            Table(
                "satisfaction_moments",
                _("Satisfaction par moment"),
                [_("Moment"), *headers],
                [[line.label, *cells(line)] for line in self.moments],
                numeric=frozenset(range(1, 5)),
                empty=_("Aucune campagne avant, pendant, à chaud ou à froid sur la période."),
            ),
            Table(
                "satisfaction_seances",
                _("Satisfaction par séance"),
                [_("Séance"), _("Date"), *headers],
                [[line.label, line.detail, *cells(line)] for line in self.sessions],
                numeric=frozenset(range(2, 6)),
                empty=_("Aucune séance évaluée sur la période."),
            ),
        ]


@dataclass
class EvaluationReads:
    """What the satisfaction and the progression both read, read once: the programme's
    launched campaigns (session and questionnaire loaded, submitted responses counted in
    ``n_submitted``, by opening) and their versions' satisfaction and grid questions
    (criteria and choices prefetched, by section and order)."""

    campaigns: list[Campaign]
    questions: list[Question]


def _in_period(campaign: Campaign, scope: Scope) -> bool:
    """Asks about the period: its session started in it, or, without a session, it
    opened in it."""
    when = campaign.session.starts_at if campaign.session_id else campaign.opens_at
    return when is not None and scope.start <= when < scope.end


def _about_satisfaction(campaign: Campaign, scope: Scope) -> bool:
    return (
        campaign.call_id is None
        and campaign.moment not in PROGRESSION_MOMENTS
        and _in_period(campaign, scope)
    )


def evaluation_reads(scope: Scope, *, progression: bool = True) -> EvaluationReads:
    """The campaigns and questions of ``satisfaction_figures`` and, with
    ``progression``, of ``progression_figures``. Four queries (three without
    ``progression``); one when no campaign has a version."""
    programme = scope.programme
    in_period = Q(session__starts_at__gte=scope.start, session__starts_at__lt=scope.end)
    loose = Q(session__isnull=True, opens_at__gte=scope.start, opens_at__lt=scope.end)
    satisfaction = (in_period | loose) & Q(call__isnull=True) & ~Q(moment__in=PROGRESSION_MOMENTS)
    submitted = (
        Response.objects.filter(campaign=OuterRef("pk"), status=Response.Status.SUBMITTED)
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
        .order_by()
    )
    campaigns = list(
        Campaign.objects.filter(
            organisation_id=programme.organisation_id,
            programme=programme,
            status=Campaign.Status.LAUNCHED,
        )
        .filter(satisfaction | Q(version__isnull=False) if progression else satisfaction)
        .select_related("session", "questionnaire")
        .annotate(n_submitted=Coalesce(Subquery(submitted), 0))
        .order_by("opens_at", "pk")
    )
    versions = {c.version_id for c in campaigns if c.version_id}
    wanted = Q(satisfaction=True, confidential=False)
    if progression:
        wanted |= Q(kind=QuestionKind.GRID)
    questions = (
        Question.objects.filter(version__in=versions)
        .filter(wanted)
        .prefetch_related(*(["criteria", "choices"] if progression else ["choices"]))
        .order_by("section__order", "order", "pk")
    )
    return EvaluationReads(campaigns=campaigns, questions=list(questions) if versions else [])


def scope_campaigns(scope: Scope, reads: EvaluationReads | None = None) -> list[Campaign]:
    """The launched campaigns of the programme asking about the period: those of its
    sessions that started in it, and the others opened in it (no self-diagnostic, no
    call's intake questionnaire)."""
    reads = reads or evaluation_reads(scope, progression=False)
    return [c for c in reads.campaigns if _about_satisfaction(c, scope)]


def satisfaction_figures(scope: Scope, reads: EvaluationReads | None = None) -> SatisfactionFigures:
    """The share of answers in the two best levels of the satisfaction questions
    (``evaluation.results.satisfaction_by_campaign``, external evaluations from their
    recorded figures), per session and per moment, and for the programme (à chaud and à
    froid). Campaigns answer for the whole cohort: chosen teams do not narrow them. One
    query with ``reads`` (``evaluation_reads``), at most four without."""
    reads = reads or evaluation_reads(scope, progression=False)
    campaigns = scope_campaigns(scope, reads)
    answers = {
        c.pk: (c.external_respondents or 0) if c.external else c.n_submitted for c in campaigns
    }
    kept = [c for c in campaigns if not results_withheld(c, answers[c.pk])]
    rates = satisfaction_by_campaign(kept, reads.questions) if kept else {}

    def line(label: str, detail: str, group: list[Campaign]) -> RateLine:
        return RateLine(
            label=label,
            detail=detail,
            campaigns=len(group),
            responses=sum(answers[c.pk] for c in group),
            rate=combine(rates[c.pk] for c in group),
        )

    by_session: dict[int, list[Campaign]] = defaultdict(list)
    for campaign in kept:
        if campaign.session_id:
            by_session[campaign.session_id].append(campaign)
    sessions = sorted(
        (group[0].session for group in by_session.values()),
        key=lambda session: (session.starts_at, session.pk),
    )
    labels = dict(Moment.choices)
    return SatisfactionFigures(
        sessions=[
            line(
                session.title,
                session.starts_at.astimezone(scope.zone).strftime("%d/%m/%Y"),
                by_session[session.pk],
            )
            for session in sessions
        ],
        moments=[
            line(str(labels[moment]), "", [c for c in kept if c.moment == moment])
            for moment in MOMENTS
            if any(c.moment == moment for c in kept)
        ],
        programme=combine(rates[c.pk] for c in kept if c.moment in SATISFACTION_MOMENTS),
        withheld=len(campaigns) - len(kept),
        all_teams=scope.all_teams,
    )


# --- (d) Progression T0 → T1 → T2 -------------------------------------------------------

# One line style per moment (the shapes tell them apart without colour), and the whole
# cohort's latest moment beside the chosen teams' lines.
MOMENT_STYLES = {Moment.T0: "dotted", Moment.T1: "dashed", Moment.T2: "solid"}
COHORT_STYLE = "dashdot"


@dataclass
class RadarSeries:
    name: str
    values: list[float | None]
    style: str


@dataclass
class FamilyFigures:
    title: str
    axes: list[str]
    max_level: int
    moments: list[str]  # « T0 », « T1 »…
    series: list[RadarSeries]
    rows: list[list]  # criterion, level at each moment, path
    answered: list[int]  # teams with a level, per moment


@dataclass
class ProgressionFigures:
    families: list[FamilyFigures] = field(default_factory=list)
    subset: bool = False  # averages of the chosen teams (the cohort's beside them)

    @property
    def empty_message(self) -> str:
        return "" if self.families else _("Aucun autodiagnostic renseigné pour l’instant.")

    def tables(self) -> list[Table]:
        tables = []
        for index, family in enumerate(self.families, start=1):
            tables.append(
                Table(
                    f"progression_{index}",
                    _("Progression — %(title)s") % {"title": family.title},
                    [_("Critère"), *family.moments, _("Évolution")],
                    [
                        *family.rows,
                        [_("Équipes ayant répondu"), *family.answered, ""],
                    ],
                    numeric=frozenset(range(1, len(family.moments) + 1)),
                )
            )
        return tables


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def progression_figures(scope: Scope, reads: EvaluationReads | None = None) -> ProgressionFigures:
    """Per self-diagnostic grid answered by teams (``evaluation.progression``): the
    average level per criterion at T0, T1, T2 — of the chosen teams for a reader who may
    see team levels (the whole cohort's latest average beside them), of the whole cohort
    otherwise. A grid no team answered is left out. One query with ``reads``
    (``evaluation_reads``), five without."""
    if reads is None:
        progression = programme_progression(scope.programme)
    else:
        progression = programme_progression(
            scope.programme, campaigns=reads.campaigns, questions=reads.questions
        )
    subset = scope.team_levels and not scope.all_teams
    chosen = set(scope.team_ids)
    families = []
    for family in progression.families:
        teams = {
            team: levels for team, levels in family.teams.items() if not subset or team in chosen
        }
        if not family.criteria or not teams:
            continue
        moments = family.moments

        def average(key, moment, teams=teams):
            return _mean(
                [
                    levels[key][moment]
                    for levels in teams.values()
                    if levels.get(key, {}).get(moment) is not None
                ]
            )

        averages = {
            info.key: [average(info.key, moment) for moment in moments] for info in family.criteria
        }
        who = _("des équipes choisies") if subset else _("de la promotion")
        series = [
            RadarSeries(
                _("Moyenne %(who)s à %(moment)s")
                % {"who": who, "moment": MOMENT_SHORT.get(moment, moment)},
                [averages[info.key][index] for info in family.criteria],
                MOMENT_STYLES.get(moment, "solid"),
            )
            for index, moment in enumerate(moments)
        ]
        if subset and moments:
            cohort = family.cohort()
            last = moments[-1]
            series.append(
                RadarSeries(
                    _("Moyenne de la promotion à %(moment)s")
                    % {"moment": MOMENT_SHORT.get(last, last)},
                    [cohort[info.key].get(last) for info in family.criteria],
                    COHORT_STYLE,
                )
            )
        families.append(
            FamilyFigures(
                title=family.questionnaire.title,
                axes=[info.label for info in family.criteria],
                max_level=family.max_level,
                moments=[MOMENT_SHORT.get(moment, moment) for moment in moments],
                series=series,
                rows=[
                    [
                        info.label,
                        *(format_level(value) for value in averages[info.key]),
                        format_path(averages[info.key]),
                    ]
                    for info in family.criteria
                ],
                answered=[
                    sum(
                        1
                        for levels in teams.values()
                        if any(
                            levels.get(info.key, {}).get(m) is not None for info in family.criteria
                        )
                    )
                    for m in moments
                ],
            )
        )
    return ProgressionFigures(families=families, subset=subset)
