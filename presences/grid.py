"""Who is on a session's attendance sheet and what is recorded for each half-day.

The expected people are computed (members of the teams concerned, only the expected
role for a one-role session; registered people of an open session, grouped by the
collectif they are in in the programme, the individuals after), then come the guests
the trainer added, then anyone with a recorded attendance who is no longer expected (a
member replaced since). Seven queries whatever the number of people.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from django.utils.translation import gettext as _

from parcours.models import Session, SessionRegistration, Team, TeamMember, TeamRole
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


def folded(text: str) -> str:
    """Lower case without accents: « Hélène » is found typing « helene »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


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
    structure: str = ""  # the person's own structure (a collectif gathers several)
    function: str = ""  # their fonction at the event (a registrant's, else their role)
    hidden: bool = False  # left out by the search

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def search_text(self) -> str:
        """What the search box matches: name, e-mail, structure, fonction, collectif."""
        parts = [self.name, self.user.email, self.structure, self.function]
        if self.team is not None:
            parts.append(self.team.name)
        return folded(" ".join(part for part in parts if part))

    def attended_on(self, day: date) -> bool:
        """Present, or late / left early, on at least one half-day of ``day``."""
        return any(
            attendance.attended
            for (attended_day, _half), attendance in self.attendances.items()
            if attended_day == day
        )

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
    hidden: bool = False  # none of its people match the search

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

    def presence_count(self, day: date) -> tuple[int, int]:
        """« présents N / inscrits M » for ``day``: the expected people (registrants of
        an open session, members otherwise) present on at least one of its half-days,
        and how many they are. Guests are not counted in either."""
        expected = [row for row in self.rows if row.origin in (Origin.MEMBER, Origin.REGISTERED)]
        return sum(1 for row in expected if row.attended_on(day)), len(expected)

    def search(self, query: str) -> int:
        """Hide the people not matching every word of ``query`` (and the cards left
        empty): the search box without JavaScript. Returns how many stay shown."""
        words = folded(query).split()
        for block in self.blocks:
            for row in block.people:
                row.hidden = bool(words) and not all(word in row.search_text for word in words)
            block.hidden = all(row.hidden for row in block.people)
        return sum(1 for row in self.rows if not row.hidden)

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


def _team_title(team: Team) -> str:
    if team.territory and team.territory.name != team.name:
        return f"{team.name} · {team.territory.name}"
    return team.name


def collectifs_of(session: Session, user_ids) -> dict[int, TeamMember]:
    """Per user id, the current membership of a team of ``session``'s programme (the
    collectif they registered with), the first one when there are several: one query
    (``user_ids`` may be a subquery)."""
    members = (
        TeamMember.objects.current()
        .filter(
            organisation=session.organisation_id,
            team__cohort__programme=session.programme_id,
            user_id__in=user_ids,
        )
        .select_related("team__territory", "role")
        .order_by("pk")
    )
    found: dict[int, TeamMember] = {}
    for member in members:
        found.setdefault(member.user_id, member)
    return found


def _registered_blocks(session: Session, person) -> list[Block]:
    """The registrants of an open session: a card per collectif (by name), then the
    individuals. Two queries."""
    registrations = (
        SessionRegistration.objects.filter(session=session)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    user_ids = SessionRegistration.objects.filter(session=session).values("user_id")
    collectifs = collectifs_of(session, user_ids)
    by_team: dict[int, Block] = {}
    individuals: list[PersonRow] = []
    for registration in registrations:
        member = collectifs.get(registration.user_id)
        team = member.team if member else None
        role = member.role if member else None
        row = person(registration.user, team, role, Origin.REGISTERED)
        if row is None:
            continue
        row.structure = registration.structure or (member.structure if member else "")
        row.function = registration.function or (role.name if role else "")
        if team is None:
            individuals.append(row)
            continue
        block = by_team.get(team.pk)
        if block is None:
            block = by_team[team.pk] = Block(f"collectif-{team.pk}", _team_title(team), team, [])
        block.people.append(row)
    blocks = sorted(by_team.values(), key=lambda block: (block.title.casefold(), block.key))
    if individuals:
        title = _("Inscrit·es individuel·les") if blocks else _("Personnes inscrites")
        blocks.append(Block("inscrits", title, None, individuals))
    return blocks


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
        people = []
        for m in members:
            row = person(m.user, team, m.role, Origin.MEMBER)
            if row is not None:
                row.structure = m.structure
                row.function = m.role.name if m.role else ""
                people.append(row)
        roles = {m.role.pk: m.role for m in team.current_members if m.role is not None}
        team_roles = sorted(roles.values(), key=lambda role: (role.order, role.name))
        blocks.append(
            Block(
                f"equipe-{team.pk}",
                _team_title(team),
                team,
                people,
                _indispensable(session, team_roles),
            )
        )

    if session.audience == Session.Audience.OPEN:
        blocks += _registered_blocks(session, person)

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
