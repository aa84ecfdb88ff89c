"""Reading the reviews of a call: each reviewer's weighted score, an application's
average and the spread between its reviewers, and the applications list sorted by them.

A reviewer's weighted score is Σ weight × score ÷ max over the criteria they scored,
divided by the sum of those weights, on the grid's scale: the criteria's common maximum
(« /5 ») when they share one, otherwise 20. The average of an application is the mean
of its reviewers' weighted scores; the spread is the highest minus the lowest.

Everything is computed in one pass over one query of the call's scores, so the list
runs the same number of queries whatever the number of applications and reviews.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, FloatField, QuerySet, Sum
from django.db.models.functions import Cast

from candidatures.models import Application, Call, Review, ReviewScore, ScoringCriterion

DEFAULT_SCALE = 20


class Grid:
    """A call's scoring criteria and the scale its weighted scores are given on."""

    def __init__(self, criteria: list[ScoringCriterion]):
        self.criteria = criteria
        self.by_id = {criterion.pk: criterion for criterion in criteria}
        maxima = {criterion.max_score for criterion in criteria}
        self.scale = maxima.pop() if len(maxima) == 1 else DEFAULT_SCALE

    def weighted(self, scores: dict[int, int]) -> float | None:
        """The weighted score of one reviewer's ``{criterion_id: score}`` on the grid's
        scale; criteria no longer in the grid are ignored; None without any score."""
        total = weights = 0.0
        for criterion_id, score in scores.items():
            criterion = self.by_id.get(criterion_id)
            if criterion is None:
                continue
            total += criterion.weight * score / criterion.max_score
            weights += criterion.weight
        if not weights:
            return None
        return total / weights * self.scale


def grid_for(call: Call) -> Grid:
    return Grid(list(ScoringCriterion.objects.filter(call=call).order_by("order", "pk")))


@dataclass
class ScoreSummary:
    """The reviews of one application: per reviewer, their weighted score."""

    by_reviewer: dict[int, float] = field(default_factory=dict)
    mine: float | None = None

    @property
    def count(self) -> int:
        return len(self.by_reviewer)

    @property
    def average(self) -> float | None:
        if not self.by_reviewer:
            return None
        return sum(self.by_reviewer.values()) / len(self.by_reviewer)

    @property
    def spread(self) -> float | None:
        """Highest minus lowest reviewer's score; None with fewer than two reviewers."""
        if len(self.by_reviewer) < 2:
            return None
        return max(self.by_reviewer.values()) - min(self.by_reviewer.values())


def summaries(grid: Grid, applications: QuerySet, user=None) -> dict[int, ScoreSummary]:
    """{application id: ScoreSummary} for ``applications`` (a queryset, used as a
    subquery), from one query: the database sums each review's weighted scores (a
    score's criterion is always in the grid: deleting a criterion deletes its scores)."""
    share = Cast("score", FloatField()) * F("criterion__weight") / F("criterion__max_score")
    rows = (
        ReviewScore.objects.filter(review__application__in=applications.values("pk"))
        .values_list("review__application_id", "review__reviewer_id")
        .annotate(total=Sum(share), weights=Sum("criterion__weight"))
        .order_by()
    )
    result: dict[int, ScoreSummary] = {}
    for application_id, reviewer_id, total, weights in rows:
        if not weights:
            continue
        summary = result.get(application_id)
        if summary is None:
            summary = result[application_id] = ScoreSummary()
        summary.by_reviewer[reviewer_id] = total / weights * grid.scale
    me = getattr(user, "pk", None)
    for summary in result.values():
        summary.mine = summary.by_reviewer.get(me)
    return result


SORTS = ("note", "territoire", "depot")


def sorted_application_ids(
    applications: QuerySet, scores: dict[int, ScoreSummary], sort: str
) -> list[int]:
    """The ids of ``applications`` in the list's order: by weighted average (best
    first, unscored last), by territory or by submission (latest first)."""
    rows = list(applications.values_list("pk", "territory__name", "structure", "submitted_at"))
    if sort == "territoire":
        rows.sort(key=lambda row: ((row[1] or row[2] or "").casefold(), row[0]))
    elif sort == "depot":
        rows.sort(key=lambda row: (row[3] is None, -(row[3].timestamp() if row[3] else 0), row[0]))
    else:
        empty = ScoreSummary()

        def by_average(row):
            average = scores.get(row[0], empty).average
            return (average is None, -(average or 0), (row[1] or row[2] or "").casefold(), row[0])

        rows.sort(key=by_average)
    return [row[0] for row in rows]


def application_page(call: Call, ids: list[int]) -> list[Application]:
    """The applications of ``ids``, in that order, with what a list row shows."""
    found = (
        Application.objects.filter(call=call, pk__in=ids)
        .select_related("territory")
        .only(
            "territory__name",
            "structure",
            "project_name",
            "status",
            "decision",
            "announced_at",
            "submitted_at",
            "call_id",
            "organisation_id",
        )
        .order_by()
    )
    by_id = {application.pk: application for application in found}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass
class ReviewerRow:
    review: Review
    scores: list[tuple[ScoringCriterion, int | None]]
    weighted: float | None


def reviews_of(application: Application, grid: Grid) -> list[ReviewerRow]:
    """Every review of ``application`` with its scores in the grid's order."""
    reviews = (
        Review.objects.filter(application=application)
        .select_related("reviewer")
        .prefetch_related("scores")
        .order_by("updated_at", "pk")
    )
    rows = []
    for review in reviews:
        values = {score.criterion_id: score.score for score in review.scores.all()}
        rows.append(
            ReviewerRow(
                review=review,
                scores=[(criterion, values.get(criterion.pk)) for criterion in grid.criteria],
                weighted=grid.weighted(values),
            )
        )
    return rows


def summary_of(rows: list[ReviewerRow], user=None) -> ScoreSummary:
    summary = ScoreSummary(
        by_reviewer={
            row.review.reviewer_id: row.weighted for row in rows if row.weighted is not None
        }
    )
    summary.mine = summary.by_reviewer.get(getattr(user, "pk", None))
    return summary


def format_score(value: float | None, scale: int) -> str:
    """« 13,4 / 20 », « — » without a score (French decimal comma)."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + f" / {scale}"


def format_spread(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",")
