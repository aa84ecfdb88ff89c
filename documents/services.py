"""Generated documents' workflow. SPEC FOR THE IMPLEMENTER — replace the bodies."""

from .models import Document


def request_document(
    *,
    organisation,
    acting_user,
    kind: str,
    title: str,
    programme=None,
    cohort=None,
    session=None,
    person=None,
) -> Document:
    raise NotImplementedError


def retry_document(*, document: Document, acting_user) -> Document:
    raise NotImplementedError


def build_document(*, document: Document) -> Document:
    raise NotImplementedError
