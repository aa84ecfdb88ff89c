"""The figures of a programme's synthesis, one function per section, each reading the
apps below through their own reads and returning plain dataclasses: the numbers, the
series a chart is drawn from (``documents.syntheses.charts``), the data tables
(``documents.syntheses.tables``) and, when there is nothing to show, the sentence that
says so.

Every function takes a ``Scope`` (programme, period, teams) and no request: the live
dashboard and the PDF builders share them. Each runs a fixed number of queries, whatever
the number of teams, sessions or answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.models import AuditEntry
from parcours.actions import Action as ParcoursAction
from parcours.models import Session
from parcours.services.sessions import DATE_FIELDS
from presences.models import AttendanceStatus
from presences.stats import Counts, programme_attendances
from sillon.figures import rate_with_n
from sondages.models import DatePoll

from .followup import CodevFigures, PlanFigures, codev_figures, plan_figures
from .scope import Scope
from .tables import Percent, Table
from .wellbeing import (
    ProgressionFigures,
    SatisfactionFigures,
    evaluation_reads,
    progression_figures,
    satisfaction_figures,
)

__all__ = [
    "AttendanceFigures",
    "CalendarFigures",
    "CodevFigures",
    "PlanFigures",
    "ProgressionFigures",
    "SatisfactionFigures",
    "Synthesis",
    "attendance_figures",
    "calendar_figures",
    "codev_figures",
    "evaluation_reads",
    "plan_figures",
    "programme_synthesis",
    "progression_figures",
    "satisfaction_figures",
]


# --- (a) The calendar held against the calendar planned ---------------------------------

HELD, UPCOMING, UNDATED, CANCELLED = "held", "upcoming", "undated", "cancelled"
STATE_LABELS = {
    HELD: gettext_lazy("Tenue"),
    UPCOMING: gettext_lazy("À venir"),
    UNDATED: gettext_lazy("Date à confirmer"),
    CANCELLED: gettext_lazy("Annulée"),
}


@dataclass
class SessionLine:
    session: Session
    state: str
    moves: int = 0  # how many times its date or hours changed
    added: bool = False  # created after the calendar was set (see ``calendar_figures``)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class CalendarFigures:
    lines: list[SessionLine]
    zone: object

    def count(self, state: str) -> int:
        return sum(1 for line in self.lines if line.state == state)

    @property
    def planned(self) -> int:
        return len(self.lines)

    @property
    def held(self) -> int:
        return self.count(HELD)

    @property
    def moved(self) -> int:
        return sum(1 for line in self.lines if line.moves)

    @property
    def added(self) -> int:
        return sum(1 for line in self.lines if line.added)

    @property
    def empty_message(self) -> str:
        return "" if self.lines else _("Aucune séance prévue sur la période.")

    @property
    def chart_rows(self) -> list[tuple[str, int]]:
        """Each state over the sessions planned, then the moved and the added ones."""
        return [
            (_("Tenues"), self.count(HELD)),
            (_("À venir"), self.count(UPCOMING)),
            (_("Date à confirmer"), self.count(UNDATED)),
            (_("Annulées"), self.count(CANCELLED)),
            (_("Déplacées (date ou horaires changés)"), self.moved),
            (_("Ajoutées en cours de programme"), self.added),
        ]

    def tables(self) -> list[Table]:
        summary = Table(
            "calendrier",
            _("Calendrier tenu et prévu"),
            [_("Séances"), _("Nombre"), _("Part des séances prévues")],
            [
                [label, count, Percent(count / self.planned if self.planned else None)]
                for label, count in [(_("Prévues"), self.planned), *self.chart_rows]
            ],
            numeric=frozenset({1, 2}),
        )
        detail = Table(
            "seances",
            _("Les séances de la période"),
            [_("Séance"), _("Date"), _("Type"), _("État"), _("Déplacée"), _("Ajoutée")],
            [
                [
                    line.session.title,
                    _session_day(line.session, self.zone),
                    line.session.kind.name if line.session.kind_id else "",
                    line.state_label,
                    (_("oui (%(n)s fois)") % {"n": line.moves}) if line.moves else _("non"),
                    _("oui") if line.added else _("non"),
                ]
                for line in self.lines
            ],
        )
        return [summary, detail]


def _session_day(session: Session, zone) -> str:
    if session.starts_at is None:
        if session.target_month is not None:
            return session.target_month.strftime("%m/%Y")
        return _("à confirmer")
    return session.starts_at.astimezone(zone).strftime("%d/%m/%Y")


def scope_sessions(scope: Scope):
    """The sessions of the scope: dated in the period, or undated and placed in it (by
    their target month, or their phase for a phase), internal ones left out; for chosen
    teams, the sessions of the whole cohort and those of one of the teams; ``polled``:
    whether a decided date poll gave it its date. One query."""
    programme = scope.programme
    placed = Q(starts_at__isnull=True) & (
        Q(target_month__gte=scope.starts_on.replace(day=1), target_month__lte=scope.ends_on)
        | (Q(phase=scope.phase) if scope.phase is not None else Q(pk__in=[]))
        | (Q(target_month__isnull=True) if scope.whole_programme else Q(pk__in=[]))
    )
    sessions = (
        Session.objects.filter(organisation_id=programme.organisation_id, programme=programme)
        .exclude(audience=Session.Audience.INTERNAL)
        .filter(Q(starts_at__gte=scope.start, starts_at__lt=scope.end) | placed)
        .select_related("kind", "phase")
        .annotate(
            polled=Exists(
                DatePoll.objects.filter(
                    organisation_id=programme.organisation_id,
                    session=OuterRef("pk"),
                    status=DatePoll.Status.DECIDED,
                )
            )
        )
    )
    if not scope.all_teams:
        concerned = Session.teams.through.objects.filter(
            session=OuterRef("pk"), team__in=scope.team_ids
        )
        sessions = sessions.filter(~Q(audience__in=Session.TEAM_AUDIENCES) | Exists(concerned))
    return sessions.order_by(F("starts_at").asc(nulls_last=True), "target_month", "pk")


def _state(session: Session, scope: Scope) -> str:
    if session.status == Session.Status.CANCELLED:
        return CANCELLED
    if session.starts_at is None:
        return UNDATED
    return HELD if session.starts_at <= scope.now else UPCOMING


def calendar_set_at(scope: Scope) -> datetime:
    """When the calendar planned was set: the programme's start, or its publication
    when later. What was created or moved before does not change the calendar planned."""
    programme = scope.programme
    set_at = datetime.combine(programme.start_date, time.min, tzinfo=scope.zone)
    if programme.published_at and programme.published_at > set_at:
        set_at = programme.published_at
    return set_at


def calendar_figures(scope: Scope) -> CalendarFigures:
    """Sessions held, to come, to be dated, cancelled; moved: their date or hours changed
    once the calendar was set (the journal records each change, ``parcours.session.
    moved`` naming the date fields, which also raised the session's iCal sequence; the
    date a poll gave a session « à confirmer » is its first date, not a move); added:
    created once the calendar was set (``calendar_set_at``). At most two queries."""
    programme = scope.programme
    set_at = calendar_set_at(scope)
    sessions = list(scope_sessions(scope))
    changed = [session.pk for session in sessions if session.sequence]
    moves: dict[int, int] = defaultdict(int)
    if changed:
        for data in AuditEntry.objects.filter(
            organisation_id=programme.organisation_id,
            action=ParcoursAction.SESSION_MOVED,
            data__session__in=changed,
            created_at__gt=set_at,
        ).values_list("data", flat=True):
            if set(data.get("fields") or ()) & set(DATE_FIELDS):
                moves[data.get("session")] += 1
        for session in sessions:
            if session.polled and session.pk in moves:
                moves[session.pk] -= 1
    lines = [
        SessionLine(
            session=session,
            state=_state(session, scope),
            moves=max(moves.get(session.pk, 0), 0),
            added=session.created_at > set_at,
        )
        for session in sessions
    ]
    return CalendarFigures(lines=lines, zone=scope.zone)


# --- (b) Attendance per session, team and role ------------------------------------------

_FIELD = {
    AttendanceStatus.PRESENT: "present",
    AttendanceStatus.PARTIAL: "partial",
    AttendanceStatus.EXCUSED: "excused",
    AttendanceStatus.ABSENT: "absent",
}


@dataclass
class RateRow:
    key: int | None
    label: str
    counts: Counts
    detail: str = ""

    @property
    def text(self) -> str:
        return self.counts.rate_n_text


@dataclass
class AttendanceFigures:
    sessions: list[RateRow]
    teams: list[RateRow]
    roles: list[RateRow]
    roles_withheld: bool = False
    all_teams: bool = True

    @property
    def total(self) -> Counts:
        return sum((row.counts for row in self.sessions), Counts())

    @property
    def empty_message(self) -> str:
        return "" if self.total.recorded else _("Aucune séance relevée sur la période.")

    def tables(self) -> list[Table]:
        headers = [
            _("Présent·e"),
            _("Retard ou départ anticipé"),
            _("Excusé·e"),
            _("Absent·e"),
            _("Demi-journées relevées"),
            _("Taux de présence"),
        ]

        def cells(counts: Counts) -> list:
            return [
                counts.present,
                counts.partial,
                counts.excused,
                counts.absent,
                counts.recorded,
                Percent(counts.rate),
            ]

        numeric = frozenset(range(2, 8))
        total = self.total
        tables = [
            Table(
                "presences_seances",
                _("Présences par séance"),
                [_("Séance"), _("Date"), *headers],
                [[row.label, row.detail, *cells(row.counts)] for row in self.sessions],
                numeric=numeric,
                footer=[_("Total"), "", *cells(total)],
            ),
            Table(
                "presences_equipes",
                _("Présences par équipe"),
                [_("Équipe"), _("Promotion"), *headers],
                [[row.label, row.detail, *cells(row.counts)] for row in self.teams],
                numeric=numeric,
                footer=[_("Total"), "", *cells(total)],
            ),
        ]
        if not self.roles_withheld:
            tables.append(
                Table(
                    "presences_roles",
                    _("Présences par rôle"),
                    [_("Rôle"), *headers],
                    [[row.label, *cells(row.counts)] for row in self.roles],
                    numeric=frozenset(range(1, 7)),
                    footer=[_("Total"), *cells(total)],
                )
            )
        return tables


_SESSION = ("session", "session__title", "session__starts_at")
_TEAM = ("team", "team__name", "team__cohort__name")
_ROLE = ("role", "role__name", "role__order")


def _grouped(rows, *groups: tuple[str, ...]) -> list[dict]:
    """{key value: (labels…, Counts)} for each group of ``groups`` (its key, then its
    labels), from one GROUP BY over every group and the status."""
    counted: list[dict] = [{} for _group in groups]
    columns = [column for group in groups for column in group]
    for row in rows.values(*columns, "status").annotate(n=Count("pk")).order_by():
        one = Counts(**{_FIELD[row["status"]]: row["n"]})
        for group, found in zip(groups, counted, strict=True):
            key, *labels = group
            old = found.get(row[key], (None, Counts()))[1]
            found[row[key]] = (tuple(row[label] for label in labels), old + one)
    return counted


def attendance_figures(scope: Scope) -> AttendanceFigures:
    """Attended half-days over recorded ones (``presences.stats.Counts``, the rows of
    ``presences.stats.programme_attendances``: cancelled sessions never count), per
    session, per team (the team the person was in when recorded) and per role, for the
    sessions that started in the period; chosen teams keep their own rows only. The role
    breakdown is withheld from readers of aggregates when fewer than two teams are chosen
    (it would come down to a few people). One query."""
    rows = programme_attendances(scope.programme).filter(
        session__starts_at__gte=scope.start, session__starts_at__lt=scope.end
    )
    if not scope.all_teams:
        rows = rows.filter(team__in=scope.team_ids)
    withheld = scope.aggregate_only and len(scope.teams) < 2
    by_session, by_team, *by_role = _grouped(rows, _SESSION, _TEAM, *([] if withheld else [_ROLE]))
    sessions = [
        RateRow(key, labels[0], counts, labels[1].astimezone(scope.zone).strftime("%d/%m/%Y"))
        for key, (labels, counts) in sorted(
            by_session.items(), key=lambda item: (item[1][0][1], item[0])
        )
    ]
    teams = [
        RateRow(key, labels[0] or _("Sans équipe"), counts, labels[1] or "")
        for key, (labels, counts) in sorted(
            by_team.items(), key=lambda item: (item[0] is None, (item[1][0][0] or "").lower())
        )
    ]
    roles = []
    if by_role:
        roles = [
            RateRow(key, labels[0] or _("Sans rôle"), counts)
            for key, (labels, counts) in sorted(
                by_role[0].items(),
                key=lambda item: (item[0] is None, item[1][0][1] or 0, item[1][0][0] or ""),
            )
        ]
    return AttendanceFigures(
        sessions=sessions,
        teams=teams,
        roles=roles,
        roles_withheld=withheld,
        all_teams=scope.all_teams,
    )


# --- The whole synthesis --------------------------------------------------------------


@dataclass
class Synthesis:
    scope: Scope
    calendar: CalendarFigures
    attendance: AttendanceFigures
    satisfaction: SatisfactionFigures
    progression: ProgressionFigures
    plans: PlanFigures
    codev: CodevFigures
    extra: dict = field(default_factory=dict)

    def tables(self) -> list[Table]:
        """Every data table, in the order of the sections."""
        return [
            *self.calendar.tables(),
            *self.attendance.tables(),
            *self.satisfaction.tables(),
            *self.progression.tables(),
            *self.plans.tables(),
            *self.codev.tables(),
        ]

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables() if table.key == key), None)

    @property
    def attendance_text(self) -> str:
        total = self.attendance.total
        return rate_with_n(total.rate, total.recorded)


def programme_synthesis(scope: Scope) -> Synthesis:
    """Every section of the programme's synthesis for ``scope``, the evaluation
    sections sharing their reads."""
    reads = evaluation_reads(scope)
    return Synthesis(
        scope=scope,
        calendar=calendar_figures(scope),
        attendance=attendance_figures(scope),
        satisfaction=satisfaction_figures(scope, reads),
        progression=progression_figures(scope, reads),
        plans=plan_figures(scope),
        codev=codev_figures(scope),
    )
