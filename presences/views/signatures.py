"""The tablet page of électronic émargement (« Émargement »): for one half-day, people
by team with their role; tapping a name opens the signature pad (a dialog with
JavaScript, a page of its own without), the room's code and its QR for signing on a
phone; at the bottom, the trainer signs and validates each day, a coordinator reopens
one."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations.access import organisation_view
from parcours.services.common import zone_of
from presences import services
from presences.access import can_reopen_sheet, get_session_for_attendance_or_404
from presences.codes import OPENS_BEFORE, signing_code, window_error
from presences.forms import DayReopenForm, SignatureForm
from presences.grid import attendance_grid
from presences.signing import sheet_days, signatures_of, signed_text
from presences.strokes import parse_strokes, strokes_svg
from sillon.formatting import format_day, format_session_when, format_time
from sillon.qr import qr_svg


def _tablet_url(organisation, session, column_key: str = "", anchor: str = "") -> str:
    url = reverse("presences:signatures", args=[organisation.slug, session.pk])
    if column_key:
        url += f"?demi={column_key}"
    if anchor:
        url += f"#{anchor}"
    return url


def _client(request) -> tuple[str, str | None]:
    device = request.headers.get("User-Agent", "")[:200]
    ip = request.META.get("REMOTE_ADDR") or None
    return device, ip


def _when(moment, zone) -> str:
    moment = moment.astimezone(zone)
    return _("%(day)s à %(time)s") % {"day": format_day(moment.date()), "time": format_time(moment)}


def _days(request, organisation, session, grid, zone, form=None, form_day=None, reopen=None):
    """One panel per day: validated (by whom, when, the trainer's signature), or the
    form to sign and validate it."""
    saved = sheet_days(grid.sheet)
    days = []
    for day in sorted({column.day for column in grid.columns}):
        columns = [column for column in grid.columns if column.day == day]
        sheet_day = saved.get(day)
        end = columns[-1].slot.ends_at
        item = {
            "day": day,
            "key": day.isoformat(),
            "label": format_day(day),
            "sheet_day": sheet_day,
            "validated": sheet_day is not None and sheet_day.is_validated,
            "missing": sum(grid.blank_count(column) for column in columns),
            "ended": timezone.now() >= end,
            "opens_at": format_time(end),
            "form": form if form_day == day else SignatureForm(prefix=f"jour-{day.isoformat()}"),
            "reopen_form": reopen if form_day == day and reopen else DayReopenForm(),
        }
        if sheet_day is not None and sheet_day.trainer_signed_at:
            item["signature_svg"] = (
                strokes_svg(sheet_day.trainer_strokes, label=_("Signature de l'intervenant·e"))
                if sheet_day.trainer_strokes
                else ""
            )
            item["signed_when"] = _when(sheet_day.trainer_signed_at, zone)
        if item["validated"] and sheet_day.validated_at:
            item["validated_when"] = _when(sheet_day.validated_at, zone)
        days.append(item)
    return days


def _context(request, organisation, session, column_key=None, **day_forms) -> dict:
    grid = attendance_grid(session, organisation)
    zone = zone_of(organisation)
    now = timezone.now()
    column = grid.column_by_key(column_key) or grid.default_column(now.astimezone(zone))
    grid.select(column)
    signed = signatures_of(session)
    days = _days(request, organisation, session, grid, zone, **day_forms)
    day_locked = {item["day"] for item in days if item["validated"]}
    for row in grid.rows:
        signature = signed.get(row.user.pk, {}).get(column.slot.key) if column else None
        row.signature = signature
        row.signed_text = signed_text(signature, zone) if signature else ""
    code = url = qr = ""
    problem = window_error(column.slot, now) if column else ""
    if column and not problem and not session.is_cancelled and not grid.is_validated:
        code = signing_code(session, column.slot)
        url = request.build_absolute_uri(
            reverse("presences:phone_session", args=[organisation.slug, session.pk])
            + f"?code={code}"
        )
        qr = qr_svg(url)
    locked = grid.is_validated or (column is not None and column.day in day_locked)
    return {
        "session": session,
        "programme": session.programme,
        "when": format_session_when(session),
        "grid": grid,
        "column": column,
        "code": code,
        "code_url": url,
        "qr": qr,
        "window_problem": problem,
        "margin": int(OPENS_BEFORE.total_seconds() // 60),
        "can_sign": bool(column) and not problem and not locked and not session.is_cancelled,
        "locked": locked,
        "days": days,
        "can_reopen": can_reopen_sheet(request.user, organisation),
        "phone_url": reverse("presences:phone", args=[organisation.slug]),
    }


@organisation_view("parcours.view_calendar")
def signature_tablet(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    context = _context(request, organisation, session, request.GET.get("demi"))
    return render(request, "presences/signatures.html", context)


def _person_context(request, organisation, session, user_id, column_key, form=None):
    grid = attendance_grid(session, organisation)
    zone = zone_of(organisation)
    column = grid.column_by_key(column_key) or grid.default_column(timezone.now().astimezone(zone))
    row = grid.row_for(user_id)
    if row is None or column is None:
        raise Http404
    signature = signatures_of(session).get(user_id, {}).get(column.slot.key)
    return {
        "session": session,
        "programme": session.programme,
        "column": column,
        "row": row,
        "signed_text": signed_text(signature, zone) if signature else "",
        "window_problem": window_error(column.slot),
        "form": form or SignatureForm(),
        "action": reverse("presences:signature_sign", args=[organisation.slug, session.pk, user_id])
        + f"?demi={column.key}",
        "back_url": _tablet_url(organisation, session, column.key, f"personne-{user_id}"),
    }


@organisation_view("parcours.view_calendar")
def signature_sign(request, organisation, session_id, user_id):
    """The pad for one person and one half-day: its own page, or the dialog's content
    (htmx). Posting signs and goes back to the tablet page."""
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    column_key = request.GET.get("demi", "")
    if request.method != "POST":
        context = _person_context(request, organisation, session, user_id, column_key)
        template = "presences/sign_person.html"
        if request.htmx:
            template += "#pad_form"
        return render(request, template, context)
    form = SignatureForm(request.POST)
    context = _person_context(request, organisation, session, user_id, column_key, form)
    row, column = context["row"], context["column"]
    if form.is_valid():
        try:
            strokes = parse_strokes(form.cleaned_data["strokes"])
            device, ip = _client(request)
            services.sign_half_day(
                session=session,
                user=row.user,
                day=column.day,
                half_day=column.half_day,
                method="tablet",
                strokes=strokes,
                typed_name=form.cleaned_data["typed_name"],
                device=device,
                ip=ip,
                recorded_by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s a signé : %(half_day)s.")
                % {"person": row.name, "half_day": column.long_label},
            )
            return redirect(context["back_url"])
    return render(request, "presences/sign_person.html", context, status=400)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _parse_day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Http404 from None  # not a day of the form: a forged request


@organisation_view("parcours.view_calendar")
@require_POST
def day_validate(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    day = request.POST.get("day", "")
    the_day = _parse_day(day)
    form = SignatureForm(request.POST, prefix=f"jour-{day}")
    column_key = request.POST.get("demi", "")
    if form.is_valid():
        try:
            strokes = parse_strokes(form.cleaned_data["strokes"])
            services.validate_sheet_day(
                session=session,
                acting_user=request.user,
                day=the_day,
                strokes=strokes,
                typed_name=form.cleaned_data["typed_name"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("La journée du %(day)s est validée.") % {"day": format_day(the_day)}
            )
            return redirect(_tablet_url(organisation, session, column_key, f"jour-{day}"))
    messages.error(request, _("La journée n'a pas été validée : voyez ci-dessous."))
    context = _context(request, organisation, session, column_key, form=form, form_day=the_day)
    return render(request, "presences/signatures.html", context, status=400)


@organisation_view("parcours.manage_programme")
@require_POST
def day_reopen(request, organisation, session_id):
    session = get_session_for_attendance_or_404(request.user, organisation, session_id)
    day = request.POST.get("day", "")
    the_day = _parse_day(day)
    form = DayReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_sheet_day(
                session=session,
                acting_user=request.user,
                day=the_day,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("La journée du %(day)s est rouverte.") % {"day": format_day(the_day)}
            )
            return redirect(_tablet_url(organisation, session, anchor=f"jour-{day}"))
    messages.error(request, _("La journée n'a pas été rouverte : voyez ci-dessous."))
    context = _context(request, organisation, session, reopen=form, form_day=the_day)
    return render(request, "presences/signatures.html", context, status=400)
