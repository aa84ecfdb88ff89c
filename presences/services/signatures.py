"""Electronic signatures (« émargement ») of a half-day: on the trainer's tablet or on
the person's own phone, during the half-day's window (``presences.codes``). Signing
also records the person present, unless the trainer already set a status."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.models import Session
from presences.actions import Action
from presences.codes import window_error
from presences.models import (
    Attendance,
    AttendanceChange,
    AttendanceSignature,
    AttendanceStatus,
    SignatureMethod,
)
from presences.services.attendance import (
    _audit,
    _check_day_open,
    _check_not_cancelled,
    _check_open,
    _column,
    _grid,
    _locked_sheet,
    write_status,
)
from presences.strokes import is_drawn
from sillon.formatting import format_time

DEVICE_MAX = 200


def signature_required_error(field: str = "strokes") -> ValidationError:
    return ValidationError(
        {field: _("Signez dans le cadre, ou saisissez votre nom pour signer au clavier.")}
    )


@transaction.atomic
def sign_half_day(
    *,
    session: Session,
    user,
    day: date,
    half_day: str,
    method: str,
    strokes: list,
    typed_name: str = "",
    device: str = "",
    ip: str | None = None,
    recorded_by,
) -> AttendanceSignature:
    """``user`` signs one half-day of ``session`` (``recorded_by`` held the device: the
    trainer for a tablet, the person for a phone). Refused outside the half-day's
    window, for someone not on the sheet, on a validated day, or twice."""
    if method not in SignatureMethod.values:
        raise ValidationError(_("Moyen de signature inconnu."))
    sheet = _locked_sheet(session)
    _check_not_cancelled(session)
    _check_open(sheet)
    grid = _grid(session)
    column = _column(grid, day, half_day)
    _check_day_open(sheet, column.day)
    problem = window_error(column.slot)
    if problem:
        raise ValidationError(problem)
    row = grid.row_for(user.pk)
    if row is None:
        raise ValidationError(
            {"user": _("Cette personne n'est pas sur la feuille d'émargement de cette séance.")}
        )
    typed_name = " ".join((typed_name or "").split())[:150]
    if not is_drawn(strokes) and not typed_name:
        raise signature_required_error()
    existing = AttendanceSignature.objects.filter(
        session=session, user=user, day=column.day, half_day=column.half_day
    ).first()
    if existing is not None:
        moment = existing.signed_at.astimezone(column.slot.starts_at.tzinfo)
        raise ValidationError(
            _("Cette demi-journée est déjà signée (à %(time)s).") % {"time": format_time(moment)}
        )
    signature = AttendanceSignature.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        user=user,
        day=column.day,
        half_day=column.half_day,
        signed_at=timezone.now(),
        method=method,
        strokes=strokes if is_drawn(strokes) else [],
        typed_name=typed_name if not is_drawn(strokes) else "",
        device=(device or "")[:DEVICE_MAX],
        ip=ip or None,
        recorded_by=recorded_by,
    )
    # Present, unless the trainer already said otherwise (their status is kept).
    if not Attendance.objects.filter(
        session=session, user=user, day=column.day, half_day=column.half_day
    ).exists():
        write_status(
            session=session,
            row=row,
            column=column,
            status=AttendanceStatus.PRESENT,
            note="",
            acting_user=recorded_by,
        )
    how = SignatureMethod(method).label
    if signature.typed_name:
        how = _("%(method)s, nom saisi au clavier") % {"method": how}
    AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.SIGNED,
        user=user,
        day=column.day,
        half_day=column.half_day,
        note=f"{how} · {signature.device}"[:300] if signature.device else how,
        actor=recorded_by,
    )
    _audit(
        session,
        recorded_by,
        Action.ATTENDANCE_SIGNED,
        person=user.email,
        day=column.day.isoformat(),
        half_day=column.half_day,
        method=method,
    )
    return signature
