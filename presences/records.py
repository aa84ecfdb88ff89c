"""What people actually attended in a programme, read from the recorded attendance:
each person's sessions with the half-days attended and the hours they make (an
attestation de participation prints them), for one person or for a whole cohort in a
constant number of queries.

A half-day counts when its status is one of ``ATTENDED`` (présent·e, retard ou départ
anticipé) and it is one of the session's half-days as ``parcours.halfdays`` cuts them
today; its hours are that half-day's (a J1/J2 training 9 h 30 – 17 h: 3 h each morning,
3 h 30 each afternoon). Cancelled sessions never count. A recorded half-day that the
session no longer has (the session was moved after the attendance was taken) is not
counted: no hours can be given for it.

Attestations are legal documents, so a record can be narrowed to a ``Period`` (only the
half-days whose day falls in it) and to what has happened at a moment (a session that
has not ended by ``now`` is never counted, even with attendance recorded). Each
attended session says whether its sheet is validated; ``PersonRecord.pending`` lists the
sessions where the person is recorded on a sheet not validated yet (an attestation then
can only be provisional).

For a seminar with parallel workshops, each attended session lists the workshops the
person was recorded present at (``WorkshopAttendance``); a workshop only chosen at
registration is never claimed. A registrant of an open session carries the structure
and fonction they registered with (else their team seat's structure).
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from parcours.models import Cohort, Programme, Session, SessionRegistration, TeamMember, Workshop
from presences.halfdays import HalfDaySlot, half_days
from presences.models import ATTENDED, Attendance, AttendanceSheet, AttendanceStatus
from presences.workshops import attended_workshops


@dataclass(frozen=True)
class Period:
    """The days an attestation covers, both included."""

    starts_on: date
    ends_on: date

    def __contains__(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class AttendedSession:
    """One session someone attended, with the half-days they attended (in order)."""

    session: Session
    slots: tuple[HalfDaySlot, ...]
    # At least one of them with a late arrival or an early departure.
    partial: bool = False
    # The session's attendance sheet is validated (only then may it be attested).
    validated: bool = True
    # Titles of the workshops recorded as attended, in the agenda's order.
    workshops: tuple[str, ...] = ()

    @property
    def duration(self) -> timedelta:
        return sum((slot.ends_at - slot.starts_at for slot in self.slots), timedelta())

    @property
    def days(self) -> list[tuple]:
        """``(day, [slots of that day])`` in order."""
        by_day: dict = {}
        for slot in self.slots:
            by_day.setdefault(slot.day, []).append(slot)
        return list(by_day.items())


@dataclass
class PersonRecord:
    """A person of a programme, how they appear on it (team, role) and what they
    attended."""

    user: object
    team: object = None  # Team or None (a guest who came along without a team)
    role: object = None  # TeamRole or None
    sessions: list[AttendedSession] = field(default_factory=list)
    # Sessions where the person is recorded on a sheet not validated yet (date order).
    pending: list[Session] = field(default_factory=list)
    structure: str = ""  # their own structure (a collectif gathers several)
    function: str = ""  # the fonction they registered with, for someone without a role

    @property
    def attended(self) -> bool:
        return bool(self.sessions)

    @property
    def provisional(self) -> bool:
        """Part of what is recorded is not validated: only a provisional attestation."""
        return bool(self.pending)

    @property
    def duration(self) -> timedelta:
        return sum((s.duration for s in self.sessions), timedelta())

    @property
    def sort_key(self) -> tuple:
        user = self.user
        return (
            (user.last_name or user.email).casefold(),
            user.first_name.casefold(),
            user.email,
        )


def format_duration(duration: timedelta) -> str:
    """« 16 h 00 », « 2 h 30 », « 0 h 00 »."""
    minutes = round(duration.total_seconds() / 60)
    return f"{minutes // 60} h {minutes % 60:02d}"


def _zone(programme: Programme) -> ZoneInfo:
    return ZoneInfo(programme.organisation.time_zone)


def _attended_sessions(
    attendances, zone: ZoneInfo, *, period: Period | None, now: datetime
) -> tuple[dict[int, list[AttendedSession]], dict[int, list[Session]]]:
    """Per user id, the sessions attended (in date order) and the sessions pending
    validation, from ``attendances`` (rows of any status, each with its ``session``
    loaded and annotated ``sheet_validated``). Sessions not ended at ``now`` and
    half-days outside ``period`` are left out."""
    sessions: dict[int, Session] = {}
    validated: dict[int, bool] = {}
    keys: dict[tuple[int, int], dict] = {}  # (user, session) -> {(day, half): status}
    pending: dict[int, list[Session]] = {}
    for row in attendances:
        session = row.session
        if session.ends_at is None or session.ends_at > now:
            continue
        if period is not None and row.day not in period:
            continue
        sessions.setdefault(row.session_id, session)
        validated[row.session_id] = row.sheet_validated
        if not row.sheet_validated:
            seen = pending.setdefault(row.user_id, [])
            if session not in seen:
                seen.append(session)
        if row.status in ATTENDED:
            keys.setdefault((row.user_id, row.session_id), {})[(row.day, row.half_day)] = row.status
    slots_of = {pk: half_days(session, zone) for pk, session in sessions.items()}
    result: dict[int, list[AttendedSession]] = {}
    for (user_id, session_id), statuses in keys.items():
        slots = tuple(slot for slot in slots_of[session_id] if slot.key in statuses)
        if not slots:
            continue
        partial = any(statuses[slot.key] == AttendanceStatus.PARTIAL for slot in slots)
        result.setdefault(user_id, []).append(
            AttendedSession(
                session=sessions[session_id],
                slots=slots,
                partial=partial,
                validated=validated[session_id],
            )
        )
    for attended in result.values():
        attended.sort(key=lambda a: (a.session.starts_at, a.session.pk))
    for sessions_pending in pending.values():
        sessions_pending.sort(key=lambda s: (s.starts_at, s.pk))
    return result, pending


def _registered(programme: Programme) -> dict:
    """Annotations on rows with a ``user``: the structure and fonction the person last
    registered with to a session of ``programme`` ("" when none)."""
    registrations = SessionRegistration.objects.filter(
        organisation=programme.organisation_id,
        session__programme=programme,
        user=OuterRef("user"),
    ).order_by("-created_at", "-pk")
    return {
        f"registered_{name}": Subquery(registrations.exclude(**{name: ""}).values(name)[:1])
        for name in ("structure", "function")
    }


def _attendances(programme: Programme):
    """Every recorded row of the programme's sessions (any status: an absence on a sheet
    not validated yet may still become a presence)."""
    validated = AttendanceSheet.objects.filter(
        session=OuterRef("session"), status=AttendanceSheet.Status.VALIDATED
    )
    return (
        Attendance.objects.filter(
            organisation=programme.organisation_id,
            session__programme=programme,
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .annotate(
            sheet_validated=Exists(validated),
            # Whether the session has workshops (only then are they read).
            with_workshops=Exists(Workshop.objects.filter(round__session=OuterRef("session"))),
            **_registered(programme),
        )
        .select_related("session__kind")
        # half_days() reads each session's days: one query for all of them.
        .prefetch_related("session__days")
        .order_by()
    )


def _memberships(programme: Programme, cohort: Cohort | None):
    members = TeamMember.objects.filter(organisation=programme.organisation_id)
    if cohort is not None:
        members = members.filter(team__cohort=cohort)
    else:
        members = members.filter(team__cohort__programme=programme)
    # Current seats first, then the most recently left: the first one seen per person
    # is how they appear.
    return (
        members.select_related("user", "role", "team__territory")
        .annotate(**_registered(programme))
        .order_by("-left_at", "-joined_at", "-pk")
    )


def _prefer_current(memberships) -> dict[int, TeamMember]:
    chosen: dict[int, TeamMember] = {}
    for member in memberships:
        current = chosen.get(member.user_id)
        if current is None or (current.left_at is not None and member.left_at is None):
            chosen[member.user_id] = member
    return chosen


def _identify(record: PersonRecord, row) -> None:
    """The structure and fonction of ``record`` from an annotated membership or
    attendance ``row`` (what they registered with first, then their seat's)."""
    record.structure = row.registered_structure or getattr(row, "structure", "") or ""
    record.function = row.registered_function or ""


def _add_workshops(programme: Programme, records, attendances) -> None:
    """The workshops each record attended in its sessions: one query, only when one of
    the sessions attended has workshops."""
    with_workshops = {row.session_id for row in attendances if row.with_workshops}
    sessions = {a.session.pk for r in records for a in r.sessions} & with_workshops
    if not sessions:
        return
    users = [r.user.pk for r in records if r.sessions]
    found = attended_workshops(programme.organisation_id, users, sessions)
    for record in records:
        record.sessions = [
            replace(a, workshops=tuple(found.get((record.user.pk, a.session.pk), ())))
            for a in record.sessions
        ]


def person_record(
    *,
    programme: Programme,
    user,
    period: Period | None = None,
    now: datetime | None = None,
) -> PersonRecord:
    """What ``user`` attended in ``programme`` (within ``period``, among the sessions
    ended by ``now``, by default the present moment): two queries, three when a
    session attended has workshops."""
    member = _prefer_current(_memberships(programme, None).filter(user=user)).get(user.pk)
    attendances = list(_attendances(programme).filter(user=user).select_related("team", "role"))
    record = PersonRecord(user=user)
    attended_rows = [a for a in attendances if a.status in ATTENDED]
    if member is not None:
        record.team, record.role = member.team, member.role
        _identify(record, member)
    elif attended_rows:
        latest = max(attended_rows, key=lambda a: (a.session.starts_at, a.day))
        record.team, record.role = latest.team, latest.role
        _identify(record, latest)
    attended, pending = _attended_sessions(
        attendances, _zone(programme), period=period, now=now or timezone.now()
    )
    record.sessions = attended.get(user.pk, [])
    record.pending = pending.get(user.pk, [])
    _add_workshops(programme, [record], attendances)
    return record


def programme_records(
    *,
    programme: Programme,
    cohort: Cohort | None = None,
    period: Period | None = None,
    now: datetime | None = None,
) -> list[PersonRecord]:
    """Everyone of ``cohort`` (or of the whole programme): every member of its teams,
    current or former, and anyone else who attended a session of the programme with
    one of its teams (or, programme-wide, at all), sorted by name; those who attended
    nothing are included with no session (their attestation is refused). Two queries
    whatever the number of people and sessions, three when a session attended has
    workshops."""
    member_rows = _memberships(programme, cohort)
    members = _prefer_current(member_rows)
    attendances = _attendances(programme).select_related("user", "team__territory", "role")
    if cohort is not None:
        attendances = attendances.filter(
            Q(team__cohort=cohort) | Q(user__in=member_rows.order_by().values("user_id"))
        )
    attendances = list(attendances)
    records: dict[int, PersonRecord] = {
        user_id: PersonRecord(user=m.user, team=m.team, role=m.role)
        for user_id, m in members.items()
    }
    for user_id, m in members.items():
        _identify(records[user_id], m)
    latest: dict[int, Attendance] = {}
    for row in attendances:
        if row.user_id in records or row.status not in ATTENDED:
            continue
        known = latest.get(row.user_id)
        if known is None or (row.session.starts_at, row.day) > (known.session.starts_at, known.day):
            latest[row.user_id] = row
    for user_id, row in latest.items():
        records[user_id] = PersonRecord(user=row.user, team=row.team, role=row.role)
        _identify(records[user_id], row)
    attended, pending = _attended_sessions(
        attendances, _zone(programme), period=period, now=now or timezone.now()
    )
    for user_id, record in records.items():
        record.sessions = attended.get(user_id, [])
        record.pending = pending.get(user_id, [])
    _add_workshops(programme, list(records.values()), attendances)
    return sorted(records.values(), key=lambda r: r.sort_key)
