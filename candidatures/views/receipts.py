"""The receipt of a submitted application, for the lead and the people who joined."""

from django.http import Http404

from candidatures import receipts
from candidatures.access import get_application_for_applicant_or_404
from candidatures.models import Application
from organisations.access import organisation_view
from parcours.views.receipts import pdf_response


@organisation_view(public=True)
def application_receipt(request, organisation, call_slug, application_id):
    """The « Récépissé de dépôt », for the lead and the people who joined; a draft has
    none (404)."""
    application = get_application_for_applicant_or_404(
        request.user, organisation, call_slug, application_id
    )
    if application.status == Application.Status.DRAFT or application.submitted_at is None:
        raise Http404
    return pdf_response(
        receipts.application_receipt_pdf(application), receipts.receipt_filename(application)
    )
