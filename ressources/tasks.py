"""Background work of ressources: the text of an uploaded file, read after the upload
committed (eager in tests and without a broker)."""

from organisations.tasks import tenant_task


@tenant_task()
def extract_resource_text(organisation, resource_id: int) -> None:
    from .services.library import store_extracted_text

    store_extracted_text(organisation=organisation, resource_id=resource_id)
