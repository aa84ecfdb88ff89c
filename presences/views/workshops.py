"""Attendance per workshop, from the sheet's « Présences par atelier »: the workshops of
the session round by round, then a page per workshop listing its registrants with a
present / absent toggle (htmx, with a plain POST without JavaScript), the walk-ins, and a
form to add someone of the session who chose another workshop. For the session's
coordinators and trainers, like the sheet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours.models import Session
from presences import services
from presences.access import get_session_for_attendance_or_404
from presences.forms import WorkshopRecordForm
from presences.models import AttendanceSheet, WorkshopStatus
from presences.workshops import get_workshop_or_404, session_workshops, workshop_sheet
from sillon.formatting import format_session_when, format_time

VIEW = "parcours.view_calendar"

# (status, Bootstrap colour of its button)
STATUS_BUTTONS = ((WorkshopStatus.PRESENT, "success"), (WorkshopStatus.ABSENT, "danger"))


def _editable(session: Session) -> bool:
    """Presences can be written: the session has started, is not cancelled, and its
    sheet is not validated."""
    if session.is_cancelled or session.starts_at is None or timezone.now() < session.starts_at:
        return False
    sheet = AttendanceSheet.objects.filter(session=session).only("status").first()
    return sheet is None or not sheet.is_validated


def _workshop_url(organisation, session, workshop, row=None) -> str:
    url = reverse(
        "presences:workshop_attendance", args=[organisation.slug, session.pk, workshop.pk]
    )
    return f"{url}#personne-{row}" if row else url


def _rounds(workshops) -> list[tuple]:
    """``[(round, [workshops])]`` in the agenda's order."""
    rounds: list[tuple] = []
    for workshop in workshops:
        if not rounds or rounds[-1][0].pk != workshop.round_id:
            rounds.append((workshop.round, []))
        rounds[-1][1].append(workshop)
    return rounds


def _round_label(item) -> str:
    """« Ateliers, 1er tour (10 h 30 – 12 h) », or the title alone for a round without
    a time (all day)."""
    if item.start_time is None:
        return item.title
    start = format_time(item.start_time)
    if item.end_time:
        return _("%(title)s (%(start)s – %(end)s)") % {
            "title": item.title,
            "start": start,
            "end": format_time(item.end_time),
        }
    return _("%(title)s (%(start)s)") % {"title": item.title, "start": start}


@organisation_view(VIEW)
def workshop_list(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    rounds = [
        {"label": _round_label(item), "workshops": workshops}
        for item, workshops in _rounds(session_workshops(session))
    ]
    return render(
        request,
        "presences/workshops.html",
        {
            "session": session,
            "programme": session.programme,
            "when": format_session_when(session),
            "rounds": rounds,
        },
    )


def _context(request, organisation, session, workshop, *, add_form=None) -> dict:
    sheet = workshop_sheet(session, workshop, organisation)
    return {
        "session": session,
        "programme": session.programme,
        "when": format_session_when(session),
        "workshop": workshop,
        "round_label": _round_label(workshop.round),
        "sheet": sheet,
        "editable": _editable(session),
        "status_buttons": [(value, value.label, colour) for value, colour in STATUS_BUTTONS],
        "add_form": add_form or WorkshopRecordForm(people=sheet.candidates),
        "oob": False,
    }


@organisation_view(VIEW)
def workshop_attendance(request, organisation, session_id, workshop_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    workshop = get_workshop_or_404(session, workshop_id)
    context = _context(request, organisation, session, workshop)
    return render(request, "presences/workshop.html", context)


def _row_response(request, organisation, session, workshop, user_id, *, error=""):
    context = _context(request, organisation, session, workshop)
    row = context["sheet"].row_for(user_id)
    if row is None:
        if error:
            messages.error(request, error)
        return redirect(_workshop_url(organisation, session, workshop))
    row.error = error
    context["row"] = row
    return render(request, "presences/workshop.html#record_result", context)


@organisation_view(VIEW)
@require_POST
def workshop_record(request, organisation, session_id, workshop_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    workshop = get_workshop_or_404(session, workshop_id)
    sheet = workshop_sheet(session, workshop, organisation)
    form = WorkshopRecordForm(request.POST, people=sheet.rows + sheet.candidates)
    walk_in = request.POST.get("ajout") == "1"
    if not form.is_valid():
        if walk_in:
            messages.error(request, _("La personne n'a pas été ajoutée : corrigez le formulaire."))
            context = _context(request, organisation, session, workshop, add_form=form)
            return render(request, "presences/workshop.html", context, status=400)
        messages.error(request, _("Choisissez une personne et une présence."))
        return redirect(_workshop_url(organisation, session, workshop))
    user_id = form.cleaned_data["user"]
    try:
        services.record_workshop_attendance(
            session=session,
            workshop=workshop,
            acting_user=request.user,
            user_id=user_id,
            status=form.cleaned_data["status"],
        )
    except ValidationError as error:
        text = " ".join(error.messages)
        if request.htmx and not walk_in:
            return _row_response(request, organisation, session, workshop, user_id, error=text)
        messages.error(request, text)
        return redirect(_workshop_url(organisation, session, workshop))
    if request.htmx and not walk_in:
        return _row_response(request, organisation, session, workshop, user_id)
    row = workshop_sheet(session, workshop, organisation).row_for(user_id)
    if row is not None:
        messages.success(
            request,
            _("%(person)s : %(status)s.") % {"person": row.name, "status": row.label.lower()},
        )
    return redirect(_workshop_url(organisation, session, workshop, row=user_id))
