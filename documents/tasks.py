"""Celery tasks of generated documents: thin wrappers that enter the tenant scope (see
``organisations.tasks.tenant_task``) and call the service."""

from documents import services
from documents.models import Document
from organisations.models import Organisation
from organisations.tasks import tenant_task


# acks_late + reject_on_worker_lost: a worker killed mid-build leaves the message on the
# broker, which hands it to another worker; the service takes the row over (attempt + 1).
# No automatic retry: a failure is shown on the page, and the user retries.
@tenant_task(acks_late=True, reject_on_worker_lost=True)
def build_document_task(organisation: Organisation, document_id: int) -> None:
    document = Document.objects.filter(organisation=organisation, pk=document_id).first()
    if document is None:
        return
    services.build_document(document=document)
