"""Attendance per workshop: the parallel workshops of a session's agenda (rounds of
``parcours.AgendaItem``), who chose each one (``parcours.WorkshopRegistration``) and who
was recorded there (``WorkshopAttendance``).

A workshop's list is its registrants (by name), then the walk-ins recorded there (people
of the session who chose another workshop of the round, or none). The people who may
still come as walk-ins are the rest of the session's sheet. Every read is a constant
number of queries whatever the number of people.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from parcours.models import Session, Workshop, WorkshopRegistration
from presences.grid import AttendanceGrid, PersonRow, attendance_grid, folded
from presences.models import WorkshopAttendance, WorkshopStatus


def session_workshops(session: Session) -> list[Workshop]:
    """The workshops of ``session``'s agenda, round by round, each annotated with how
    many chose it (``chosen``) and how many were recorded present (``present``): one
    query."""
    return list(
        Workshop.objects.filter(organisation=session.organisation_id, round__session=session)
        .select_related("round")
        .annotate(
            chosen=Count("registrations", distinct=True),
            present=Count(
                "attendances",
                filter=Q(attendances__status=WorkshopStatus.PRESENT),
                distinct=True,
            ),
        )
        .order_by("round__day", "round__start_time", "round__pk", "title", "pk")
    )


def get_workshop_or_404(session: Session, workshop_id: int) -> Workshop:
    """A workshop of ``session``'s agenda (of its organisation), or 404."""
    return get_object_or_404(
        Workshop.objects.select_related("round"),
        organisation=session.organisation_id,
        round__session=session,
        pk=workshop_id,
    )


def person_name(user) -> str:
    return user.get_full_name() or user.email


@dataclass
class WorkshopRow:
    """A person on a workshop's list."""

    user: object
    chosen: bool  # registered to this workshop (else a walk-in)
    team: object = None  # their collectif (``parcours.Team``) or None
    structure: str = ""
    function: str = ""
    attendance: WorkshopAttendance | None = None
    elsewhere: str = ""  # the workshop of the round they chose instead
    undo: object = None
    error: str = ""

    @property
    def name(self) -> str:
        return person_name(self.user)

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else ""

    @property
    def label(self) -> str:
        return self.attendance.get_status_display() if self.attendance else ""

    @property
    def search_text(self) -> str:
        parts = [self.name, self.user.email, self.structure, self.function, self.elsewhere]
        if self.team is not None:
            parts.append(self.team.name)
        return folded(" ".join(part for part in parts if part))


@dataclass
class WorkshopSheet:
    session: Session
    workshop: Workshop
    grid: AttendanceGrid
    rows: list[WorkshopRow] = field(default_factory=list)
    # People of the session not on the list yet: who may be added as walk-ins.
    candidates: list[WorkshopRow] = field(default_factory=list)

    @property
    def registered_count(self) -> int:
        return sum(1 for row in self.rows if row.chosen)

    @property
    def present_count(self) -> int:
        return sum(1 for row in self.rows if row.status == WorkshopStatus.PRESENT)

    @property
    def walk_ins(self) -> list[WorkshopRow]:
        return [row for row in self.rows if not row.chosen]

    def row_for(self, user_id: int) -> WorkshopRow | None:
        return next((row for row in self.rows if row.user.pk == user_id), None)

    def candidate_for(self, user_id: int) -> WorkshopRow | None:
        return next((row for row in self.candidates if row.user.pk == user_id), None)


def _row(user, chosen: bool, sheet_row: PersonRow | None) -> WorkshopRow:
    row = WorkshopRow(user=user, chosen=chosen)
    if sheet_row is not None:
        row.team = sheet_row.team
        row.structure = sheet_row.structure
        row.function = sheet_row.function
    return row


def _sort_key(row: WorkshopRow) -> tuple:
    user = row.user
    return ((user.last_name or user.email).casefold(), user.first_name.casefold(), user.pk)


def workshop_sheet(session: Session, workshop: Workshop, organisation) -> WorkshopSheet:
    """The list of ``workshop`` (of ``session``): its registrants, the walk-ins, and who
    else of the session may come. The session's sheet (seven queries) and three more."""
    grid = attendance_grid(session, organisation)
    on_sheet = {row.user.pk: row for row in grid.rows}
    chosen = {
        registration.user_id: registration.user
        for registration in WorkshopRegistration.objects.filter(
            organisation=session.organisation_id, workshop=workshop
        ).select_related("user")
    }
    recorded = {
        attendance.user_id: attendance
        for attendance in WorkshopAttendance.objects.filter(
            organisation=session.organisation_id, workshop=workshop
        ).select_related("user")
    }
    elsewhere = {
        registration.user_id: registration.workshop.title
        for registration in WorkshopRegistration.objects.filter(
            organisation=session.organisation_id, round=workshop.round_id
        )
        .exclude(workshop=workshop)
        .select_related("workshop")
        .only("user_id", "workshop__title")
    }
    sheet = WorkshopSheet(session=session, workshop=workshop, grid=grid)
    registrants = [_row(user, True, on_sheet.get(pk)) for pk, user in chosen.items()]
    walk_ins = [
        _row(attendance.user, False, on_sheet.get(pk))
        for pk, attendance in recorded.items()
        if pk not in chosen
    ]
    for row in registrants + walk_ins:
        row.attendance = recorded.get(row.user.pk)
        row.elsewhere = elsewhere.get(row.user.pk, "")
    sheet.rows = sorted(registrants, key=_sort_key) + sorted(walk_ins, key=_sort_key)
    listed = {row.user.pk for row in sheet.rows}
    sheet.candidates = sorted(
        (
            _row(sheet_row.user, False, sheet_row)
            for sheet_row in grid.rows
            if sheet_row.user.pk not in listed
        ),
        key=_sort_key,
    )
    for row in sheet.candidates:
        row.elsewhere = elsewhere.get(row.user.pk, "")
    return sheet


def attended_workshops(organisation_id: int, user_ids, session_ids) -> dict:
    """Per (user id, session id), the titles of the workshops recorded as attended, in
    the agenda's order: one query. Workshops only chosen are never included."""
    found: dict[tuple[int, int], list[str]] = {}
    rows = (
        WorkshopAttendance.objects.filter(
            organisation=organisation_id,
            status=WorkshopStatus.PRESENT,
            user_id__in=user_ids,
            workshop__round__session__in=session_ids,
        )
        .values_list("user_id", "workshop__round__session_id", "workshop__title")
        .order_by(
            "workshop__round__day", "workshop__round__start_time", "workshop__round", "workshop"
        )
    )
    for user_id, session_id, title in rows:
        found.setdefault((user_id, session_id), []).append(title)
    return found
