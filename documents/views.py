"""Generated documents: ask for one, watch it being built, download it."""

from django.http import Http404

from organisations.access import organisation_view


@organisation_view("organisations.view_organisation")
def document_list(request, organisation):
    raise Http404


@organisation_view("organisations.view_organisation")
def document_detail(request, organisation, generated_id):
    raise Http404


@organisation_view("organisations.view_organisation")
def document_download(request, organisation, generated_id):
    raise Http404


@organisation_view("organisations.view_organisation")
def document_retry(request, organisation, generated_id):
    raise Http404


@organisation_view("organisations.view_organisation")
def attendance_sheet_request(request, organisation, session_id):
    raise Http404


@organisation_view("organisations.view_organisation")
def attestations_request(request, organisation, programme_id):
    raise Http404


@organisation_view("organisations.view_organisation")
def attestation_request(request, organisation, programme_id, user_id):
    raise Http404
