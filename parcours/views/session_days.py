"""The « Horaires » page of a session: the times of each of its days (coordinators)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.access import organisation_view
from parcours import services
from parcours.day_forms import SessionDayFormSet, initial_for
from parcours.models import SessionDay
from parcours.views.manage import MANAGE, _session
from sillon.formatting import format_day, format_session_when


def _put_errors(formset, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        if formset.forms:
            formset.forms[0].add_error(None, error)
        return
    for key, messages_ in error.message_dict.items():
        index, _sep, field = key.partition("-")
        form = formset.forms[int(index)] if index.isdigit() else None
        if form is None or field not in form.fields:
            form, field = (formset.forms[0] if formset.forms else None), None
        if form is not None:
            for message in messages_:
                form.add_error(field, message)


@organisation_view(MANAGE)
def session_days_edit(request, organisation, session_id):
    session = _session(request, organisation, session_id)
    rows = list(SessionDay.objects.filter(session=session).order_by("day"))
    if session.is_dated and not rows:
        rows = services.sync_session_days(session)
    initial = initial_for(rows)
    if request.method == "POST" and session.is_dated and not session.is_cancelled:
        formset = SessionDayFormSet(request.POST, initial=initial, prefix="jours")
        if formset.is_valid():
            try:
                services.save_session_days(
                    session=session,
                    acting_user=request.user,
                    changes=[form.change() for form in formset.forms],
                )
            except ValidationError as error:
                _put_errors(formset, error)
            else:
                messages.success(request, _("Horaires enregistrés."))
                return redirect("parcours:session_detail", organisation.slug, session.pk)
    else:
        formset = SessionDayFormSet(initial=initial, prefix="jours")
    days = [
        {
            "number": number,
            "label": format_day(row.day, year=False),
            "form": form,
        }
        for number, (row, form) in enumerate(zip(rows, formset.forms, strict=False), 1)
    ]
    return render(
        request,
        "parcours/manage/session_days.html",
        {
            "programme": session.programme,
            "session": session,
            "when": format_session_when(session),
            "formset": formset,
            "days": days,
        },
    )
