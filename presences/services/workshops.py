"""Attendance per workshop: the trainer marks each registrant of a workshop present or
absent, and adds the walk-ins (people of the session who chose another workshop of the
round, or none). Each change is kept in the session's history (``AttendanceChange``,
kind WORKSHOP) and in the organisation's journal. Like the sheet, it can be written once
the session has started, until the sheet is validated."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parcours.models import Session, Workshop
from presences.actions import Action
from presences.models import AttendanceChange, WorkshopAttendance, WorkshopStatus
from presences.services.attendance import _audit, _check_editable, _locked_sheet


@transaction.atomic
def record_workshop_attendance(
    *, session: Session, workshop: Workshop, acting_user, user_id: int, status: str
) -> AttendanceChange | None:
    """Set the person's presence at ``workshop``: one of its registrants, or anyone on
    the session's sheet (then a walk-in). Returns the history line, or None when
    nothing changed."""
    from presences.workshops import workshop_sheet

    if workshop.round.session_id != session.pk:
        raise ValidationError(_("Cet atelier ne fait pas partie de la séance."))
    sheet = _locked_sheet(session)
    _check_editable(session, sheet)
    if status not in WorkshopStatus.values:
        raise ValidationError({"status": _("Choisissez présent·e ou absent·e.")})
    found = workshop_sheet(session, workshop, session.organisation)
    row = found.row_for(user_id) or found.candidate_for(user_id)
    if row is None:
        raise ValidationError(
            {"user": _("Cette personne n'est ni inscrite à l'atelier ni sur la feuille.")}
        )
    attendance = (
        WorkshopAttendance.objects.select_for_update(of=("self",))
        .filter(workshop=workshop, user_id=user_id)
        .first()
    )
    before = attendance.status if attendance else ""
    if before == status:
        return None
    if attendance is None:
        WorkshopAttendance.objects.create(
            organisation_id=session.organisation_id,
            workshop=workshop,
            user=row.user,
            status=status,
            walk_in=not row.chosen,
            recorded_by=acting_user,
        )
    else:
        attendance.status = status
        attendance.recorded_by = acting_user
        attendance.save(update_fields=["status", "recorded_by", "at"])
    change = AttendanceChange.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        kind=AttendanceChange.Kind.WORKSHOP,
        user=row.user,
        workshop=workshop,
        before=before,
        after=status,
        note=workshop.title[:300],
        actor=acting_user,
    )
    _audit(
        session,
        acting_user,
        Action.WORKSHOP_ATTENDANCE_RECORDED,
        person=row.user.email,
        workshop=workshop.title,
        walk_in=not row.chosen,
        before=before,
        after=status,
    )
    return change
