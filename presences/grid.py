"""Who is on a session's attendance sheet and what is recorded for each half-day.

The expected people are computed (members of the teams concerned, only the expected
role for a one-role session; registered people of an open session), then come the
guests the trainer added, then anyone with a recorded attendance who is no longer
expected (a member replaced since). Six queries whatever the number of people.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.utils.translation import gettext as _

from parcours.models import Session, SessionRegistration, Team, TeamRole
from parcours.selectors import expected_teams
from parcours.services.common import zone_of
from presences.halfdays import HalfDaySlot, half_days
from presences.models import Attendance, AttendanceSheet, AttendanceStatus, SheetParticipant
from sillon.formatting import format_day, format_time

# Statuses that raise the flag when every holder of an indispensable role has one.
MISSING = (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)


class Origin:
    MEMBER = "member"
    REGISTERED = "registered"
    GUEST = "guest"
    RECORDED = "recorded"


def slot_key(slot: HalfDaySlot) -> str:
    """The half-day in a URL: « 2026-12-10-am »."""
    return f"{slot.day.isoformat()}-{slot.half_day}"


@dataclass(frozen=True)
class Column:
    slot: HalfDaySlot
    key: str
    short_label: str  # « J1 matin », or « Matin » on a one-day session
    long_label: str  # « jeudi 10 décembre 2026, matin (9 h 30 – 12 h 30) »

    @property
    def day(self) -> date:
        return self.slot.day

    @property
    def half_day(self) -> str:
        return self.slot.half_day


@dataclass
class Cell:
    column: Column
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""

    @property
    def note(self) -> str:
        return self.attendance.note if self.attendance else ""

    @property
    def label(self) -> str:
        return self.attendance.get_status_display() if self.attendance else ""


@dataclass
class PersonRow:
    user: object
    team: Team | None
    role: TeamRole | None
    origin: str
    attendances: dict[tuple[date, str], Attendance] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    selected: Cell | None = None
    undo: object = None  # the change an « Annuler » button would undo
    error: str = ""

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def is_guest(self) -> bool:
        return self.origin == Origin.GUEST

    def status(self, day: date, half_day: str) -> str:
        attendance = self.attendances.get((day, half_day))
        return attendance.status if attendance else ""


@dataclass
class Flag:
    column: Column
    roles: list[TeamRole]


@dataclass
class Block:
    """A card of the sheet: a team, or the registered people, guests, others."""

    key: str  # « equipe-12 », « inscrits », « ajoutes », « autres »
    title: str
    team: Team | None
    people: list[PersonRow]
    indispensable: list[TeamRole] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    selected_flag: Flag | None = None

    def compute_flags(self, columns: list[Column]) -> None:
        """Per half-day, the indispensable roles whose every holder is absent or
        excused (nothing is flagged before a status is recorded)."""
        self.flags = []
        for column in columns:
            missing = []
            for role in self.indispensable:
                holders = [row for row in self.people if row.role and row.role.pk == role.pk]
                if holders and all(
                    row.status(column.day, column.half_day) in MISSING for row in holders
                ):
                    missing.append(role)
            self.flags.append(Flag(column, missing))


@dataclass
class AttendanceGrid:
    session: Session
    sheet: AttendanceSheet | None
    columns: list[Column]
    blocks: list[Block]
    selected: Column | None = None

    @property
    def is_validated(self) -> bool:
        return self.sheet is not None and self.sheet.is_validated

    @property
    def multi_column(self) -> bool:
        return len(self.columns) > 1

    @cached_property
    def rows(self) -> list[PersonRow]:
        return [row for block in self.blocks for row in block.people]

    @property
    def expected_rows(self) -> list[PersonRow]:
        """The people who must have a status (everyone but former people)."""
        return [row for row in self.rows if row.origin != Origin.RECORDED]

    def row_for(self, user_id: int) -> PersonRow | None:
        return next((row for row in self.rows if row.user.pk == user_id), None)

    def block_of(self, row: PersonRow) -> Block:
        return next(block for block in self.blocks if row in block.people)

    def column_for(self, day: date, half_day: str) -> Column | None:
        return next((c for c in self.columns if c.day == day and c.half_day == half_day), None)

    def column_by_key(self, key: str | None) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def missing_count(self) -> int:
        """Half-days without a status, over every expected person and guest."""
        return sum(self.blank_count(column) for column in self.columns)

    def blank_count(self, column: Column) -> int:
        return sum(
            1 for row in self.expected_rows if (column.day, column.half_day) not in row.attendances
        )

    def select(self, column: Column | None) -> None:
        """Point every row and card at ``column`` (the half-day shown on the tablet)."""
        self.selected = column
        index = self.columns.index(column) if column else None
        for block in self.blocks:
            block.selected_flag = block.flags[index] if index is not None else None
            for row in block.people:
                row.selected = row.cells[index] if index is not None else None

    def default_column(self, now: datetime) -> Column | None:
        """The half-day under way (or the next one today), else the first."""
        if not self.columns:
            return None
        today = [c for c in self.columns if c.slot.starts_at.date() == now.date()]
        if today:
            return next((c for c in today if c.slot.ends_at > now), today[-1])
        return self.columns[0]


def _columns(session: Session, zone) -> list[Column]:
    slots = half_days(session, zone)
    days = sorted({slot.day for slot in slots})
    many_days = len(days) > 1
    columns = []
    for slot in slots:
        label = slot.label
        if many_days:
            number = days.index(slot.day) + 1
            short = _("J%(number)s %(half_day)s") % {"number": number, "half_day": label.lower()}
        else:
            short = label
        long = _("%(day)s, %(half_day)s (%(start)s – %(end)s)") % {
            "day": format_day(slot.day),
            "half_day": label.lower(),
            "start": format_time(slot.starts_at),
            "end": format_time(slot.ends_at),
        }
        columns.append(Column(slot, slot_key(slot), short, long))
    return columns


def _indispensable(session: Session, team_roles: list[TeamRole]) -> list[TeamRole]:
    if session.expected_presence == Session.Presence.ONE_ROLE:
        return [session.expected_role] if session.expected_role else []
    if session.expected_presence == Session.Presence.WHOLE_TEAM_REQUIRED:
        return team_roles
    return [role for role in team_roles if role.required]


def attendance_grid(session: Session, organisation) -> AttendanceGrid:
    """The sheet of ``session`` (of ``organisation``): cards of people, one column per
    half-day in the organisation's zone, what is recorded, the absence flags."""
    zone = zone_of(organisation)
    columns = _columns(session, zone)
    sheet = AttendanceSheet.objects.select_related("validated_by").filter(session=session).first()
    records: dict[int, dict] = {}
    # Only what the cells show: the people's accounts, teams and roles come with the
    # expected people; the few recorded but not expected are read apart (below).
    for attendance in Attendance.objects.filter(session=session).only(
        "pk", "user_id", "day", "half_day", "status", "note"
    ):
        records.setdefault(attendance.user_id, {})[(attendance.day, attendance.half_day)] = (
            attendance
        )

    seen: set[int] = set()

    def person(user, team, role, origin) -> PersonRow | None:
        if user.pk in seen:
            return None
        seen.add(user.pk)
        return PersonRow(user, team, role, origin, records.get(user.pk, {}))

    blocks: list[Block] = []
    one_role = session.expected_presence == Session.Presence.ONE_ROLE
    for team in expected_teams(session):
        members = [
            member
            for member in team.current_members
            if not one_role or member.role_id == session.expected_role_id
        ]
        people = [
            row for m in members if (row := person(m.user, team, m.role, Origin.MEMBER)) is not None
        ]
        roles = {m.role.pk: m.role for m in team.current_members if m.role is not None}
        team_roles = sorted(roles.values(), key=lambda role: (role.order, role.name))
        title = team.name
        if team.territory and team.territory.name != team.name:
            title = f"{team.name} · {team.territory.name}"
        blocks.append(
            Block(f"equipe-{team.pk}", title, team, people, _indispensable(session, team_roles))
        )

    if session.audience == Session.Audience.OPEN:
        registrations = (
            SessionRegistration.objects.filter(session=session)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__email")
        )
        people = [
            row
            for registration in registrations
            if (row := person(registration.user, None, None, Origin.REGISTERED)) is not None
        ]
        if people:
            blocks.append(Block("inscrits", _("Personnes inscrites"), None, people))

    if sheet is not None:
        guests = (
            SheetParticipant.objects.filter(sheet=sheet)
            .select_related("user", "team")
            .order_by("added_at", "pk")
        )
        people = [
            row
            for guest in guests
            if (row := person(guest.user, guest.team, None, Origin.GUEST)) is not None
        ]
        if people:
            blocks.append(Block("ajoutes", _("Participant·es ajouté·es"), None, people))

    unseen = [user_id for user_id in records if user_id not in seen]
    recorded_people: dict[int, Attendance] = {}
    if unseen:
        for attendance in (
            Attendance.objects.filter(session=session, user_id__in=unseen)
            .select_related("user", "team", "role")
            .order_by("pk")
        ):
            recorded_people.setdefault(attendance.user_id, attendance)
    others = [
        row
        for attendance in recorded_people.values()
        if (row := person(attendance.user, attendance.team, attendance.role, Origin.RECORDED))
        is not None
    ]
    if others:
        others.sort(key=lambda row: (row.user.last_name, row.user.first_name, row.user.email))
        blocks.append(Block("autres", _("Autres présences enregistrées"), None, others))

    for block in blocks:
        for row in block.people:
            row.cells = [
                Cell(column, row.attendances.get((column.day, column.half_day)))
                for column in columns
            ]
        block.compute_flags(columns)
    return AttendanceGrid(session, sheet, columns, blocks)
