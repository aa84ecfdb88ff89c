"""Attendance per half-day: the trainer records each person's status on the sheet, marks
everyone present at once, undoes a change, adds an unexpected participant, validates
the sheet (which locks it); a coordinator reopens it. Every change is kept in
``AttendanceChange`` (who, when, before, after) and in the organisation's journal."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.rules import is_coordinator
from organisations.services import record
from parcours.models import Session
from presences.actions import Action
from presences.models import (
    Attendance,
    AttendanceChange,
    AttendanceSheet,
    AttendanceStatus,
    SheetDay,
    SheetParticipant,
)
from sillon.formatting import format_day, format_time

User = get_user_model()


def _locked_sheet(session: Session) -> AttendanceSheet:
    """The session's sheet, created on first use, read again under a row lock: two
    tablets in the room write one after the other."""
    sheet, _created = AttendanceSheet.objects.get_or_create(
        session=session, defaults={"organisation_id": session.organisation_id}
    )
    return AttendanceSheet.objects.select_for_update(of=("self",)).get(pk=sheet.pk)


def _check_not_cancelled(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(_("La séance est annulée : il n'y a pas de présences à noter."))


def _check_open(sheet: AttendanceSheet) -> None:
    if sheet.is_validated:
        raise ValidationError(
            _(
                "La feuille est validée : un·e coordinateur·rice doit la rouvrir pour "
                "modifier les présences."
            )
        )


def _check_started(session: Session) -> None:
    if session.starts_at is None:
        raise ValidationError(_("La séance n'a pas encore de date : il n'y a pas de présences."))
    if timezone.now() < session.starts_at:
        raise ValidationError(
            _("La séance n'a pas encore commencé : les présences se notent à partir de son début.")
        )


def _check_editable(session: Session, sheet: AttendanceSheet) -> None:
    _check_not_cancelled(session)
    _check_started(session)
    _check_open(sheet)


def _check_half_day_started(column) -> None:
    """The afternoon cannot be recorded in the morning."""
    if timezone.now() < column.slot.starts_at:
        raise ValidationError(
            {
                "half_day": _(
                    "Cette demi-journée commence à %(time)s : sa présence se note à partir "
                    "de son début."
                )
                % {"time": format_time(column.slot.starts_at)}
            }
        )


def _check_day_open(sheet: AttendanceSheet, day: date) -> None:
    if SheetDay.objects.filter(sheet=sheet, day=day, validated_at__isnull=False).exists():
        raise ValidationError(
            _(
                "Cette journée est validée : un·e coordinateur·rice doit la rouvrir pour "
                "modifier les présences."
            )
        )


def _grid(session: Session):
    from presences.grid import attendance_grid

    return attendance_grid(session, session.organisation)


def _column(grid, day: date, half_day: str):
    column = grid.column_for(day, half_day)
    if column is None:
        raise ValidationError(
            {"half_day": _("Cette demi-journée ne fait pas partie de la séance.")}
        )
    return column


def _audit(session: Session, acting_user, action: str, **details) -> None:
    record(
        organisation=session.organisation,
        actor=acting_user,
        action=action,
        target=session.title,
        session=session.pk,
        **details,
    )


@transaction.atomic
def record_attendance(
    *, session: Session, acting_user, user, day: date, half_day: str, status: str, note: str = ""
) -> AttendanceChange | None:
    """Set ``user``'s status for one half-day of ``session``. The team and role they
    hold on the sheet are kept on the row. Returns the history line, or None when
    nothing changed."""
    sheet = _locked_sheet(session)
    _check_editable(session, sheet)
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choisissez une présence.")})
    grid = _grid(session)
    column = _column(grid, day, half_day)
    _check_half_day_started(column)
    _check_day_open(sheet, column.day)
    row = grid.row_for(user.pk)
    if row is None:
        raise ValidationError({"user": _("Cette personne n'est pas sur la feuille de présence.")})
    return write_status(
        session=session, row=row, column=column, status=status, note=note, acting_user=acting_user
    )


def write_status(*, session: Session, row, column, status: str, note: str, acting_user):
    """Set ``row``'s status for ``column`` with its history line and journal entry,
    without checking the sheet's state (the callers do). None when nothing changed."""
    user = row.user
    note = note.strip()[:200] if status == AttendanceStatus.PARTIAL else ""
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .filter(session=session, user=user, day=column.day, half_day=column.half_day)
        .first()
    )
    before = attendance.status if attendance else ""
    if attendance is not None and attendance.status == status and attendance.note == note:
        return None
    if attendance is None:
        Attendance.objects.create(
            organisation_id=session.organisation_id,
            session=session,
            user=user,
            team=row.team,
            role=row.role,
            day=column.day,
            half_day=column.half_day,
            status=status,
            note=note,
            recorded_by=acting_user,
        )
    else:
        attendance.status = status
        attendance.note = note
        attendance.recorded_by = acting_user
        attendance.save(update_fields=["status", "note", "recorded_by", "updated_at"])
    change = AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.RECORDED,
        user=user,
        day=column.day,
        half_day=column.half_day,
        before=before,
        after=status,
        note=note,
        actor=acting_user,
    )
    _audit(
        session,
        acting_user,
        Action.ATTENDANCE_RECORDED,
        person=user.email,
        day=column.day.isoformat(),
        half_day=column.half_day,
        before=before,
        after=status,
    )
    return change


