"""Parts of an application contributed by higher apps (evaluation adds the call's
motivation questions and the T0 self-diagnostic) through
``candidatures.extensions.application_parts``, so ``candidatures`` never imports them.

A part says what it shows the applicants, what it shows the reviewers, what it prints on
the PDF receipt, and what is still missing before the application can be submitted.
"""

from collections.abc import Callable
from dataclasses import dataclass

from candidatures.extensions import application_parts
from organisations.home_sections import HomeSection


@dataclass(frozen=True)
class ApplicationPart:
    key: str
    # (request, application, editable: bool) -> HomeSection | None: the applicants' panel.
    applicant: Callable
    # (request, application) -> HomeSection | None: the reviewers' panel.
    review: Callable
    # (application) -> list[str]: what is missing, in French, for the summary and the
    # submission check; empty when the part is complete.
    missing: Callable
    # (application) -> HomeSection | None: printed on the PDF receipt (template made for
    # print, no link needed).
    receipt: Callable


def parts() -> list[ApplicationPart]:
    """The parts contributed, in the order of ``INSTALLED_APPS``."""
    return application_parts.collect()


def applicant_sections(request, application, *, editable: bool) -> list[HomeSection]:
    return [s for part in parts() if (s := part.applicant(request, application, editable))]


def review_sections(request, application) -> list[HomeSection]:
    return [s for part in parts() if (s := part.review(request, application))]


def receipt_sections(application) -> list[HomeSection]:
    return [s for part in parts() if (s := part.receipt(application))]


def missing_from_parts(application) -> list[str]:
    return [item for part in parts() for item in part.missing(application)]
