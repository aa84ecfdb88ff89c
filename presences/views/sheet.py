"""The trainer's attendance sheet of a session, made for a tablet in the room: one
half-day at a time, people by team with four big status buttons saved at once (htmx,
with « Annuler »), « Tous présents », an unexpected participant, validation (which
locks the sheet) and reopening by a coordinator; and the sheet's history."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from organisations.access import organisation_view
from organisations.models import Organisation
from parcours.models import Session
from parcours.services.common import zone_of
from presences import services
from presences.access import (
    can_reopen_sheet,
    get_attendance_change_or_404,
    get_session_for_attendance_or_404,
)
from presences.forms import AddParticipantForm, HalfDayForm, RecordForm, ReopenForm
from presences.grid import attendance_grid
from presences.models import AttendanceChange, AttendanceStatus, HalfDay
from presences.signing import sheet_days
from presences.workshops import session_workshops
from sillon.formatting import format_day, format_session_when, format_time

CHANGES_PER_PAGE = 25
SEARCH_MAX = 100

# (status, Bootstrap colour of its button)
STATUS_BUTTONS = (
    (AttendanceStatus.PRESENT, "success"),
    (AttendanceStatus.ABSENT, "danger"),
    (AttendanceStatus.EXCUSED, "secondary"),
    (AttendanceStatus.PARTIAL, "primary"),
)


def _sheet_url(
    organisation,
    session,
    column_key: str = "",
    undo_id: int | None = None,
    row=None,
    search: str = "",
):
    url = reverse("presences:attendance", args=[organisation.slug, session.pk])
    query = {}
    if column_key:
        query["demi"] = column_key
    if search:
        query["q"] = search
    if undo_id:
        query["annuler"] = undo_id
    if query:
        url += "?" + urlencode(query)
    if row is not None:
        url += f"#personne-{row}"
    return url


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _column_closed(grid, column, now, zone) -> str:
    """Why ``column`` cannot be recorded now: its day is validated, or it has not
    started (the afternoon at 11 h 52); "" when it can."""
    if column is None:
        return ""
    sheet_day = sheet_days(grid.sheet).get(column.day)
    if sheet_day is not None and sheet_day.validated_at is not None:
        moment = sheet_day.validated_at.astimezone(zone)
        who = sheet_day.validated_by
        return _(
            "Cette journée a été validée%(by)s le %(day)s à %(time)s : ses présences ne "
            "peuvent plus être modifiées. Un·e coordinateur·rice peut la rouvrir depuis "
            "l'émargement électronique."
        ) % {
            "by": _(" par %(name)s") % {"name": who.get_full_name() or who.email} if who else "",
            "day": format_day(moment.date()),
            "time": format_time(moment),
        }
    if now < column.slot.starts_at:
        return _(
            "Cette demi-journée commence à %(time)s : sa présence se note à partir de son début."
        ) % {"time": format_time(column.slot.starts_at.astimezone(zone))}
    return ""


def _context(
    request,
    organisation: Organisation,
    session: Session,
    *,
    column_key: str | None = None,
    add_form=None,
    reopen_form=None,
    search: str = "",
) -> dict:
    """Everything the sheet page and its fragments show, for the half-day ``column_key``
    (the one under way by default), the people not matching ``search`` hidden."""
    grid = attendance_grid(session, organisation)
    zone = zone_of(organisation)
    now = timezone.now()
    column = grid.column_by_key(column_key) or grid.default_column(now.astimezone(zone))
    grid.select(column)
    search = search.strip()[:SEARCH_MAX]
    shown_count = grid.search(search)
    present_count, registered_count = (
        grid.presence_count(column.day) if column else (0, len(grid.expected_rows))
    )
    started = now >= session.starts_at
    editable = not session.is_cancelled and started and not grid.is_validated
    column_closed = _column_closed(grid, column, now, zone) if editable else ""
    teams = [block.team for block in grid.blocks if block.team is not None]
    validated_at = ""
    if grid.is_validated and grid.sheet.validated_at:
        moment = grid.sheet.validated_at.astimezone(zone)
        validated_at = _("%(day)s à %(time)s") % {
            "day": format_day(moment.date()),
            "time": format_time(moment),
        }
    start = session.starts_at.astimezone(zone)
    return {
        "session": session,
        "programme": session.programme,
        "when": format_session_when(session),
        "grid": grid,
        "column": column,
        "started": started,
        "starts_on": _("%(day)s à %(time)s")
        % {
            "day": format_day(start.date()),
            "time": format_time(start),
        },
        "editable": editable,
        # Why this half-day's presences cannot be recorded now ("" when they can).
        "column_closed": column_closed,
        "can_add": not session.is_cancelled and not grid.is_validated,
        "can_reopen": grid.is_validated and can_reopen_sheet(request.user, organisation),
        "validated_at": validated_at,
        "blank_count": grid.blank_count(column) if column else 0,
        "missing_count": grid.missing_count(),
        "status_buttons": [(value, value.label, colour) for value, colour in STATUS_BUTTONS],
        "add_form": add_form or AddParticipantForm(teams=teams),
        "reopen_form": reopen_form or ReopenForm(),
        "oob": False,
        "search": search,
        "shown_count": shown_count,
        "present_count": present_count,
        "registered_count": registered_count,
        "workshops": session_workshops(session),
    }


def _render_page(request, organisation, session, status=200, **kwargs):
    context = _context(request, organisation, session, **kwargs)
    return render(request, "presences/sheet.html", context, status=status)


def _row_response(request, organisation, session, user_id, column_key, *, undo=None, error=""):
    """The htmx answer to a click: the person's row again (with « Annuler » after a
    change, or the refusal), and the team's flags swapped out of band."""
    context = _context(request, organisation, session, column_key=column_key)
    grid = context["grid"]
    row = grid.row_for(user_id)
    if row is None:  # no longer on the sheet: the whole page again
        if error:
            messages.error(request, error)
        return HttpResponseClientRedirect(_sheet_url(organisation, session, column_key))
    row.undo = undo
    row.error = error
    context.update({"row": row, "block": grid.block_of(row)})
    return render(request, "presences/sheet.html#record_result", context)


