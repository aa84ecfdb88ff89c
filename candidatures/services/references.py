"""The human reference of an application, « AMI-2026-013 »: given at its first
submission (``applications.submit_application``), numbered per organisation and year of
submission on the organisation's clock, and never changed afterwards."""

from candidatures.models import Application
from organisations.models import Organisation
from parcours.services.common import zone_of
from sillon.formatting import local

REFERENCE_PREFIX = "AMI"


def next_reference(organisation_id: int, moment) -> str:
    """The next free « AMI-2026-013 » of the organisation for the year of ``moment`` (on
    its clock). The organisation's row is locked until the transaction ends, so two
    submissions at once get two numbers; the unique constraint is the last guard."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    prefix = f"{REFERENCE_PREFIX}-{local(moment, zone_of(organisation)).year}-"
    taken = Application.objects.filter(
        organisation=organisation_id, reference__startswith=prefix
    ).values_list("reference", flat=True)
    numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"
