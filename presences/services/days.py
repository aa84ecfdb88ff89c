"""The days of a sheet: at the end of each day the trainer signs and validates it
(which locks its half-days); once every day is validated, so is the sheet. A
coordinator reopens a day, saying why: the signatures and every change stay."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.rules import is_coordinator
from parcours.models import Session
from presences.actions import Action
from presences.models import AttendanceChange, AttendanceSheet, SheetDay
from presences.services.attendance import (
    _audit,
    _check_not_cancelled,
    _check_open,
    _grid,
    _locked_sheet,
    mark_validated,
)
from presences.services.signatures import signature_required_error
from presences.strokes import is_drawn
from sillon.formatting import format_day, format_time


def _day_columns(grid, day: date):
    columns = [column for column in grid.columns if column.day == day]
    if not columns:
        raise ValidationError({"day": _("Ce jour ne fait pas partie de la séance.")})
    return columns


@transaction.atomic
def validate_sheet_day(
    *, session: Session, acting_user, day: date, strokes: list, typed_name: str = ""
) -> SheetDay:
    """The trainer signs ``day`` and validates it, once its last half-day has ended and
    everyone has a status for each of its half-days."""
    sheet = _locked_sheet(session)
    _check_not_cancelled(session)
    _check_open(sheet)
    grid = _grid(session)
    columns = _day_columns(grid, day)
    end = columns[-1].slot.ends_at
    if timezone.now() < end:
        raise ValidationError(
            _("Vous pourrez valider cette journée à partir de %(time)s.")
            % {"time": format_time(end)}
        )
    sheet_day, _created = SheetDay.objects.select_for_update().get_or_create(
        sheet=sheet, day=day, defaults={"organisation_id": session.organisation_id}
    )
    if sheet_day.is_validated:
        raise ValidationError(_("Cette journée est déjà validée."))
    missing = sum(grid.blank_count(column) for column in columns)
    if missing:
        raise ValidationError(
            ngettext(
                "Il reste %(count)s présence à renseigner pour cette journée.",
                "Il reste %(count)s présences à renseigner pour cette journée.",
                missing,
            )
            % {"count": missing}
        )
    typed_name = " ".join((typed_name or "").split())[:150]
    if not is_drawn(strokes) and not typed_name:
        raise signature_required_error()
    now = timezone.now()
    sheet_day.validated_at = now
    sheet_day.validated_by = acting_user
    sheet_day.trainer_strokes = strokes if is_drawn(strokes) else []
    sheet_day.trainer_typed_name = "" if is_drawn(strokes) else typed_name
    sheet_day.trainer_signed_at = now
    sheet_day.save()
    AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.DAY_VALIDATED,
        day=day,
        note=format_day(day),
        actor=acting_user,
    )
    _audit(session, acting_user, Action.DAY_VALIDATED, day=day.isoformat())
    days = {column.day for column in grid.columns}
    validated = set(
        SheetDay.objects.filter(sheet=sheet, validated_at__isnull=False).values_list(
            "day", flat=True
        )
    )
    if days <= validated:
        mark_validated(sheet, session, acting_user, now)
    return sheet_day


@transaction.atomic
def reopen_sheet_day(*, session: Session, acting_user, day: date, reason: str) -> SheetDay:
    """A coordinator unlocks a validated day (and so the sheet), saying why. The
    trainer's signature, the people's signatures and the history are kept."""
    sheet = _locked_sheet(session)
    if not is_coordinator(acting_user, session.organisation):
        raise ValidationError(_("Seul·e un·e coordinateur·rice peut rouvrir une journée."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi la journée est rouverte.")})
    sheet_day = SheetDay.objects.select_for_update().filter(sheet=sheet, day=day).first()
    if sheet_day is None or not sheet_day.is_validated:
        raise ValidationError(_("Cette journée n'est pas validée : elle est déjà modifiable."))
    sheet_day.validated_at = None
    sheet_day.validated_by = None
    sheet_day.save(update_fields=["validated_at", "validated_by"])
    if sheet.is_validated:
        sheet.status = AttendanceSheet.Status.OPEN
        sheet.validated_at = None
        sheet.validated_by = None
        sheet.save(update_fields=["status", "validated_at", "validated_by"])
    AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.DAY_REOPENED,
        day=day,
        note=f"{format_day(day)} — {reason}"[:300],
        actor=acting_user,
    )
    _audit(session, acting_user, Action.DAY_REOPENED, day=day.isoformat(), reason=reason)
    return sheet_day
