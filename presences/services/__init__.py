"""Writes of presences: attendance per half-day (``attendance``), electronic signatures
(``signatures``) and the days of a sheet, signed and validated by the trainer
(``days``)."""

from presences.services.attendance import (
    add_sheet_participant,
    mark_all_present,
    record_attendance,
    reopen_attendance_sheet,
    undo_attendance_change,
    validate_attendance_sheet,
    write_status,
)
from presences.services.days import reopen_sheet_day, validate_sheet_day
from presences.services.signatures import sign_half_day
from presences.services.workshops import record_workshop_attendance

__all__ = [
    "add_sheet_participant",
    "mark_all_present",
    "record_attendance",
    "record_workshop_attendance",
    "reopen_attendance_sheet",
    "reopen_sheet_day",
    "sign_half_day",
    "undo_attendance_change",
    "validate_attendance_sheet",
    "validate_sheet_day",
    "write_status",
]
