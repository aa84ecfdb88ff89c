"""Feuilles d'émargement of a session: blank, to print and sign in the room
(ATTENDANCE_SHEET), or filled from the attendance recorded (FILLED_ATTENDANCE_SHEET).

Both list the session's details, then the expected people team by team (name and
territory of the team, each person's name and role; for an open-registration seminar,
the registrants collectif by collectif, then the individuals, each with their structure
and fonction) with one column per half-day, the
unexpected participants, and the trainers' signature. The blank sheet has an empty box
per half-day and empty rows for people who come unexpected; the filled one prints each
half-day's status and note, the guests the trainer added, and whether the sheet was
validated (by whom, when), with each person's electronic signature per half-day (the
drawing, or « signé électroniquement à 9 h 34 (téléphone) »), totals per person
(half-days attended, hours) and per half-day (present, absent, excused), and each day's
trainer signature with « validé le … ». More than three half-days turn the page to
landscape.
"""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.builders import BuildError, Built
from documents.filenames import ascii_filename
from documents.models import Document
from documents.queue import temporary_path
from parcours.models import Session, SessionFormat, SessionRegistration
from parcours.selectors import expected_teams
from presences.grid import collectifs_of
from presences.halfdays import HalfDaySlot, half_days
from presences.models import (
    ATTENDED,
    Attendance,
    AttendanceSheet,
    AttendanceStatus,
    SheetParticipant,
)
from presences.signing import mark_of, sheet_days, signatures_of
from presences.strokes import strokes_svg
from sillon.formatting import format_day, format_session_when, format_time
from sillon.pdf import html_to_pdf

TEMPLATE = "documents/pdf/attendance_sheet.html"
PDF = "application/pdf"
# Above this many half-days, the sheet is printed in landscape.
PORTRAIT_MAX_HALF_DAYS = 3
# Empty rows on a blank sheet for people nobody expected.
BLANK_ROWS = 4

SHORT_WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
STATUS_LABELS = {
    AttendanceStatus.PRESENT: gettext_lazy("Présent·e"),
    AttendanceStatus.ABSENT: gettext_lazy("Absent·e"),
    AttendanceStatus.EXCUSED: gettext_lazy("Excusé·e"),
    AttendanceStatus.PARTIAL: gettext_lazy("Retard / départ anticipé"),
}


def half_day_heading(slot: HalfDaySlot) -> str:
    """« mer. 9 déc. matin »."""
    day = slot.day
    number = "1er" if day.day == 1 else str(day.day)
    return (
        f"{SHORT_WEEKDAYS[day.weekday()]} {number} {SHORT_MONTHS[day.month - 1]} "
        f"{slot.label.lower()}"
    )


@dataclass
class Cell:
    status: str = ""
    label: str = ""
    note: str = ""
    signature_svg: str = ""  # the drawn signature, inline SVG made by our code
    signature_text: str = ""  # « signé électroniquement à 9 h 34 (téléphone) »


@dataclass
class Row:
    name: str
    role: str = ""
    team: str = ""
    cells: list[Cell] = field(default_factory=list)
    structure: str = ""
    hours: str = ""  # « 7 h 15 », the hours of the half-days attended

    @property
    def attended(self) -> int:
        return sum(1 for cell in self.cells if cell.status in ATTENDED)


@dataclass
class HalfDayTotal:
    heading: str
    present: int = 0
    absent: int = 0
    excused: int = 0


@dataclass
class TrainerDay:
    label: str
    name: str = ""
    signature_svg: str = ""
    typed_name: str = ""
    validated: str = ""  # « validé le jeudi 10 décembre 2026 à 17 h 52 »


@dataclass
class Group:
    name: str
    territory: str = ""
    rows: list[Row] = field(default_factory=list)


def _name(user) -> str:
    return user.get_full_name() or user.email


def _place(session: Session) -> str:
    if session.format == SessionFormat.REMOTE:
        return _("Visio")
    if session.format == SessionFormat.HYBRID:
        return _("%(place)s, et en visio") % {"place": session.place or "—"}
    return session.place or "—"


