"""Attendance rates: attended half-days (present, or late / left early) over recorded
half-days, with the excused and the absent counted apart. Per session, team, person and
role of a programme, and a team's own record.

Every table is one GROUP BY query whatever the data: pages stay at a constant number of
queries. Cancelled sessions never count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from parcours.models import Cohort, Programme, Session, Team
from presences.models import Attendance, AttendanceSheet, AttendanceStatus, HalfDay
from sillon.figures import percent, rate_with_n

# Rates under this share are highlighted on the pages.
LOW_RATE = 0.75


@dataclass(frozen=True)
class Counts:
    """Half-days of a group by status; ``rate`` is None when nothing was recorded."""

    present: int = 0
    partial: int = 0
    excused: int = 0
    absent: int = 0

    @property
    def recorded(self) -> int:
        return self.present + self.partial + self.excused + self.absent

    @property
    def attended(self) -> int:
        return self.present + self.partial

    @property
    def rate(self) -> float | None:
        return self.attended / self.recorded if self.recorded else None

    @property
    def percent(self) -> int | None:
        """The rate as a whole percentage (for bars and highlighting)."""
        return None if self.rate is None else round(self.rate * 100)

    @property
    def rate_text(self) -> str:
        """« 92,7 % » (one decimal when not whole), or « — » when nothing was recorded."""
        return percent(self.rate)

    @property
    def rate_n_text(self) -> str:
        """« 92,7 % (n = 41) »: the rate and the recorded half-days it is computed on."""
        return rate_with_n(self.rate, self.recorded)

    @property
    def export_rate(self) -> float | None:
        """The rate in percent with one decimal, for spreadsheets."""
        return None if self.rate is None else round(self.rate * 100, 1)

    @property
    def low_percent(self) -> int:
        """The threshold under which a rate is highlighted, in percent."""
        return round(LOW_RATE * 100)

    @property
    def is_low(self) -> bool:
        return self.rate is not None and self.rate < LOW_RATE

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            present=self.present + other.present,
            partial=self.partial + other.partial,
            excused=self.excused + other.excused,
            absent=self.absent + other.absent,
        )


def _count_annotations(prefix: str = "", extra: Q | None = None) -> dict:
    """``present``, ``partial``, ``excused``, ``absent`` counts of the rows reached
    through ``prefix`` (``"attendances__"`` from a session, ``""`` on attendances)."""
    annotations = {}
    for name, status in (
        ("present", AttendanceStatus.PRESENT),
        ("partial", AttendanceStatus.PARTIAL),
        ("excused", AttendanceStatus.EXCUSED),
        ("absent", AttendanceStatus.ABSENT),
    ):
        condition = Q(**{f"{prefix}status": status})
        if extra is not None:
            condition &= extra
        annotations[f"n_{name}"] = Count(f"{prefix}pk", filter=condition)
    return annotations


def _counts(row) -> Counts:
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key)
    return Counts(
        present=get("n_present"),
        partial=get("n_partial"),
        excused=get("n_excused"),
        absent=get("n_absent"),
    )


def programme_attendances(programme: Programme, cohort: Cohort | None = None) -> QuerySet:
    """The attendance rows that count for ``programme`` (those of ``cohort``'s teams
    only when given); cancelled sessions left out."""
    rows = Attendance.objects.filter(
        organisation_id=programme.organisation_id, session__programme=programme
    ).exclude(session__status=Session.Status.CANCELLED)
    if cohort is not None:
        rows = rows.filter(team__cohort=cohort)
    return rows


# --- Programme dashboard ----------------------------------------------------------------


@dataclass
class SessionRate:
    session: Session
    counts: Counts
    sheet_status: str | None  # AttendanceSheet.Status value, None without a sheet

    @property
    def is_recorded(self) -> bool:
        return self.counts.recorded > 0

    @property
    def is_validated(self) -> bool:
        return self.sheet_status == AttendanceSheet.Status.VALIDATED


@dataclass
class GroupRate:
    """A team, a role or a person: ``key`` is the id (None for rows without one)."""

    key: int | None
    label: str
    counts: Counts
    detail: dict = field(default_factory=dict)


def session_rates(programme: Programme, cohort: Cohort | None = None) -> list[SessionRate]:
    """Every started, non-cancelled session of the programme with its counts (one
    query; a session without any row shows as not recorded)."""
    extra = Q(attendances__team__cohort=cohort) if cohort is not None else None
    sessions = (
        Session.objects.filter(organisation_id=programme.organisation_id, programme=programme)
        .exclude(status=Session.Status.CANCELLED)
        .filter(starts_at__lte=timezone.now())
        .select_related("kind")
        .annotate(
            **_count_annotations("attendances__", extra), sheet_status=F("attendance_sheet__status")
        )
        .order_by("starts_at", "pk")
    )
    return [SessionRate(s, _counts(s), s.sheet_status) for s in sessions]


def team_rates(programme: Programme, cohort: Cohort | None = None) -> list[GroupRate]:
    """Per team (the team the person was in when recorded), by name; the rows without a
    team (unexpected participants) last."""
    rows = (
        programme_attendances(programme, cohort)
        .values("team", "team__name", "team__cohort__name")
        .annotate(**_count_annotations())
        .order_by(F("team__name").asc(nulls_last=True), "team")
    )
    return [
        GroupRate(
            row["team"],
            row["team__name"] or "",
            _counts(row),
            {"cohort": row["team__cohort__name"]},
        )
        for row in rows
    ]


def role_rates(programme: Programme, cohort: Cohort | None = None) -> list[GroupRate]:
    """Per role (the role held when recorded), in the programme's order; no role last."""
    rows = (
        programme_attendances(programme, cohort)
        .values("role", "role__name", "role__order")
        .annotate(**_count_annotations())
        .order_by(F("role__order").asc(nulls_last=True), "role__name", "role")
    )
    return [GroupRate(row["role"], row["role__name"] or "", _counts(row)) for row in rows]