@transaction.atomic
def mark_all_present(*, session: Session, acting_user, day: date, half_day: str) -> int:
    """Everyone on the sheet without a status for this half-day becomes present; a
    status already recorded is never overwritten. Returns how many were marked."""
    sheet = _locked_sheet(session)
    _check_editable(session, sheet)
    grid = _grid(session)
    column = _column(grid, day, half_day)
    _check_half_day_started(column)
    _check_day_open(sheet, column.day)
    rows = [
        row for row in grid.expected_rows if (column.day, column.half_day) not in row.attendances
    ]
    if not rows:
        return 0
    present = AttendanceStatus.PRESENT
    Attendance.objects.bulk_create(
        [
            Attendance(
                organisation_id=session.organisation_id,
                session=session,
                user=row.user,
                team=row.team,
                role=row.role,
                day=column.day,
                half_day=column.half_day,
                status=present,
                recorded_by=acting_user,
            )
            for row in rows
        ]
    )
    AttendanceChange.objects.bulk_create(
        [
            AttendanceChange(
                organisation_id=session.organisation_id,
                session=session,
                kind=AttendanceChange.Kind.RECORDED,
                user=row.user,
                day=column.day,
                half_day=column.half_day,
                before="",
                after=present,
                actor=acting_user,
            )
            for row in rows
        ]
    )
    _audit(
        session,
        acting_user,
        Action.ATTENDANCE_ALL_PRESENT,
        day=column.day.isoformat(),
        half_day=column.half_day,
        count=len(rows),
    )
    return len(rows)


@transaction.atomic
def undo_attendance_change(*, change: AttendanceChange, acting_user) -> AttendanceChange | None:
    """Put back what ``change`` replaced (removing the status when there was none), as
    long as it is still the latest change of that person's half-day and the sheet is
    open. Returns the new history line, or None when the status is already that."""
    session = change.session
    sheet = _locked_sheet(session)
    _check_editable(session, sheet)
    if change.day is not None:
        _check_day_open(sheet, change.day)
    if change.kind != AttendanceChange.Kind.RECORDED or change.user_id is None:
        raise ValidationError(_("Ce changement ne peut pas être annulé."))
    same_half_day = AttendanceChange.objects.filter(
        session=session,
        kind=AttendanceChange.Kind.RECORDED,
        user_id=change.user_id,
        day=change.day,
        half_day=change.half_day,
    ).order_by("-at", "-pk")
    if same_half_day.values_list("pk", flat=True).first() != change.pk:
        raise ValidationError(
            _("Cette présence a été modifiée depuis : le changement ne peut plus être annulé.")
        )
    attendance = (
        Attendance.objects.select_for_update(of=("self",))
        .filter(session=session, user_id=change.user_id, day=change.day, half_day=change.half_day)
        .first()
    )
    current = attendance.status if attendance else ""
    if current == change.before:
        return None
    # The note that went with the restored status, if the change before said it.
    previous = same_half_day.exclude(pk=change.pk).filter(pk__lt=change.pk).first()
    note = previous.note if previous is not None and previous.after == change.before else ""
    if not change.before:
        if attendance is not None:
            attendance.delete()
    elif attendance is None:
        grid = _grid(session)
        row = grid.row_for(change.user_id)
        Attendance.objects.create(
            organisation_id=session.organisation_id,
            session=session,
            user_id=change.user_id,
            team=row.team if row else None,
            role=row.role if row else None,
            day=change.day,
            half_day=change.half_day,
            status=change.before,
            note=note,
            recorded_by=acting_user,
        )
    else:
        attendance.status = change.before
        attendance.note = note
        attendance.recorded_by = acting_user
        attendance.save(update_fields=["status", "note", "recorded_by", "updated_at"])
    undone = AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.RECORDED,
        user_id=change.user_id,
        day=change.day,
        half_day=change.half_day,
        before=current,
        after=change.before,
        note=note,
        actor=acting_user,
    )
    _audit(
        session,
        acting_user,
        Action.ATTENDANCE_UNDONE,
        person=change.user.email,
        day=change.day.isoformat(),
        half_day=change.half_day,
        before=current,
        after=change.before,
    )
    return undone


