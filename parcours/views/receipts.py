"""The PDFs a person downloads as proof: the receipt of a submitted application (its
applicants) and a signed engagement (the signer; a coordinator for any member)."""

from django.http import Http404, HttpResponse

from organisations.access import organisation_view
from organisations.rules import is_coordinator
from parcours import receipts
from parcours.access import get_programme_for_user_or_404, get_team_or_404
from parcours.models import Signature, TeamMember

VIEW = "parcours.view_calendar"


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _signature_or_404(request, organisation, programme_id, team_id) -> Signature:
    """The signature asked for: the user's own in that team (as a current member), or,
    for a coordinator with ``?membre=<team member id>``, that member's. Their latest
    signature; 404 when there is none."""
    programme = get_programme_for_user_or_404(request.user, organisation, programme_id)
    team = get_team_or_404(organisation, programme, team_id)
    members = TeamMember.objects.filter(organisation=organisation, team=team)
    wanted = request.GET.get("membre")
    if wanted is not None:
        if not is_coordinator(request.user, organisation) or not wanted.isdigit():
            raise Http404
        member = members.filter(pk=int(wanted)).first()
    else:
        member = members.current().filter(user=request.user).first()
    if member is None:
        raise Http404
    signature = (
        Signature.objects.filter(organisation=organisation, member=member)
        .order_by("-signed_at", "-pk")
        .first()
    )
    if signature is None:
        raise Http404
    return signature


@organisation_view(VIEW)
def engagement_pdf(request, organisation, programme_id, team_id):
    signature = _signature_or_404(request, organisation, programme_id, team_id)
    return pdf_response(receipts.engagement_pdf(signature), receipts.engagement_filename(signature))
