"""What a synthesis covers: a programme, a period (the whole programme, a phase, or
dates) and a set of teams (all by default), read in the organisation's time zone.

A ``Scope`` is built once (by the dashboard from its filter form, by a PDF builder from
its document) and handed to every figure of ``documents.syntheses.figures``; nothing in
it depends on a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.models import Phase, Programme, Team
from sillon.formatting import format_day


@dataclass
class Scope:
    """The programme, the days covered (both included) and the teams chosen.

    ``all_teams``: no team was chosen (every team counts, rows without a team too).
    ``team_levels``: whether the reader may see levels of a chosen subset of teams
    (coordinators and trainers; observers read the cohort's averages only).
    ``aggregate_only``: the reader sees aggregates only (an observer without the
    programme's leave to see names): no breakdown that comes down to a few people.
    """

    programme: Programme
    starts_on: date
    ends_on: date
    zone: ZoneInfo
    teams: list[Team] = field(default_factory=list)
    all_teams: bool = True
    phase: Phase | None = None
    whole_programme: bool = True
    team_levels: bool = True
    aggregate_only: bool = False
    now: datetime = field(default_factory=timezone.now)

    @property
    def team_ids(self) -> list[int]:
        return [team.pk for team in self.teams]

    @property
    def start(self) -> datetime:
        """The first moment of the period (midnight, local time)."""
        return datetime.combine(self.starts_on, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        """The moment after the period (midnight after its last day, local time)."""
        return datetime.combine(self.ends_on + timedelta(days=1), time.min, tzinfo=self.zone)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    @property
    def period_label(self) -> str:
        """« Tout le programme (du … au …) », « Phase Diagnostic (du … au …) », « Du … au … »."""
        days = _("du %(start)s au %(end)s") % {
            "start": format_day(self.starts_on, weekday=False),
            "end": format_day(self.ends_on, weekday=False),
        }
        if self.whole_programme:
            return _("Tout le programme (%(days)s)") % {"days": days}
        if self.phase is not None:
            return _("Phase « %(name)s » (%(days)s)") % {"name": self.phase.name, "days": days}
        return days[:1].upper() + days[1:]

    @property
    def teams_label(self) -> str:
        if self.all_teams:
            return _("Toutes les équipes")
        return ", ".join(team.name for team in self.teams)


def programme_teams(programme: Programme) -> list[Team]:
    """Every team of the programme (all cohorts), by cohort and name: one query."""
    return list(
        Team.objects.filter(organisation_id=programme.organisation_id, cohort__programme=programme)
        .select_related("cohort")
        .order_by("cohort__name", "name", "pk")
    )


def build_scope(
    programme: Programme,
    *,
    zone: str | ZoneInfo,
    phase: Phase | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    teams: list[Team] | None = None,
    all_teams: list[Team] | None = None,
    team_levels: bool = True,
    aggregate_only: bool = False,
    now: datetime | None = None,
) -> Scope:
    """The scope of a synthesis: a ``phase`` gives its days; else ``starts_on`` /
    ``ends_on`` (each defaulting to the programme's own); neither: the whole programme.
    ``teams`` chosen among ``all_teams`` (the programme's, read when not given); none
    chosen, or all of them: every team."""
    zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    known = all_teams if all_teams is not None else programme_teams(programme)
    chosen_ids = {team.pk for team in teams or []}
    chosen = [team for team in known if team.pk in chosen_ids]
    every = not chosen or len(chosen) == len(known)
    if phase is not None:
        first, last, whole = phase.starts_on, phase.ends_on, False
    elif starts_on is None and ends_on is None:
        first, last, whole = programme.start_date, programme.end_date, True
    else:
        first = starts_on or programme.start_date
        last = ends_on or programme.end_date
        whole = first == programme.start_date and last == programme.end_date
    if last < first:
        first, last = last, first
    return Scope(
        programme=programme,
        starts_on=first,
        ends_on=last,
        zone=zone,
        teams=known if every else chosen,
        all_teams=every,
        phase=phase,
        whole_programme=whole,
        team_levels=team_levels,
        aggregate_only=aggregate_only,
        now=now or timezone.now(),
    )