@transaction.atomic
def add_sheet_participant(
    *, session: Session, acting_user, email: str, first_name: str, last_name: str, team=None
) -> SheetParticipant:
    """Put someone who was not expected on the sheet: their account found by e-mail
    address (whatever the case), or a new one without password under the given name.
    ``team``, when given, must be one of the teams concerned by the session."""
    sheet = _locked_sheet(session)
    _check_not_cancelled(session)
    _check_open(sheet)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Saisissez une adresse e-mail valide.")}) from None
    grid = _grid(session)
    if team is not None and not any(
        block.team is not None and block.team.pk == team.pk for block in grid.blocks
    ):
        raise ValidationError({"team": _("Choisissez une équipe concernée par la séance.")})
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and grid.row_for(user.pk) is not None:
        raise ValidationError({"email": _("Cette personne est déjà sur la feuille de présence.")})
    if user is None:
        first_name, last_name = first_name.strip(), last_name.strip()
        errors = {}
        if not first_name:
            errors["first_name"] = _("Indiquez le prénom de la personne.")
        if not last_name:
            errors["last_name"] = _("Indiquez le nom de la personne.")
        if errors:
            raise ValidationError(errors)
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
    guest = SheetParticipant.objects.create(
        organisation_id=session.organisation_id,
        sheet=sheet,
        user=user,
        team=team,
        added_by=acting_user,
    )
    AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.GUEST_ADDED,
        user=user,
        note=team.name if team is not None else "",
        actor=acting_user,
    )
    _audit(
        session,
        acting_user,
        Action.ATTENDANCE_PARTICIPANT_ADDED,
        person=user.email,
        team=team.name if team is not None else "",
    )
    return guest


@transaction.atomic
def validate_attendance_sheet(*, session: Session, acting_user) -> AttendanceSheet:
    """The trainer signs off the sheet once every person has a status for every
    half-day; it is locked until a coordinator reopens it."""
    sheet = _locked_sheet(session)
    _check_editable(session, sheet)
    grid = _grid(session)
    if grid.columns and timezone.now() < grid.columns[-1].slot.ends_at:
        end = grid.columns[-1].slot.ends_at
        raise ValidationError(
            _("Vous pourrez valider cette feuille à partir du %(day)s à %(time)s.")
            % {"day": format_day(end.date()), "time": format_time(end)}
        )
    missing = grid.missing_count()
    if missing:
        raise ValidationError(
            ngettext(
                "Il reste %(count)s présence à renseigner.",
                "Il reste %(count)s présences à renseigner.",
                missing,
            )
            % {"count": missing}
        )
    now = timezone.now()
    for day in sorted({column.day for column in grid.columns}):
        sheet_day, _created = SheetDay.objects.get_or_create(
            sheet=sheet, day=day, defaults={"organisation_id": session.organisation_id}
        )
        if sheet_day.validated_at is None:
            sheet_day.validated_at = now
            sheet_day.validated_by = acting_user
            sheet_day.save(update_fields=["validated_at", "validated_by"])
    mark_validated(sheet, session, acting_user, now)
    return sheet


def mark_validated(sheet: AttendanceSheet, session: Session, acting_user, now) -> None:
    """``sheet`` (of ``session``) becomes validated by ``acting_user`` at ``now``: in its
    history and in the organisation's journal."""
    sheet.status = AttendanceSheet.Status.VALIDATED
    sheet.validated_at = now
    sheet.validated_by = acting_user
    sheet.save(update_fields=["status", "validated_at", "validated_by"])
    AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.VALIDATED,
        actor=acting_user,
    )
    _audit(session, acting_user, Action.ATTENDANCE_VALIDATED)


@transaction.atomic
def reopen_attendance_sheet(*, session: Session, acting_user, reason: str) -> AttendanceSheet:
    """A coordinator unlocks a validated sheet, saying why (kept in the history)."""
    sheet = _locked_sheet(session)
    if not is_coordinator(acting_user, session.organisation):
        raise ValidationError(_("Seul·e un·e coordinateur·rice peut rouvrir la feuille."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi la feuille est rouverte.")})
    if not sheet.is_validated:
        raise ValidationError(_("La feuille n'est pas validée : elle est déjà modifiable."))
    sheet.status = AttendanceSheet.Status.OPEN
    sheet.validated_at = None
    sheet.validated_by = None
    sheet.save(update_fields=["status", "validated_at", "validated_by"])
    # The days are reopened too; their trainer signatures and every change stay.
    SheetDay.objects.filter(sheet=sheet).update(validated_at=None, validated_by=None)
    AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.REOPENED,
        note=reason[:300],
        actor=acting_user,
    )
    _audit(session, acting_user, Action.ATTENDANCE_REOPENED, reason=reason)
    return sheet
