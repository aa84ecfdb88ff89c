"""Attendance per half-day. SPEC FOR THE IMPLEMENTER — replace the bodies."""

from datetime import date

from ..models import AttendanceChange, AttendanceSheet, Session, SheetParticipant


def record_attendance(
    *, session: Session, acting_user, user, day: date, half_day: str, status: str, note: str = ""
) -> AttendanceChange | None:
    raise NotImplementedError


def mark_all_present(*, session: Session, acting_user, day: date, half_day: str) -> int:
    raise NotImplementedError


def undo_attendance_change(*, change: AttendanceChange, acting_user) -> AttendanceChange | None:
    raise NotImplementedError


def add_sheet_participant(
    *, session: Session, acting_user, email: str, first_name: str, last_name: str, team=None
) -> SheetParticipant:
    raise NotImplementedError


def validate_attendance_sheet(*, session: Session, acting_user) -> AttendanceSheet:
    raise NotImplementedError


def reopen_attendance_sheet(*, session: Session, acting_user, reason: str) -> AttendanceSheet:
    raise NotImplementedError
