"""The receipt of a submitted application (attached to the confirmation e-mail,
downloadable afterwards). It prints a SHA-256 fingerprint of the data it shows, so two
copies of one submission can be compared."""

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from candidatures.models import Application, ApplicationMember
from candidatures.parts import receipt_sections
from parcours.receipts import format_moment, label_of, sha256_of
from sillon.pdf import render_pdf
from territoires.models import Project


def receipt_filename(application: Application) -> str:
    """« recepisse-candidature-<territoire>.pdf »."""
    name = slugify(application.display_name)[:60] or str(application.pk)
    return f"recepisse-candidature-{name}.pdf"


def _section_text(html: str) -> str:
    """What a part printed, as text with its spaces collapsed: the fingerprint follows
    the answers, not the markup around them."""
    return " ".join(strip_tags(html).split())


def receipt_context(application: Application) -> dict:
    """Everything the receipt prints, and its fingerprint."""
    application = Application.objects.select_related(
        "organisation", "call__programme", "territory__parent"
    ).get(pk=application.pk)
    organisation = application.organisation
    members = list(
        ApplicationMember.objects.filter(application=application)
        .select_related("role")
        .order_by("-is_lead", "role__order", "pk")
    )
    # Each part's template escapes what it prints, like any included template.
    sections = [
        mark_safe(render_to_string(section.template, section.context))
        for section in receipt_sections(application)
    ]
    territory = application.territory
    project = {
        "name": application.project_name,
        "stage": label_of(Project.Stage, application.project_stage)
        if application.project_stage
        else "",
        "recognition": label_of(Project.Recognition, application.project_recognition)
        if application.project_recognition
        else "",
        "website": application.project_website,
    }
    data = {
        "organisation": organisation.name,
        "call": {"id": application.call_id, "title": application.call.title},
        "application": application.pk,
        "reference": application.reference,
        "territory": (
            {"name": territory.name, "kind": territory.kind, "code": territory.code}
            if territory
            else None
        ),
        "structure": application.structure,
        "project": project,
        "members": [
            {
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": member.email,
                "function": member.function,
                "role": member.role.name if member.role else "",
                "lead": member.is_lead,
            }
            for member in members
        ],
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "parts": [_section_text(html) for html in sections],
    }
    return {
        "organisation": organisation,
        "application": application,
        "call": application.call,
        "programme": application.call.programme,
        "territory": territory,
        "project": project,
        "members": members,
        "sections": sections,
        "submitted_when": format_moment(application.submitted_at, organisation.time_zone),
        "time_zone": organisation.time_zone,
        "fingerprint": sha256_of(data),
    }


def application_receipt_pdf(application: Application) -> bytes:
    """The « Récépissé de dépôt » of ``application`` (run in its organisation's scope)."""
    return render_pdf("pdf/application_receipt.html", receipt_context(application))
