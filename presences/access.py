"""Getting a session whose attendance sheet the current user may keep, or 404.

The sheet is kept by the organisation's coordinators and by the trainers who facilitate
the session; anyone else (another trainer, an observer, a team member) gets 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.models import Organisation, Role
from organisations.roles import role_in
from parcours.models import Session
from presences.models import AttendanceChange


def get_session_for_attendance_or_404(user, organisation: Organisation, session_id: int):
    sessions = Session.objects.filter(organisation=organisation).select_related(
        "programme", "kind", "expected_role", "organisation"
    )
    role = role_in(user, organisation)
    if role == Role.TRAINER:
        sessions = sessions.filter(facilitators=user)
    elif role != Role.COORDINATOR:
        raise Http404
    return get_object_or_404(sessions, pk=session_id)


def can_reopen_sheet(user, organisation: Organisation) -> bool:
    return role_in(user, organisation) == Role.COORDINATOR


def get_attendance_change_or_404(session: Session, change_id: int) -> AttendanceChange:
    return get_object_or_404(
        AttendanceChange.objects.select_related("user"),
        organisation=session.organisation_id,
        session=session,
        pk=change_id,
    )
