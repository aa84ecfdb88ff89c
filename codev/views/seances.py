"""The pages of a CODEV séance: the séance itself (roles, case, advice, commitments,
and first what became of the group's former commitments), the client's case form (on a
phone), the facilitator's six steps (on a tablet), the client's commitments and its
answer to the follow-up. The commitments' pages are ``codev.views.commitments``."""

import os
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codev.models import (
    STEP_MINUTES,
    Advice,
    Case,
    CaseDocument,
    CodevStep,
    Commitment,
    GroupKind,
    GroupMembership,
    StepNote,
)
from codev.seance_access import (
    can_run,
    check_client,
    check_runner,
    get_seance_for_user_or_404,
)
from codev.seance_forms import AdviceForm, CaseForm, FollowUpForm, NotesForm
from codev.services import cases as services
from organisations.access import organisation_view
from organisations.models import Organisation
from parcours.forms import add_service_errors
from parcours.models import TeamMember
from sillon.formatting import format_session_when, format_time, local

VIEW = "parcours.view_calendar"


def seance_url(organisation, group_session, name="codev:seance") -> str:
    return reverse(name, args=[organisation.slug, group_session.pk])


def _speaks_for(user, team_ids: set[int]):
    """``membership -> bool``: whether ``user`` is that member (themselves or through a
    current team), with the user's teams read once."""
    return lambda m: m is not None and (m.user_id == user.pk or m.team_id in team_ids)


def _team_ids(user) -> set[int]:
    return set(TeamMember.objects.current().filter(user=user).values_list("team_id", flat=True))


def seance_case(group_session):
    """The séance's case with its documents, advice and commitments (four queries), or
    ``None``."""
    return (
        Case.objects.filter(group_session=group_session)
        .prefetch_related(
            "documents",
            Prefetch(
                "advice",
                queryset=Advice.objects.select_related("consultant__team", "consultant__user"),
            ),
            Prefetch("commitments", queryset=Commitment.objects.select_related("owner")),
        )
        .first()
    )


def _consultants(group_session):
    return (
        GroupMembership.objects.current()
        .filter(group=group_session.group)
        .exclude(pk=group_session.client_id)
        .select_related("team", "user")
    )


def _former_cases(group_session):
    """The group's cases of earlier séances that have commitments, with their
    follow-up (what the former clients answered)."""
    session = group_session.session
    cases = Case.objects.filter(group_session__group=group_session.group).exclude(
        group_session=group_session
    )
    if session.starts_at is not None:
        cases = cases.filter(group_session__session__starts_at__lt=session.starts_at)
    return list(
        cases.filter(commitments__isnull=False)
        .distinct()
        .select_related("client__team", "client__user", "group_session__session")
        .prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.select_related("owner"))
        )
        .order_by("-group_session__session__starts_at", "-pk")
    )


@organisation_view(VIEW)
def seance(request, organisation: Organisation, group_session_id: int):
    """The séance page: everyone of the group reads it."""
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    user = request.user
    speaks_for = _speaks_for(user, _team_ids(user))
    case = seance_case(group_session)
    former = _former_cases(group_session)
    notes = [n for n in StepNote.objects.filter(group_session=group_session) if n.notes]
    context = {
        "group_session": group_session,
        "group": group_session.group,
        "programme": group_session.group.programme,
        "session": group_session.session,
        "when": format_session_when(group_session.session),
        "is_codev": group_session.group.kind == GroupKind.CODEV,
        "consultants": list(_consultants(group_session)),
        "case": case,
        "former": [(c, speaks_for(c.client)) for c in former],
        "notes": notes,
        "is_client": speaks_for(group_session.client),
        "can_run": can_run(user, organisation, group_session),
    }
    return render(request, "codev/seance.html", context)


# --- Before: the client's case ---------------------------------------------------------


@organisation_view(VIEW)
def case_edit(request, organisation: Organisation, group_session_id: int):
    """« Préparer notre cas »: the client only (403 for the others of the group)."""
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    check_client(request.user, group_session)
    case = Case.objects.filter(group_session=group_session).first()
    initial = {}
    if case is not None:
        initial = {f: getattr(case, f) for f in ("title", "question", "context", "tried")}
    form = CaseForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                case = services.save_case(
                    group_session=group_session,
                    acting_user=request.user,
                    title=data["title"],
                    question=data["question"],
                    context=data["context"],
                    tried=data["tried"],
                )
                if data["document"]:
                    try:
                        services.add_case_document(
                            case=case,
                            acting_user=request.user,
                            title=data["document_title"],
                            file=data["document"],
                        )
                    except ValidationError as error:
                        raise ValidationError({"document": error.messages}) from error
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Votre cas est enregistré."))
            return redirect(seance_url(organisation, group_session))
    documents = list(case.documents.all()) if case is not None else []
    return render(
        request,
        "codev/seance_case.html",
        {
            "group_session": group_session,
            "group": group_session.group,
            "programme": group_session.group.programme,
            "form": form,
            "case": case,
            "documents": documents,
        },
    )


@organisation_view(VIEW)
def case_document(
    request, organisation: Organisation, group_session_id: int, case_document_id: int
):
    """A document the client joined to its case (a ``CaseDocument``, not a
    ``documents.Document``)."""
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    document = get_object_or_404(
        CaseDocument,
        case__group_session=group_session,
        organisation=organisation,
        pk=case_document_id,
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(document.file.name))


# --- During: the facilitator's six steps -------------------------------------------------


