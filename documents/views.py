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

from documents import services
from documents.access import (
    attended_people,
    documents_visible_to,
    get_attestation_subject_or_404,
    get_document_for_user_or_404,
    get_programme_for_attestations_or_404,
    get_session_for_sheets_or_404,
    is_coordinator,
)
from documents.describe import describe, person_name
from documents.forms import AttendanceSheetRequestForm, AttestationsRequestForm, ReturnForm
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
def attestations_request(request, organisation, programme_id):
    """The cohort's attestations as one ZIP (``cohort`` optional), or, from the
    dashboard's select, one person's (``person``): coordinators."""
    programme = get_programme_for_attestations_or_404(request.user, organisation, programme_id)
    back = reverse("presences:attendance_dashboard", args=[organisation.slug, programme.pk])
    form = AttestationsRequestForm(
        request.POST,
        cohorts=programme.cohorts.all(),
        people=attended_people(organisation, programme),
    )
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(form.safe_next(request, back))
    person = form.cleaned_data["person"]
    if person is not None:
        return _attestation(request, organisation, form, back, programme, person)
    cohort = form.cleaned_data["cohort"]
    if cohort is None:
        title = _("Attestations de participation — %(programme)s") % {"programme": programme}
    else:
        title = _("Attestations de participation — %(programme)s, %(cohort)s") % {
            "programme": programme,
            "cohort": cohort,
        }
    return _request(
        request,
        organisation,
        form,
        back,
        kind=Document.Kind.ATTESTATIONS,
        title=title,
        programme=programme,
        cohort=cohort,
    )


@organisation_view(VIEW)
@require_POST
def attestation_request(request, organisation, programme_id, user_id):
    """One person's attestation: coordinators for anyone of the programme, a person
    for themselves."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    person = get_attestation_subject_or_404(request.user, organisation, programme, user_id)
    if is_coordinator(request.user, organisation):
        back = reverse("presences:attendance_dashboard", args=[organisation.slug, programme.pk])
    else:
        back = reverse("documents:list", args=[organisation.slug])
    form = ReturnForm(request.POST)
    return _attestation(request, organisation, form, back, programme, person)


def _attestation(request, organisation, form, back, programme, person):
    return _request(
        request,
        organisation,
        form,
        back,
        kind=Document.Kind.ATTESTATION,
        title=_("Attestation de participation — %(person)s — %(programme)s")
        % {"person": person_name(person), "programme": programme},
        programme=programme,
        person=person,
    )
