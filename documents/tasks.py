"""Celery tasks of generated documents: thin wrappers that enter the tenant scope (see
``organisations.tasks.tenant_task``) and call the service, and the periodic sweep."""

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from documents import queue, services
from documents.models import Document
from organisations.models import Organisation
from organisations.tasks import tenant_task


# acks_late + reject_on_worker_lost: a worker lost mid-build leaves the message on the
# broker, which hands it to another worker; the service takes the row over only if its
# heartbeat stopped (attempt + 1). A whole worker killed: the sweep does not wait for the
# broker's visibility timeout, it sends the build again once the heartbeat is stale. The
# soft limit stops a runaway build with a message, well within the visibility timeout.
@tenant_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.DOCUMENT_BUILD_TIME_LIMIT_SECONDS,
    time_limit=settings.DOCUMENT_BUILD_TIME_LIMIT_SECONDS + 60,
)
def build_document_task(self, organisation: Organisation, document_id: int) -> None:
    document = Document.objects.filter(organisation=organisation, pk=document_id).first()
    if document is None:
        return
    # In a worker, a thread beats on the row; an eager run (tests) has no one to tell.
    services.build_document(document=document, heartbeat=not self.request.is_eager)


@shared_task(name="documents.tasks.sweep_documents")
def sweep_documents() -> dict[str, int]:
    """Every ``DOCUMENT_SWEEP_SECONDS`` (beat): see ``documents.queue.sweep``."""
    return queue.sweep()


@worker_ready.connect
def clean_temporary_files_on_start(sender=None, **kwargs) -> None:
    """A worker starting again after being killed removes what its dead builds left."""
    queue.clean_temporary_files()