@organisation_view("parcours.view_calendar")
def attendance_sheet(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    context = _context(
        request,
        organisation,
        session,
        column_key=request.GET.get("demi"),
        search=request.GET.get("q", ""),
    )
    undo_id = request.GET.get("annuler", "")
    if undo_id.isdigit() and context["editable"]:
        change = (
            AttendanceChange.objects.filter(
                session=session, pk=int(undo_id), kind=AttendanceChange.Kind.RECORDED
            )
            .only("pk", "user_id", "day", "half_day", "after")
            .first()
        )
        row = change and context["grid"].row_for(change.user_id)
        column = context["column"]
        if (
            row
            and column
            and (change.day, change.half_day) == (column.day, column.half_day)
            and row.selected.status == change.after
        ):
            row.undo = change
    return render(request, "presences/sheet.html", context)


@organisation_view("parcours.view_calendar")
@require_POST
def attendance_record(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    form = RecordForm(request.POST)
    column_key = request.POST.get("demi", "")
    if not form.is_valid():
        messages.error(request, _("Choisissez une présence."))
        return redirect(_sheet_url(organisation, session, column_key))
    data = form.cleaned_data
    user_id = data["user"]
    search = request.POST.get("q", "")[:SEARCH_MAX]
    row = attendance_grid(session, organisation).row_for(user_id)
    try:
        if row is None:
            raise ValidationError(_("Cette personne n'est pas sur la feuille de présence."))
        change = services.record_attendance(
            session=session,
            acting_user=request.user,
            user=row.user,
            day=data["day"],
            half_day=data["half_day"],
            status=data["status"],
            note=data["note"],
        )
    except ValidationError as error:
        if request.htmx:
            return _row_response(
                request, organisation, session, user_id, column_key, error=_error_text(error)
            )
        messages.error(request, _error_text(error))
        return redirect(_sheet_url(organisation, session, column_key))
    if request.htmx:
        return _row_response(request, organisation, session, user_id, column_key, undo=change)
    if change is None:
        messages.info(request, _("Rien n'a changé."))
        return redirect(_sheet_url(organisation, session, column_key, row=user_id, search=search))
    messages.success(
        request,
        _("%(person)s : %(status)s.")
        % {"person": row.name, "status": AttendanceStatus(change.after).label},
    )
    return redirect(
        _sheet_url(organisation, session, column_key, change.pk, row=user_id, search=search)
    )


@organisation_view("parcours.view_calendar")
@require_POST
def attendance_all_present(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    form = HalfDayForm(request.POST)
    column_key = request.POST.get("demi", "")
    if not form.is_valid():
        messages.error(request, _("Choisissez une demi-journée de la séance."))
        return redirect(_sheet_url(organisation, session, column_key))
    try:
        count = services.mark_all_present(
            session=session,
            acting_user=request.user,
            day=form.cleaned_data["day"],
            half_day=form.cleaned_data["half_day"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)s personne notée présente.",
                    "%(count)s personnes notées présentes.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Tout le monde a déjà une présence pour cette demi-journée."))
    return redirect(_sheet_url(organisation, session, column_key))


@organisation_view("parcours.view_calendar")
@require_POST
def attendance_undo(request, organisation, session_id, change_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    change = get_attendance_change_or_404(session, change_id)
    column_key = request.POST.get("demi", "")
    try:
        services.undo_attendance_change(change=change, acting_user=request.user)
    except ValidationError as error:
        if request.htmx and change.user_id:
            return _row_response(
                request,
                organisation,
                session,
                change.user_id,
                column_key,
                error=_error_text(error),
            )
        messages.error(request, _error_text(error))
        return redirect(_sheet_url(organisation, session, column_key))
    if request.htmx:
        return _row_response(request, organisation, session, change.user_id, column_key)
    messages.success(request, _("Le changement est annulé."))
    return redirect(_sheet_url(organisation, session, column_key, row=change.user_id))


@organisation_view("parcours.view_calendar")
@require_POST
def attendance_add_participant(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    column_key = request.POST.get("demi", "")
    teams = [block.team for block in attendance_grid(session, organisation).blocks if block.team]
    form = AddParticipantForm(request.POST, teams=teams)
    if form.is_valid():
        data = form.cleaned_data
        try:
            guest = services.add_sheet_participant(
                session=session,
                acting_user=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                team=data.get("team"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(person)s est ajouté·e à la feuille de présence.")
                % {"person": guest.user.get_full_name() or guest.user.email},
            )
            return redirect(_sheet_url(organisation, session, column_key, row=guest.user_id))
    messages.error(request, _("La personne n'a pas été ajoutée : corrigez le formulaire."))
    return _render_page(
        request, organisation, session, status=400, column_key=column_key, add_form=form
    )


@organisation_view("parcours.view_calendar")
@require_POST
def attendance_validate(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    column_key = request.POST.get("demi", "")
    try:
        services.validate_attendance_sheet(session=session, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("La feuille de présence est validée."))
    return redirect(_sheet_url(organisation, session, column_key))


@organisation_view("parcours.manage_programme")
@require_POST
def attendance_reopen(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_attendance_sheet(
                session=session, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.error(request, _error_text(error))
                return redirect(_sheet_url(organisation, session))
        else:
            messages.success(request, _("La feuille de présence est rouverte."))
            return redirect(_sheet_url(organisation, session))
    messages.error(request, _("La feuille n'a pas été rouverte : indiquez le motif."))
    return _render_page(request, organisation, session, status=400, reopen_form=form)


@organisation_view("parcours.view_calendar")
def attendance_history(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    changes = AttendanceChange.objects.filter(session=session).select_related("user", "actor")
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    zone = zone_of(organisation)
    for change in page:
        moment = change.at.astimezone(zone)
        change.when = _("%(day)s à %(time)s") % {
            "day": format_day(moment.date()),
            "time": format_time(moment),
        }
        change.half_day_label = (
            f"{format_day(change.day)}, {HalfDay(change.half_day).label.lower()}"
            if change.day and change.half_day
            else ""
        )
    return render(
        request,
        "presences/history.html",
        {
            "session": session,
            "programme": session.programme,
            "when": format_session_when(session),
            "page": page,
            "changes": page.object_list,
        },
    )
