"""Date polls: the organiser proposes slots, the team members answer, the organiser picks one."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view("parcours.view_calendar")
def poll_list(request, organisation, programme_id):
    raise Http404


@organisation_view("parcours.manage_programme")
def poll_launch_batch(request, organisation, programme_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def poll_create(request, organisation, session_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def poll_detail(request, organisation, poll_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def poll_vote(request, organisation, poll_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def slot_vote(request, organisation, poll_id, slot_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def poll_add_slots(request, organisation, poll_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def poll_choose(request, organisation, poll_id, slot_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def poll_cancel(request, organisation, poll_id):
    raise Http404


@organisation_view("parcours.view_calendar")
def my_polls(request, organisation):
    raise Http404
