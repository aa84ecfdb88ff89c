"""Attendance rates of a programme: per session, team, person and role, with exports."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view("parcours.view_calendar")
def attendance_dashboard(request, organisation, programme_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def attendance_export(request, organisation, programme_id):
    raise Http404
