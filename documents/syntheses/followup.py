"""The follow-up sections of a synthesis: (e) the teams' action plans by status, as they
stand today (``plans.overview``), and (f) CODEV: the groups, the cases brought in the
period and the commitments they led to (``codev`` models, counted by the database).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from codev.models import Case, Commitment, Group, GroupKind, GroupMembership
from parcours.models import TeamMember
from plans.models import Action
from plans.overview import STATUS_LABELS, team_rows

from .scope import Scope
from .tables import Percent, Table

# --- (e) Action plans by status ---------------------------------------------------------


@dataclass
class PlanRow:
    team: str
    cohort: str
    counts: dict[str, int]
    late: int
    progress: float | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class PlanFigures:
    rows: list[PlanRow]

    @property
    def counts(self) -> dict[str, int]:
        return {
            status: sum(row.counts[status] for row in self.rows) for status in Action.Status.values
        }

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def late(self) -> int:
        return sum(row.late for row in self.rows)

    @property
    def progress(self) -> float | None:
        """The mean progress of every counted action (dropped ones left out), not the
        mean of the teams' means (as ``plans.overview.summary``)."""
        weighted = [
            (row.progress, row.total - row.counts[Action.Status.DROPPED])
            for row in self.rows
            if row.progress is not None
        ]
        weight = sum(n for _mean, n in weighted)
        return sum(mean * n for mean, n in weighted) / weight if weight else None

    @property
    def with_plan(self) -> int:
        return sum(1 for row in self.rows if row.total)

    @property
    def empty_message(self) -> str:
        return "" if self.total else _("Aucune action inscrite dans les plans des équipes.")

    @property
    def chart_rows(self) -> list[tuple[str, int]]:
        counts = self.counts
        return [(str(STATUS_LABELS[status]), counts[status]) for status in Action.Status.values]

    def tables(self) -> list[Table]:
        statuses = Action.Status.values
        counts = self.counts
        return [
            Table(
                "plans",
                _("Actions des plans par équipe et par état"),
                [
                    _("Équipe"),
                    *(str(STATUS_LABELS[status]) for status in statuses),
                    _("Total"),
                    _("En retard"),
                    _("Avancement moyen"),
                ],
                [
                    [
                        row.team,
                        *(row.counts[status] for status in statuses),
                        row.total,
                        row.late,
                        Percent(None if row.progress is None else row.progress / 100),
                    ]
                    for row in self.rows
                ],
                numeric=frozenset(range(1, len(statuses) + 4)),
                footer=[
                    _("Total"),
                    *(counts[status] for status in statuses),
                    self.total,
                    self.late,
                    Percent(None if self.progress is None else self.progress / 100),
                ],
            )
        ]


def plan_figures(scope: Scope) -> PlanFigures:
    """Each chosen team's actions by status, its late ones and its mean progress, as
    they stand today (plans are a state, not a period). One query."""
    chosen = set(scope.team_ids)
    rows = team_rows(
        scope.programme, today=scope.today, now=scope.now, zone=str(scope.zone), stages=False
    )
    return PlanFigures(
        rows=[
            PlanRow(
                team=row.team.name,
                cohort=row.team.cohort.name,
                counts=row.counts,
                late=row.late,
                progress=row.progress,
            )
            for row in rows
            if row.team.pk in chosen
        ]
    )


# --- (f) CODEV ----------------------------------------------------------------------------

COMMITMENT_STATUSES = Commitment.Status.values


@dataclass
class GroupRow:
    name: str
    kind: str
    cases: int = 0
    commitments: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(COMMITMENT_STATUSES, 0)
    )


@dataclass
class CodevFigures:
    groups: list[GroupRow]

    @property
    def cases(self) -> int:
        return sum(group.cases for group in self.groups)

    @property
    def commitments(self) -> dict[str, int]:
        return {
            status: sum(group.commitments[status] for group in self.groups)
            for status in COMMITMENT_STATUSES
        }

    @property
    def commitment_total(self) -> int:
        return sum(self.commitments.values())

    @property
    def empty_message(self) -> str:
        return "" if self.groups else _("Aucun groupe de CODEV ni groupe de travail.")

    @property
    def chart_rows(self) -> list[tuple[str, int]]:
        labels = dict(Commitment.Status.choices)
        commitments = self.commitments
        return [(str(labels[status]), commitments[status]) for status in COMMITMENT_STATUSES]

    def tables(self) -> list[Table]:
        labels = dict(Commitment.Status.choices)
        commitments = self.commitments
        return [
            Table(
                "codev",
                _("Groupes, cas et engagements"),
                [
                    _("Groupe"),
                    _("Type"),
                    _("Cas traités"),
                    *(
                        _("Engagements : %(status)s") % {"status": str(labels[s]).lower()}
                        for s in COMMITMENT_STATUSES
                    ),
                ],
                [
                    [group.name, group.kind, group.cases, *group.commitments.values()]
                    for group in self.groups
                ],
                numeric=frozenset(range(2, len(COMMITMENT_STATUSES) + 3)),
                footer=[_("Total"), "", self.cases, *commitments.values()],
            )
        ]


def _count(rows, group: str):
    """How many of ``rows`` belong to the outer group (``group``: the path to it), as a
    subquery (0 for none)."""
    counted = rows.filter(**{group: OuterRef("pk")}).values(group).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n").order_by()), 0)


def codev_figures(scope: Scope) -> CodevFigures:
    """The programme's groups (for chosen teams: the groups one of them is or was in),
    the cases of their séances held in the period and the commitments of those cases by
    status (for chosen teams: the cases one of them brought, as a team or through one of
    its members). One query."""
    programme = scope.programme
    groups = Group.objects.filter(organisation_id=programme.organisation_id, programme=programme)
    cases = Case.objects.filter(
        organisation_id=programme.organisation_id,
        group_session__group__programme=programme,
        group_session__session__starts_at__gte=scope.start,
        group_session__session__starts_at__lt=scope.end,
    )
    if not scope.all_teams:
        ids = scope.team_ids
        groups = groups.filter(
            Exists(GroupMembership.objects.filter(group=OuterRef("pk"), team__in=ids))
        )
        members = TeamMember.objects.filter(team__in=ids).values("user")
        cases = cases.filter(Q(client__team__in=ids) | Q(client__user__in=members))
    commitments = Commitment.objects.filter(
        organisation_id=programme.organisation_id, case__in=cases
    )
    kinds = dict(GroupKind.choices)
    statuses = {f"n_{status}": status for status in COMMITMENT_STATUSES}
    counted = groups.annotate(
        n_cases=_count(cases, "group_session__group"),
        **{
            name: _count(commitments.filter(status=status), "case__group_session__group")
            for name, status in statuses.items()
        },
    )
    return CodevFigures(
        groups=[
            GroupRow(
                name=group["name"],
                kind=str(kinds.get(group["kind"], group["kind"])),
                cases=group["n_cases"],
                commitments={status: group[name] for name, status in statuses.items()},
            )
            for group in counted.order_by("kind", "name", "pk").values(
                "name", "kind", "n_cases", *statuses
            )
        ]
    )