def _cells(slots, recorded: dict | None, signed: dict | None = None, zone=None) -> list[Cell]:
    if recorded is None:
        return [Cell() for _slot in slots]
    cells = []
    for slot in slots:
        found = recorded.get(slot.key)
        if found is None:
            cell = Cell()
        else:
            status, note = found
            cell = Cell(status=status, label=str(STATUS_LABELS.get(status, status)), note=note)
        signature = (signed or {}).get(slot.key)
        if signature is not None:
            mark = mark_of(signature, zone)
            cell.signature_svg = mark.svg
            cell.signature_text = mark.text
            if mark.typed_name:
                cell.signature_text = f"{mark.typed_name} — {mark.text}"
        cells.append(cell)
    return cells


def _hours(value: float) -> str:
    """« 7 h 15 », « 3 h »."""
    minutes = round(value * 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _totals(slots, groups, others) -> list[HalfDayTotal]:
    totals = [HalfDayTotal(half_day_heading(slot)) for slot in slots]
    rows = [row for group in groups for row in group.rows] + list(others)
    for row in rows:
        for total, cell in zip(totals, row.cells, strict=False):
            if cell.status in ATTENDED:
                total.present += 1
            elif cell.status == AttendanceStatus.ABSENT:
                total.absent += 1
            elif cell.status == AttendanceStatus.EXCUSED:
                total.excused += 1
    for row in rows:
        row.hours = _hours(
            sum(
                slot.hours
                for slot, cell in zip(slots, row.cells, strict=False)
                if cell.status in ATTENDED
            )
        )
    return totals


def _trainer_days(slots, sheet, zone) -> list[TrainerDay]:
    saved = sheet_days(sheet)
    result = []
    for day in sorted({slot.day for slot in slots}):
        item = TrainerDay(label=format_day(day))
        sheet_day = saved.get(day)
        if sheet_day is not None and sheet_day.trainer_signed_at:
            item.signature_svg = (
                strokes_svg(sheet_day.trainer_strokes, width=150)
                if sheet_day.trainer_strokes
                else ""
            )
            item.typed_name = sheet_day.trainer_typed_name
        if sheet_day is not None and sheet_day.is_validated:
            moment = sheet_day.validated_at.astimezone(zone)
            item.name = _name(sheet_day.validated_by) if sheet_day.validated_by else ""
            item.validated = _("validé le %(day)s à %(time)s") % {
                "day": format_day(moment.date()),
                "time": format_time(moment),
            }
        result.append(item)
    return result


def _registered_groups(session: Session, seen: set[int], cells_of) -> list[Group]:
    """The registrants of an open session: a group per collectif (the team they are in
    in the programme, by name), then the individuals; each row with the person's
    structure and fonction. Two queries."""
    registrations = list(
        SessionRegistration.objects.filter(session=session)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    collectifs = collectifs_of(
        session, SessionRegistration.objects.filter(session=session).values("user_id")
    )
    by_team: dict[int, Group] = {}
    individuals = Group(name=_("Inscrit·es individuel·les"))
    for registration in registrations:
        if registration.user_id in seen:
            continue
        seen.add(registration.user_id)
        member = collectifs.get(registration.user_id)
        role = member.role if member else None
        row = Row(
            name=_name(registration.user),
            role=registration.function or (role.name if role else ""),
            structure=registration.structure or (member.structure if member else ""),
            cells=cells_of(registration.user_id),
        )
        if member is None:
            individuals.rows.append(row)
            continue
        team = member.team
        group = by_team.get(team.pk)
        if group is None:
            territory = team.territory.name if team.territory else ""
            group = by_team[team.pk] = Group(name=team.name, territory=territory)
        group.rows.append(row)
    groups = sorted(by_team.values(), key=lambda group: group.name.casefold())
    if individuals.rows:
        if not groups:
            individuals.name = _("Inscrit·es")
        groups.append(individuals)
    return groups


def sheet_context(session: Session, *, filled: bool) -> dict:
    """What the sheet prints (a constant number of queries)."""
    session = (
        Session.objects.select_related("organisation", "programme", "kind", "expected_role")
        .prefetch_related("facilitators")
        .get(pk=session.pk)
    )
    organisation = session.organisation
    zone = ZoneInfo(organisation.time_zone)
    slots = half_days(session, zone)

    recorded: dict[int, dict] = {}
    attendance_rows: dict[int, Attendance] = {}
    guests: list[SheetParticipant] = []
    sheet = None
    signed: dict[int, dict] = {}
    if filled:
        signed = signatures_of(session)
        for row in Attendance.objects.filter(session=session).select_related(
            "user", "team", "role"
        ):
            recorded.setdefault(row.user_id, {})[(row.day, row.half_day)] = (row.status, row.note)
            attendance_rows.setdefault(row.user_id, row)
        sheet = (
            AttendanceSheet.objects.filter(session=session).select_related("validated_by").first()
        )
        if sheet is not None:
            guests = list(
                SheetParticipant.objects.filter(sheet=sheet)
                .select_related("user", "team")
                .order_by("user__last_name", "user__first_name", "pk")
            )

    def cells_of(user_id):
        if not filled:
            return _cells(slots, None)
        return _cells(slots, recorded.get(user_id, {}), signed.get(user_id, {}), zone)

    seen: set[int] = set()
    groups = []
    for team in expected_teams(session).order_by("name"):
        group = Group(name=team.name, territory=team.territory.name if team.territory else "")
        for member in team.current_members:
            if (
                session.expected_presence == Session.Presence.ONE_ROLE
                and member.role_id != session.expected_role_id
            ):
                continue
            if member.user_id in seen:
                continue
            seen.add(member.user_id)
            group.rows.append(
                Row(
                    name=_name(member.user),
                    role=member.role.name if member.role else "",
                    structure=member.structure,
                    cells=cells_of(member.user_id),
                )
            )
        if group.rows:
            groups.append(group)
    if session.audience == Session.Audience.OPEN:
        groups += _registered_groups(session, seen, cells_of)

    # Anyone else on the sheet: guests the trainer added, then people recorded without
    # being expected today (a member who left the team since).
    others = []
    for guest in guests:
        if guest.user_id in seen:
            continue
        seen.add(guest.user_id)
        others.append(
            Row(
                name=_name(guest.user),
                team=guest.team.name if guest.team else "",
                cells=cells_of(guest.user_id),
            )
        )
    extra = [row for user_id, row in attendance_rows.items() if user_id not in seen]
    for row in sorted(extra, key=lambda r: (r.user.last_name, r.user.first_name, r.user_id)):
        others.append(
            Row(
                name=_name(row.user),
                role=row.role.name if row.role else "",
                team=row.team.name if row.team else "",
                cells=cells_of(row.user_id),
            )
        )

    validated = sheet is not None and sheet.is_validated and sheet.validated_at is not None
    validation = ""
    if filled:
        if validated:
            moment = sheet.validated_at.astimezone(zone)
            validation = _("Feuille validée par %(name)s le %(day)s à %(time)s.") % {
                "name": _name(sheet.validated_by)
                if sheet.validated_by
                else _("un·e intervenant·e"),
                "day": format_day(moment.date()),
                "time": format_time(moment),
            }
        else:
            validation = _("Feuille non validée : les présences peuvent encore changer.")

    totals = _totals(slots, groups, others) if filled else []
    return {
        "totals": totals,
        "trainer_days": _trainer_days(slots, sheet, zone) if filled else [],
        "organisation": organisation,
        "programme": session.programme,
        "session": session,
        "filled": filled,
        "landscape": len(slots) > PORTRAIT_MAX_HALF_DAYS,
        "when": format_session_when(session),
        "place": _place(session),
        "facilitators": [_name(user) for user in session.facilitators.all()],
        "half_days": [half_day_heading(slot) for slot in slots],
        "groups": groups,
        "others": others,
        # A column « Structure » when someone has one (collectifs of several structures).
        "show_structure": any(row.structure for group in groups for row in group.rows),
        "blank_rows": [[Cell() for _slot in slots] for _index in range(BLANK_ROWS)]
        if not filled
        else [],
        "validated": validated,
        "validation": validation,
    }


def _build(document: Document, progress, *, filled: bool) -> Built:
    if document.session is None:
        raise BuildError(_("Ce document ne désigne aucune séance."))
    progress(0, 2)
    context = sheet_context(document.session, filled=filled)
    progress(1, 2)
    content = html_to_pdf(render_to_string(TEMPLATE, context))
    # The last report before the file exists: a superseded build stops here, leaving none.
    progress(2, 2)
    path = temporary_path(document, ".pdf")
    path.write_bytes(content)
    prefix = _("Emargement rempli") if filled else _("Emargement")
    filename = ascii_filename(f"{prefix} - {context['session'].title}", "pdf", fallback=prefix)
    return Built(path=path, filename=filename, content_type=PDF)


def build_blank_sheet(document: Document, progress) -> Built:
    return _build(document, progress, filled=False)


def build_filled_sheet(document: Document, progress) -> Built:
    return _build(document, progress, filled=True)
