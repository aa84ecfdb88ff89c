"""Generated documents: ask for one, watch it being built, download it.

Thin views: an access helper (404 for whatever the user may not see), a form, a
service, a page. The detail page polls itself with htmx while the build runs (the
``state`` partial); without JavaScript an « Actualiser » link does the same.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codev.seance_access import get_seance_for_user_or_404
from documents import services
from documents.access import (
    attended_people,
    attestations_for_coordinator_or_404,
    documents_visible_to,
    get_attestation_for_coordinator_or_404,
    get_attestation_subject_or_404,
    get_document_for_user_or_404,
    get_plan_for_user_or_404,
    get_programme_for_attestations_or_404,
    get_session_for_sheets_or_404,
    is_coordinator,
)
from documents.describe import describe, person_name
from documents.forms import (
    AttendanceSheetRequestForm,
    AttestationRequestForm,
    AttestationsRequestForm,
    ReturnForm,
    RevocationForm,
)
from documents.models import Document
from organisations.access import organisation_view
from parcours.access import get_programme_for_user_or_404

VIEW = "organisations.view_organisation"
PER_PAGE = 25


@organisation_view(VIEW)
def document_list(request, organisation):
    """« Documents »: the user's own (asked for, or about them); all of the
    organisation's for coordinators."""
    documents = documents_visible_to(request.user, organisation).select_related(
        "requested_by", "person", "programme", "cohort", "session"
    )
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    rows = [describe(document, organisation) for document in page]
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "rows": rows,
            "show_requester": is_coordinator(request.user, organisation),
        },
    )


def _detail_context(request, organisation, document: Document) -> dict:
    return {"document": document, "row": describe(document, organisation)}


@organisation_view(VIEW)
def document_detail(request, organisation, generated_id):
    document = get_document_for_user_or_404(request.user, organisation, generated_id)
    template = "documents/detail.html"
    if request.htmx:
        template += "#state"
    return render(request, template, _detail_context(request, organisation, document))


@organisation_view(VIEW)
def document_download(request, organisation, generated_id):
    document = get_document_for_user_or_404(request.user, organisation, generated_id)
    if not document.is_ready:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.filename or document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type or "application/octet-stream",
    )


@organisation_view(VIEW)
@require_POST
def document_retry(request, organisation, generated_id):
    document = get_document_for_user_or_404(request.user, organisation, generated_id)
    try:
        document = services.retry_document(document=document, acting_user=request.user)
    except ValidationError as error:
        message, ok = " ".join(error.messages), False
    else:
        message, ok = _("Création relancée : le document se prépare."), True
    if request.htmx:
        document = get_document_for_user_or_404(request.user, organisation, generated_id)
        context = _detail_context(request, organisation, document)
        context["feedback"] = message
        context["feedback_ok"] = ok
        return render(request, "documents/detail.html#state", context)
    (messages.success if ok else messages.error)(request, message)
    return redirect("documents:detail", organisation.slug, document.pk)


# --- Asking for a document ---------------------------------------------------------------


