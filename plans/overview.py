"""The reads of the coordinator's overview of a programme's action plans.

Per team: its plan (it may not exist yet: it is created the first time someone opens
it), the state of its three stages, its actions counted by status, the late ones, the
mean progress, the last update, and whether it has gone without an update for N weeks.
Then the programme's actions for the timeline and the export, and its group and common
plans. Each read is one query whatever the number of teams and actions (aggregates and
annotations, never a query per team).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from parcours.models import Programme, Team
from sillon.formatting import format_day, local

from .models import Action, ActionPlan, ActionUpdate, Stage, StageVersion

DEFAULT_WEEKS = 6
MIN_WEEKS, MAX_WEEKS = 1, 52
# The overview's timeline and list stay readable: beyond this, the export has them all.
MAX_TIMELINE_ACTIONS = 300
# Looked up per row instead of ``get_status_display()``, which rebuilds and hashes the
# choices (translating every label) on each call; the labels stay lazy.
STATUS_LABELS = dict(Action.Status.choices)
SOURCE_LABELS = dict(Action.Source.choices)


@dataclass
class StageState:
    stage: str
    label: str  # « Fiche d'intention »
    state: str  # « v2 validée », « Brouillon », « Non commencée »
    tone: str  # a Bootstrap colour


@dataclass
class TeamRow:
    team: Team
    plan_id: int | None
    touched_at: datetime | None
    counts: dict[str, int]
    total: int
    late: int
    progress: float | None
    stale: bool
    stages: list[StageState] = field(default_factory=list)
    touched_label: str = ""

    @property
    def ordered_counts(self) -> list[int]:
        return [self.counts[status] for status in Action.Status.values]


@dataclass
class Summary:
    teams: int
    counts: dict[str, int]
    total: int
    late: int
    progress: float | None
    stale: int

    @property
    def ordered_counts(self) -> list[int]:
        return [self.counts[status] for status in Action.Status.values]


def bounded_weeks(value) -> int:
    """``semaines`` of the query string, a whole number of weeks within 1–52 (the default
    when missing or unreadable)."""
    try:
        weeks = int(value)
    except (TypeError, ValueError):
        return DEFAULT_WEEKS
    return max(MIN_WEEKS, min(MAX_WEEKS, weeks))


def _status_counts(prefix: str, today: date) -> dict:
    """``Count`` annotations of the actions under ``prefix`` by status, and the late."""
    annotations = {
        f"n_{status}": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": status}))
        for status in Action.Status.values
    }
    annotations["n_late"] = Count(
        f"{prefix}pk",
        filter=Q(**{f"{prefix}due_on__lt": today, f"{prefix}status__in": Action.OPEN_STATUSES}),
    )
    annotations["mean_progress"] = Avg(
        f"{prefix}progress", filter=~Q(**{f"{prefix}status": Action.Status.DROPPED})
    )
    return annotations


_STAGE_TONES = {
    StageVersion.Status.DRAFT: "secondary",
    StageVersion.Status.SUBMITTED: "info",
    StageVersion.Status.CHANGES: "warning",
    StageVersion.Status.VALIDATED: "success",
}


def stage_state(stage: str, last: StageVersion | None) -> StageState:
    label = str(Stage(stage).label)
    if last is None:
        return StageState(stage, label, _("Non commencée"), "light")
    if last.number == 0:
        return StageState(stage, label, _("Brouillon"), "secondary")
    state = _("v%(number)s %(status)s") % {
        "number": last.number,
        "status": last.get_status_display().lower(),
    }
    return StageState(stage, label, state, _STAGE_TONES[last.status])


def last_stage_versions(programme: Programme) -> dict[tuple[int, str], StageVersion]:
    """{(plan id, stage): its latest version (the draft when none was submitted)}, one
    query for the whole programme."""
    newer = StageVersion.objects.filter(
        plan=OuterRef("plan"), stage=OuterRef("stage"), number__gt=OuterRef("number")
    )
    versions = (
        StageVersion.objects.filter(plan__programme=programme)
        .annotate(has_newer=Exists(newer))
        .filter(has_newer=False)
        .only("pk", "plan_id", "stage", "number", "status")
    )
    return {(version.plan_id, version.stage): version for version in versions}


def team_rows(
    programme: Programme,
    *,
    today: date,
    now: datetime,
    weeks: int = DEFAULT_WEEKS,
    zone: str = "Europe/Paris",
    stages: bool = True,
) -> list[TeamRow]:
    """Every team of the programme (all cohorts), by cohort and name. Two queries; one
    without ``stages`` (their states left empty)."""
    teams = (
        Team.objects.filter(cohort__programme=programme)
        .select_related("cohort")
        .annotate(
            plan_pk=F("action_plan__pk"),
            plan_touched_at=F("action_plan__touched_at"),
            **_status_counts("action_plan__actions__", today),
        )
        .order_by("cohort__name", "name", "pk")
    )
    versions = last_stage_versions(programme) if stages else {}
    limit = now - timedelta(weeks=weeks)
    rows = []
    for team in teams:
        counts = {status: getattr(team, f"n_{status}") for status in Action.Status.values}
        rows.append(
            TeamRow(
                team=team,
                plan_id=team.plan_pk,
                touched_at=team.plan_touched_at,
                counts=counts,
                total=sum(counts.values()),
                late=team.n_late,
                progress=team.mean_progress,
                stale=team.plan_touched_at is None or team.plan_touched_at < limit,
                stages=[
                    stage_state(stage, versions.get((team.plan_pk, stage)))
                    for stage in Stage.values
                ]
                if stages
                else [],
                touched_label=format_day(local(team.plan_touched_at, zone).date(), weekday=False)
                if team.plan_touched_at
                else "",
            )
        )
    return rows


def summary(rows: list[TeamRow]) -> Summary:
    """The line under the table: totals, and the mean progress over every counted
    action (not the mean of the teams' means)."""
    counts = {status: sum(row.counts[status] for row in rows) for status in Action.Status.values}
    weighted = [
        (row.progress, row.total - row.counts[Action.Status.DROPPED])
        for row in rows
        if row.progress is not None
    ]
    weight = sum(n for _mean, n in weighted)
    return Summary(
        teams=len(rows),
        counts=counts,
        total=sum(counts.values()),
        late=sum(row.late for row in rows),
        progress=sum(mean * n for mean, n in weighted) / weight if weight else None,
        stale=sum(1 for row in rows if row.stale),
    )


def programme_actions(programme: Programme, *, kinds=None):
    """The programme's actions with their plan, team and owner, by plan then deadline
    (one query; the last update's date annotated by a subquery on the updates' index,
    not an aggregate that would group every selected column)."""
    actions = Action.objects.filter(plan__programme=programme)
    if kinds is not None:
        actions = actions.filter(plan__kind__in=kinds)
    last = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at")
    return (
        actions.select_related("plan__team__cohort", "owner")
        .annotate(last_update=Subquery(last.values("created_at")[:1]))
        .order_by(
            "plan__kind",
            "plan__team__cohort__name",
            "plan__team__name",
            "plan__title",
            "plan_id",
            F("starts_on").asc(nulls_last=True),
            F("due_on").asc(nulls_last=True),
            "pk",
        )
    )


def plan_label(plan: ActionPlan) -> str:
    """The team's name for a team's plan, the plan's title otherwise."""
    if plan.kind == ActionPlan.Kind.TEAM and plan.team_id:
        return plan.team.name
    return plan.title or str(plan.get_kind_display())


def status_label(action: Action, today: date) -> str:
    """« En cours », or « En cours (en retard) »."""
    label = str(STATUS_LABELS.get(action.status, action.status))
    if action.is_late(today):
        return _("%(status)s (en retard)") % {"status": label}
    return label


def shared_plans(programme: Programme):
    """The programme's group and common plans, with their number of actions (entries for a
    common plan)."""
    return (
        ActionPlan.objects.filter(programme=programme)
        .exclude(kind=ActionPlan.Kind.TEAM)
        .annotate(
            n_actions=Count("actions", distinct=True),
            n_entries=Count("entries", distinct=True),
        )
        .order_by("kind", "title", "pk")
    )