def _steps(group_session, notes: dict[int, StepNote], zone):
    """The six steps with their planned minutes, their state, their note and, for the
    running one, when it started and should end."""
    rows = []
    for value, label in CodevStep.choices:
        note = notes.get(value)
        row = {
            "value": value,
            "label": label,
            "minutes": STEP_MINUTES[value],
            "note": note.notes if note else "",
            "spent": round(note.seconds / 60) if note and note.seconds else None,
            "running": group_session.current_step == value,
        }
        if row["running"] and group_session.step_started_at:
            ends = group_session.step_started_at + timedelta(minutes=STEP_MINUTES[value])
            row["started"] = format_time(local(group_session.step_started_at, zone))
            row["ends"] = format_time(local(ends, zone))
            row["ends_iso"] = ends.isoformat()
            row["remaining"] = max(0, int((ends - timezone.now()).total_seconds() // 60))
        rows.append(row)
    return rows


def _runner_page(request, organisation, group_session, *, advice_form=None, notes_form=None):
    zone = organisation.time_zone
    notes = {n.step: n for n in StepNote.objects.filter(group_session=group_session)}
    case = seance_case(group_session)
    current = group_session.current_step
    steps = _steps(group_session, notes, zone)
    running = steps[current - 1] if current else None
    if notes_form is None and current:
        notes_form = NotesForm(initial={"step": current, "notes": running["note"]})
    consultants = _consultants(group_session)
    if advice_form is None:
        advice_form = AdviceForm(consultants=consultants)
    return render(
        request,
        "codev/seance_runner.html",
        {
            "group_session": group_session,
            "group": group_session.group,
            "programme": group_session.group.programme,
            "case": case,
            "steps": steps,
            "running": running,
            "next_step": steps[current] if current and current < len(steps) else None,
            "notes_form": notes_form,
            "advice_form": advice_form,
        },
    )


@organisation_view(VIEW)
def runner(request, organisation: Organisation, group_session_id: int):
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    check_runner(request.user, organisation, group_session)
    return _runner_page(request, organisation, group_session)


def _runner_url(organisation, group_session):
    return seance_url(organisation, group_session, "codev:seance_runner")


def _go(group_session, step: int | None):
    if step is None or step > len(CodevStep.values):
        services.finish_session(group_session=group_session)
    else:
        services.start_step(group_session=group_session, step=step)


@organisation_view(VIEW)
@require_POST
def runner_step(request, organisation: Organisation, group_session_id: int):
    """Start a step (``step``), or end the séance (``finish``)."""
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    check_runner(request.user, organisation, group_session)
    step = None if "finish" in request.POST else request.POST.get("step", "")
    try:
        _go(group_session, int(step) if step is not None else None)
    except (ValueError, ValidationError) as error:
        text = " ".join(getattr(error, "messages", [])) or _("Cette étape n'existe pas.")
        messages.error(request, text)
    else:
        if step is None:
            messages.success(request, _("Séance terminée."))
    return redirect(_runner_url(organisation, group_session))


@organisation_view(VIEW)
@require_POST
def runner_notes(request, organisation: Organisation, group_session_id: int):
    """The notes of a step; « … et étape suivante » starts the next one (or ends)."""
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    check_runner(request.user, organisation, group_session)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _runner_page(request, organisation, group_session, notes_form=form)
    step = form.cleaned_data["step"]
    try:
        with transaction.atomic():
            services.save_step_notes(
                group_session=group_session, step=step, notes=form.cleaned_data["notes"]
            )
            if request.POST.get("then") == "next":
                _go(group_session, step + 1)
    except ValidationError as error:
        add_service_errors(form, error)
        return _runner_page(request, organisation, group_session, notes_form=form)
    messages.success(request, _("Notes enregistrées."))
    return redirect(_runner_url(organisation, group_session))


@organisation_view(VIEW)
@require_POST
def runner_advice(request, organisation: Organisation, group_session_id: int):
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    check_runner(request.user, organisation, group_session)
    case = (
        Case.objects.filter(group_session=group_session)
        .select_related("group_session__group")
        .first()
    )
    form = AdviceForm(request.POST, consultants=_consultants(group_session))
    if case is None:
        form.add_error(None, _("Le client n'a pas encore préparé son cas."))
    if form.is_valid():
        try:
            services.add_advice(
                case=case,
                text=form.cleaned_data["text"],
                consultant=form.cleaned_data["consultant"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Conseil ajouté."))
            return redirect(_runner_url(organisation, group_session) + "#conseils")
    return _runner_page(request, organisation, group_session, advice_form=form)


# --- After: the follow-up (commitments: ``codev.views.commitments``) -----------------


@organisation_view(VIEW)
def follow_up(request, organisation: Organisation, group_session_id: int):
    """« Ce que sont devenus nos engagements »: the former client of this séance answers
    (reached from the reminder's e-mail, and from the group's next séance)."""
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    check_client(request.user, group_session)
    case = seance_case(group_session)
    if case is None:
        raise Http404
    commitments = list(case.commitments.all())
    form = FollowUpForm(
        request.POST or None, initial={"text": case.follow_up}, commitments=commitments
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_follow_up(
                case=case,
                acting_user=request.user,
                text=form.cleaned_data["text"],
                statuses=form.statuses(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Merci : votre réponse est enregistrée."))
            return redirect(seance_url(organisation, group_session))
    return render(
        request,
        "codev/seance_follow_up.html",
        {
            "group_session": group_session,
            "group": group_session.group,
            "programme": group_session.group.programme,
            "case": case,
            "form": form,
        },
    )