def _request(request, organisation, form, back: str, **kwargs):
    """Call the service; to the document's page, or back with the refusal."""
    try:
        document = services.request_document(
            organisation=organisation, acting_user=request.user, **kwargs
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(form.safe_next(request, back))
    messages.success(
        request,
        _("Document demandé : suivez sa création ici, puis téléchargez-le."),
    )
    return redirect("documents:detail", organisation.slug, document.pk)


@organisation_view(VIEW)
@require_POST
def attendance_sheet_request(request, organisation, session_id):
    """A session's attendance sheet, blank (``filled=0``) or filled from the recorded
    attendance (``filled=1``): coordinators and the session's facilitators."""
    session = get_session_for_sheets_or_404(request.user, organisation, session_id)
    back = reverse("parcours:session_detail", args=[organisation.slug, session.pk])
    form = AttendanceSheetRequestForm(request.POST)
    filled = form.cleaned_data["filled"] if form.is_valid() else False
    if filled:
        kind = Document.Kind.FILLED_ATTENDANCE_SHEET
        title = _("Feuille d'émargement remplie — %(session)s")
    else:
        kind = Document.Kind.ATTENDANCE_SHEET
        title = _("Feuille d'émargement vierge — %(session)s")
    return _request(
        request,
        organisation,
        form,
        back,
        kind=kind,
        title=title % {"session": session.title},
        programme=session.programme,
        session=session,
    )


@organisation_view(VIEW)
@require_POST
def codev_record_request(request, organisation, group_session_id):
    """« Compte rendu (PDF) » of a CODEV séance: anyone who sees the séance's group."""
    group_session = get_seance_for_user_or_404(request.user, organisation, group_session_id)
    session = group_session.session
    back = reverse("codev:seance", args=[organisation.slug, group_session.pk])
    return _request(
        request,
        organisation,
        ReturnForm(request.POST),
        back,
        kind=Document.Kind.CODEV_RECORD,
        title=_("Compte rendu de CODEV — %(session)s") % {"session": session.title},
        programme=session.programme,
        session=session,
    )


@organisation_view(VIEW)
@require_POST
def action_plan_request(request, organisation, plan_id):
    """« Plan d'action (PDF) » of a plan: anyone who reads the plan (its team, the
    coordinators, trainers and observers)."""
    plan = get_plan_for_user_or_404(request.user, organisation, plan_id)
    back = reverse("plans:plan_detail", args=[organisation.slug, plan.programme_id, plan.pk])
    return _request(
        request,
        organisation,
        ReturnForm(request.POST),
        back,
        kind=Document.Kind.ACTION_PLAN,
        title=_("Plan d'action — %(plan)s") % {"plan": plan},
        programme=plan.programme,
        plan=plan,
    )


def _field_errors(form, error: ValidationError) -> None:
    """The service's refusal next to the field it names (else above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _attestation_page(request, organisation, form, *, programme, person, action: str):
    return render(
        request,
        "documents/attestation_request.html",
        {"form": form, "programme": programme, "person": person, "action": action},
    )


def _ask_attestation(request, organisation, form, *, programme, person, cohort, action: str):
    """Ask for one person's attestation (``person``) or the ZIP; the form page again,
    with the errors next to their fields, when refused."""
    data = form.cleaned_data
    if person is not None:
        kind = Document.Kind.ATTESTATION
        title = _("Attestation de participation — %(person)s — %(programme)s") % {
            "person": person_name(person),
            "programme": programme,
        }
        if data.get("provisional"):
            title = _("Attestation PROVISOIRE — %(person)s — %(programme)s") % {
                "person": person_name(person),
                "programme": programme,
            }
    elif cohort is None:
        kind = Document.Kind.ATTESTATIONS
        title = _("Attestations de participation — %(programme)s") % {"programme": programme}
    else:
        kind = Document.Kind.ATTESTATIONS
        title = _("Attestations de participation — %(programme)s, %(cohort)s") % {
            "programme": programme,
            "cohort": cohort,
        }
    try:
        document = services.request_document(
            organisation=organisation,
            acting_user=request.user,
            kind=kind,
            title=title,
            programme=programme,
            cohort=cohort,
            person=person,
            period_start=data.get("period_start"),
            period_end=data.get("period_end"),
            provisional=bool(data.get("provisional")),
        )
    except ValidationError as error:
        _field_errors(form, error)
        return _attestation_page(
            request, organisation, form, programme=programme, person=person, action=action
        )
    messages.success(request, _("Document demandé : suivez sa création ici, puis téléchargez-le."))
    return redirect("documents:detail", organisation.slug, document.pk)


@organisation_view(VIEW)
def attestations_request(request, organisation, programme_id):
    """The cohort's attestations as one ZIP (``cohort`` optional), or, from the
    dashboard's select, one person's (``person``), over a period: coordinators. GET
    shows the form."""
    programme = get_programme_for_attestations_or_404(request.user, organisation, programme_id)
    action = reverse("documents:attestations_request", args=[organisation.slug, programme.pk])
    form = AttestationsRequestForm(
        request.POST if request.method == "POST" else None,
        cohorts=programme.cohorts.all(),
        people=attended_people(organisation, programme),
        period=services.default_period(programme, organisation),
    )
    if request.method != "POST" or not form.is_valid():
        return _attestation_page(
            request, organisation, form, programme=programme, person=None, action=action
        )
    return _ask_attestation(
        request,
        organisation,
        form,
        programme=programme,
        person=form.cleaned_data["person"],
        cohort=form.cleaned_data["cohort"],
        action=action,
    )


@organisation_view(VIEW)
def attestation_request(request, organisation, programme_id, user_id):
    """One person's attestation over a period, final or provisional: coordinators for
    anyone of the programme, a person for themselves (« Mon attestation »). GET shows
    the form."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    person = get_attestation_subject_or_404(request.user, organisation, programme, user_id)
    action = reverse(
        "documents:attestation_request", args=[organisation.slug, programme.pk, person.pk]
    )
    form = AttestationRequestForm(
        request.POST if request.method == "POST" else None,
        period=services.default_period(programme, organisation),
    )
    if request.method != "POST" or not form.is_valid():
        return _attestation_page(
            request, organisation, form, programme=programme, person=person, action=action
        )
    return _ask_attestation(
        request, organisation, form, programme=programme, person=person, cohort=None, action=action
    )


# --- The registry of attestations ----------------------------------------------------------


@organisation_view(VIEW)
def attestation_register(request, organisation):
    """« Registre des attestations »: every final attestation issued, its number and
    whether it is still valid (coordinators; two queries whatever the page's size)."""
    from documents.verification import verified

    attestations = attestations_for_coordinator_or_404(request.user, organisation)
    page = Paginator(attestations, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"attestation": a, "shown": verified(a, organisation), "revoked": a.is_revoked}
        for a in page
    ]
    return render(request, "documents/attestations/register.html", {"page": page, "rows": rows})


@organisation_view(VIEW)
def attestation_revoke(request, organisation, attestation_id):
    """Revoke an attestation, with a reason: the verification page stops confirming it."""
    from documents.verification import verified

    attestation = get_attestation_for_coordinator_or_404(request.user, organisation, attestation_id)
    form = RevocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_attestation(
                attestation=attestation,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(
                request,
                _("Attestation %(number)s révoquée.") % {"number": attestation.number},
            )
            return redirect("documents:attestation_register", organisation.slug)
    return render(
        request,
        "documents/attestations/revoke.html",
        {
            "attestation": attestation,
            "shown": verified(attestation, organisation),
            "form": form,
        },
    )