def person_rates(programme: Programme, cohort: Cohort | None = None) -> QuerySet:
    """Per person in the team and role they were recorded with (someone who changed
    team or role has a row for each), by name. A values queryset to paginate; turn its
    rows into ``GroupRate`` with ``person_row``."""
    return (
        programme_attendances(programme, cohort)
        .values(
            "user",
            "user__first_name",
            "user__last_name",
            "user__email",
            "team",
            "team__name",
            "role",
            "role__name",
        )
        .annotate(**_count_annotations())
        .order_by("user__last_name", "user__first_name", "user", "team__name", "role__name")
    )


def person_row(row: dict) -> GroupRate:
    name = f"{row['user__first_name']} {row['user__last_name']}".strip()
    return GroupRate(
        row["user"],
        name,
        _counts(row),
        {
            "email": row["user__email"],
            "team": row["team__name"] or "",
            "role": row["role__name"] or "",
        },
    )


def total(groups: Iterable[GroupRate]) -> Counts:
    """The sum of groups that partition the rows (the roles do: one role or none each)."""
    return sum((group.counts for group in groups), Counts())


# --- A team's record --------------------------------------------------------------------


@dataclass
class MemberRecord:
    user_id: int
    name: str
    email: str
    role: str
    role_order: int
    counts: Counts = field(default_factory=Counts)


@dataclass
class SessionRecord:
    session_id: int
    title: str
    starts_at: datetime
    half_days: list[tuple[date, str]] = field(default_factory=list)  # recorded, in order
    # user id -> {(day, half_day): status}
    statuses: dict[int, dict[tuple[date, str], str]] = field(default_factory=dict)
    counts_by_user: dict[int, Counts] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)


@dataclass
class TeamRecord:
    members: list[MemberRecord]
    sessions: list[SessionRecord]
    counts: Counts


_BY_STATUS = {
    AttendanceStatus.PRESENT: Counts(present=1),
    AttendanceStatus.PARTIAL: Counts(partial=1),
    AttendanceStatus.EXCUSED: Counts(excused=1),
    AttendanceStatus.ABSENT: Counts(absent=1),
}
_HALF_ORDER = {HalfDay.MORNING: 0, HalfDay.AFTERNOON: 1}


def team_record(team: Team) -> TeamRecord:
    """Every recorded half-day of the team's people (the team they were in when
    recorded, replaced members included), per non-cancelled session: one query."""
    rows = list(
        Attendance.objects.filter(organisation_id=team.organisation_id, team=team)
        .exclude(session__status=Session.Status.CANCELLED)
        .values(
            "session",
            "session__title",
            "session__starts_at",
            "user",
            "user__first_name",
            "user__last_name",
            "user__email",
            "role__name",
            "role__order",
            "day",
            "half_day",
            "status",
        )
        .order_by("session__starts_at", "session", "day", "half_day", "pk")
    )
    members: dict[int, MemberRecord] = {}
    records: dict[int, SessionRecord] = {}
    for row in rows:
        user = row["user"]
        member = members.get(user)
        if member is None:
            member = members[user] = MemberRecord(
                user_id=user,
                name=f"{row['user__first_name']} {row['user__last_name']}".strip(),
                email=row["user__email"],
                role=row["role__name"] or "",
                role_order=row["role__order"] if row["role__order"] is not None else 1_000,
            )
        elif row["role__name"]:
            # The latest role recorded (rows come in session order).
            member.role = row["role__name"]
            member.role_order = row["role__order"]
        record = records.get(row["session"])
        if record is None:
            record = records[row["session"]] = SessionRecord(
                row["session"], row["session__title"], row["session__starts_at"]
            )
        key = (row["day"], row["half_day"])
        if key not in record.half_days:
            record.half_days.append(key)
        record.statuses.setdefault(user, {})[key] = row["status"]
        one = _BY_STATUS[row["status"]]
        record.counts_by_user[user] = record.counts_by_user.get(user, Counts()) + one
        record.counts += one
        member.counts += one
    for record in records.values():
        record.half_days.sort(key=lambda key: (key[0], _HALF_ORDER.get(key[1], 2)))
    ordered = sorted(members.values(), key=lambda m: (m.role_order, m.name.lower(), m.user_id))
    sessions = list(records.values())
    return TeamRecord(
        members=ordered, sessions=sessions, counts=sum((r.counts for r in sessions), Counts())
    )
