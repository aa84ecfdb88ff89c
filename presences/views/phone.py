"""Signing on one's own phone: « /<slug>/emargement/ » asks for the code shown in the
room, and the QR leads straight to the session's page with its code. The code must be
the one of this session's current half-day; the person must be on the sheet."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.access import organisation_view
from parcours.models import Session
from parcours.services.common import zone_of
from presences import services
from presences.codes import find_code, normalise_code, window_error
from presences.forms import CodeForm, SignatureForm
from presences.grid import attendance_grid, slot_key
from presences.models import AttendanceSignature, SheetDay
from presences.signing import signed_text
from presences.strokes import parse_strokes
from presences.views.signatures import _client, _form_errors
from sillon.formatting import format_day, format_time

UNKNOWN = gettext_lazy(
    "Ce code n'existe pas ou n'est plus valable : vérifiez-le sur l'écran de la salle."
)


def _session_url(organisation, session, code: str) -> str:
    return reverse("presences:phone_session", args=[organisation.slug, session.pk]) + (
        f"?code={code}"
    )


@organisation_view("organisations.view_organisation")
def phone_code(request, organisation):
    """Type the room's code."""
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        found = find_code(organisation, code)
        if found is not None:
            return redirect(_session_url(organisation, found.session, code))
        form.add_error("code", str(UNKNOWN))
    return render(
        request, "presences/phone_code.html", {"form": form}, status=400 if form.errors else 200
    )


@organisation_view("organisations.view_organisation")
def phone_session(request, organisation, session_id):
    """The session's half-day for this code: its pad, or why it cannot be signed."""
    session = get_object_or_404(
        Session.objects.select_related("programme", "organisation"),
        organisation=organisation,
        pk=session_id,
    )
    raw = request.POST.get("code") if request.method == "POST" else request.GET.get("code")
    code = normalise_code(raw or "")
    form = CodeForm(initial={"code": code})
    context = {"session": None, "code_form": form, "code": code}
    if not code:
        return render(request, "presences/phone_sign.html", context)
    match = find_code(organisation, code, session=session)
    if match is None:
        elsewhere = find_code(organisation, code)
        error = (
            _("Ce code est celui d'une autre séance : il ne permet pas de signer celle-ci.")
            if elsewhere is not None
            else str(UNKNOWN)
        )
        form = CodeForm({"code": code})
        form.is_valid()
        form.add_error("code", error)
        context["code_form"] = form
        return render(request, "presences/phone_sign.html", context, status=400)
    slot = match.slot
    zone = zone_of(organisation)
    grid = attendance_grid(session, organisation)
    row = grid.row_for(request.user.pk)
    signature = AttendanceSignature.objects.filter(
        session=session, user=request.user, day=slot.day, half_day=slot.half_day
    ).first()
    day_validated = grid.is_validated or (
        grid.sheet is not None
        and SheetDay.objects.filter(
            sheet=grid.sheet, day=slot.day, validated_at__isnull=False
        ).exists()
    )
    column = grid.column_by_key(slot_key(slot))
    refusal = ""
    if row is None:
        refusal = _(
            "Vous n'êtes pas sur la feuille d'émargement de cette séance : adressez-vous à "
            "l'intervenant·e."
        )
    elif day_validated:
        refusal = _("Cette journée est validée : la signature est close.")
    elif signature is None:
        refusal = window_error(slot)
    sign_form = SignatureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not refusal and signature is None and sign_form.is_valid():
        try:
            device, ip = _client(request)
            services.sign_half_day(
                session=session,
                user=request.user,
                day=slot.day,
                half_day=slot.half_day,
                method="phone",
                strokes=parse_strokes(sign_form.cleaned_data["strokes"]),
                typed_name=sign_form.cleaned_data["typed_name"],
                device=device,
                ip=ip,
                recorded_by=request.user,
            )
        except ValidationError as error:
            _form_errors(sign_form, error)
        else:
            messages.success(request, _("Merci, votre signature est enregistrée."))
            return redirect(_session_url(organisation, session, code))
    context.update(
        {
            "session": session,
            "half_day_label": column.long_label if column else format_day(slot.day),
            "ends_at": format_time(slot.ends_at),
            "refusal": refusal,
            "signed_text": signed_text(signature, zone) if signature else "",
            "sign_form": sign_form,
            "action": _session_url(organisation, session, code),
        }
    )
    status = 400 if (request.method == "POST" and (refusal or sign_form.errors)) else 200
    return render(request, "presences/phone_sign.html", context, status=status)
