"""The daily digest's periodic task (Celery beat, 07:00 Europe/Paris): one task per
organisation with held messages, each in its own tenant scope."""

from celery import shared_task
from django_scopes import scopes_disabled

from notifications.digest import send_digests
from notifications.models import OutboxMessage
from organisations.models import Organisation
from organisations.tasks import tenant_task


@shared_task(name="notifications.digest_tasks.send_daily_digests")
def send_daily_digests() -> int:
    """Fan out to the organisations that have held messages."""
    with scopes_disabled():
        organisation_ids = list(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.HELD)
            .values_list("organisation_id", flat=True)
            .distinct()
            .order_by("organisation_id")
        )
    for organisation_id in organisation_ids:
        send_organisation_digests.delay(organisation_id)
    return len(organisation_ids)


@tenant_task()
def send_organisation_digests(organisation: Organisation) -> int:
    return send_digests(organisation=organisation)
