"""The public verification of an attestation: anyone holding one (a funder, an
employer) types its number, or follows the link or QR code printed on it (which carries
its random token), and reads back only its holder, programme, period, total hours,
issue date and organisation. An unknown number and a revoked one get the very same
answer, and lookups are rate-limited per address (through the cache), so the registry
cannot be walked through."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from documents.forms import VerificationForm
from documents.models import Attestation
from organisations.access import organisation_view
from presences.records import format_duration
from sillon import ratelimit
from sillon.formatting import format_day, local

LIMIT = 20  # lookups…
WINDOW = 10 * 60  # …per address in this many seconds


def over_limit(request) -> bool:
    """Count one lookup from this address; True past ``LIMIT`` in ``WINDOW``."""
    return not ratelimit.hit(
        "verify", ratelimit.client_address(request), limit=LIMIT, window=WINDOW
    )


@dataclass(frozen=True)
class Verified:
    """What the page may show of an attestation, and nothing else."""

    holder: str
    programme: str
    period_start: str
    period_end: str
    total: str
    issued_on: str
    organisation: str


def verified(attestation: Attestation, organisation) -> Verified:
    from datetime import timedelta

    return Verified(
        holder=attestation.holder_name,
        programme=attestation.programme_name,
        period_start=format_day(attestation.period_start, weekday=False),
        period_end=format_day(attestation.period_end, weekday=False),
        total=format_duration(timedelta(minutes=attestation.total_minutes)),
        issued_on=format_day(
            local(attestation.issued_at, organisation.time_zone).date(), weekday=False
        ),
        organisation=organisation.legal_name or organisation.name,
    )


def find_valid(organisation, *, number: str = "", token: str = "") -> Attestation | None:
    """The valid (not revoked) attestation of that number or token, or None."""
    attestations = Attestation.objects.filter(organisation=organisation, revoked_at__isnull=True)
    if token:
        return attestations.filter(token=token).first()
    if number:
        return attestations.filter(number=number).first()
    return None


def not_found_message() -> str:
    return _("Aucune attestation valide ne correspond à ce numéro.")


def _page(request, organisation, form, *, looked_up: bool, attestation, status=200):
    response = render(
        request,
        "documents/verify.html",
        {
            "form": form,
            "looked_up": looked_up,
            "result": verified(attestation, organisation) if attestation else None,
            "not_found": not_found_message(),
        },
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    return response


def _limited(request):
    context = {"minutes": WINDOW // 60}
    response = render(request, "documents/verify_limited.html", context, status=429)
    response["Retry-After"] = str(WINDOW)
    return response


@never_cache
@organisation_view(public=True)
def verify(request, organisation):
    """« Vérifier une attestation »: the number typed (``?numero=``), or the empty form."""
    if "numero" not in request.GET:
        return _page(request, organisation, VerificationForm(), looked_up=False, attestation=None)
    form = VerificationForm(request.GET)
    if not form.is_valid():
        return _page(request, organisation, form, looked_up=False, attestation=None)
    if over_limit(request):
        return _limited(request)
    attestation = find_valid(organisation, number=form.cleaned_data["numero"])
    return _page(request, organisation, form, looked_up=True, attestation=attestation)


@never_cache
@organisation_view(public=True)
def verify_token(request, organisation, token: str):
    """The link (and QR code) printed on an attestation."""
    if over_limit(request):
        return _limited(request)
    attestation = find_valid(organisation, token=token[:64])
    # Not found (unknown or revoked alike): the same page, as a 404 (a link to nothing).
    return _page(
        request,
        organisation,
        VerificationForm(),
        looked_up=True,
        attestation=attestation,
        status=200 if attestation else 404,
    )
