"""Deleting in the programme's building area: every deletion is a page first, saying
what goes with it (« 3 séances seront supprimées, avec 24 présences. ») or why it is
refused; only its form's POST deletes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organisations.access import organisation_view
from parcours import services
from parcours.access import get_phase_or_404
from parcours.forms import PhaseDeleteForm
from parcours.models import Session
from parcours.views.manage import MANAGE, _error_text, _phase_period, _programme, _session
from sillon.formatting import format_session_when


@organisation_view(MANAGE)
def phase_delete(request, organisation, programme_id, phase_id):
    """« Supprimer la phase » : keep its sessions (without phase) or delete them too."""
    programme = _programme(request, organisation, programme_id)
    phase = get_phase_or_404(organisation, programme, phase_id)
    summary = services.deletion_summary(Session.objects.filter(phase=phase))
    refusal = "" if summary.allowed else summary.refusal(single=False)
    form = None
    if summary.sessions:
        form = PhaseDeleteForm(request.POST or None, refusal=refusal)
    if request.method == "POST" and (form is None or form.is_valid()):
        with_sessions = form is not None and form.cleaned_data["sessions"] == form.DELETE
        try:
            services.delete_phase(
                phase=phase, acting_user=request.user, with_sessions=with_sessions
            )
        except ValidationError as error:
            form.add_error("sessions", _error_text(error))
        else:
            if with_sessions:
                text = _("Phase « %(name)s » supprimée avec ses séances.")
            elif summary.sessions:
                text = _("Phase « %(name)s » supprimée ; ses séances restent dans le programme.")
            else:
                text = _("Phase « %(name)s » supprimée.")
            messages.success(request, text % {"name": phase.name})
            return redirect("parcours:phase_list", organisation.slug, programme.pk)
    return render(
        request,
        "parcours/manage/phase_delete.html",
        {
            "programme": programme,
            "phase": phase,
            "period": _phase_period(phase),
            "summary": summary,
            "refusal": refusal,
            "form": form,
        },
    )


@organisation_view(MANAGE)
def session_delete(request, organisation, session_id):
    """« Supprimer la séance »: for a session made by mistake. One with attendance,
    signatures, evaluation answers or convocations is cancelled instead."""
    session = _session(request, organisation, session_id)
    programme = session.programme
    summary = services.deletion_summary([session])
    refusal = "" if summary.allowed else summary.refusal(single=True)
    if request.method == "POST":
        try:
            services.delete_session(session=session, acting_user=request.user)
        except ValidationError as error:
            refusal = _error_text(error)
        else:
            messages.success(
                request, _("Séance « %(title)s » supprimée.") % {"title": session.title}
            )
            return redirect("parcours:timeline", organisation.slug, programme.pk)
    return render(
        request,
        "parcours/manage/session_delete.html",
        {
            "programme": programme,
            "session": session,
            "when": format_session_when(session),
            "summary": summary,
            "refusal": refusal,
        },
    )
