"""The trainer's attendance sheet of a session, made for a tablet in the room."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view("parcours.view_calendar")
def attendance_sheet(request, organisation, session_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def attendance_record(request, organisation, session_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def attendance_all_present(request, organisation, session_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def attendance_undo(request, organisation, session_id, change_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def attendance_add_participant(request, organisation, session_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def attendance_validate(request, organisation, session_id):
    raise Http404


@organisation_view("parcours.manage_programme")
def attendance_reopen(request, organisation, session_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def attendance_history(request, organisation, session_id):
    raise Http404
