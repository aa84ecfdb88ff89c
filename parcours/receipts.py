"""The PDFs a person keeps as proof: the receipt of a submitted application (attached to
the confirmation e-mail, downloadable afterwards) and a member's signed engagement.

Both print a SHA-256 fingerprint: the receipt's, of the data it shows (so two copies
of one submission can be compared); the engagement's, the one recorded at signature,
checked against the text as it reads today.
"""

import hashlib
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sillon.pdf import render_pdf
from territoires.models import Project

from .application_parts import receipt_sections
from .formatting import format_day, format_time
from .models import Application, ApplicationMember, Signature


def format_moment(moment: datetime | None, zone: str) -> str:
    """« jeudi 16 octobre 2026 à 9 h 30 » on the organisation's clock."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone))
    return _("%(day)s à %(time)s") % {"day": format_day(local.date()), "time": format_time(local)}


def sha256_of(data) -> str:
    """The fingerprint of JSON-able ``data``, independent of key order."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# --- The application's receipt -------------------------------------------------------


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
        "stage": _label(Project.Stage, application.project_stage)
        if application.project_stage
        else "",
        "recognition": _label(Project.Recognition, application.project_recognition)
        if application.project_recognition
        else "",
        "website": application.project_website,
    }
    data = {
        "organisation": organisation.name,
        "call": {"id": application.call_id, "title": application.call.title},
        "application": application.pk,
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


# --- The signed engagement ------------------------------------------------------------


def engagement_context(signature: Signature) -> dict:
    """The text signed (as it reads today for the signer's team), the proof recorded,
    and whether the two still match."""
    signature = Signature.objects.select_related(
        "organisation", "text__programme", "member__team", "member__role", "user"
    ).get(pk=signature.pk)
    text, team = signature.text, signature.member.team
    organisation = signature.organisation
    rendered = text.rendered(team.pk)
    digest_today = hashlib.sha256(rendered.encode()).hexdigest()
    return {
        "organisation": organisation,
        "signature": signature,
        "text": text,
        "programme": text.programme,
        "team": team,
        "member": signature.member,
        "rendered": rendered,
        "signed_when": format_moment(signature.signed_at, organisation.time_zone),
        "time_zone": organisation.time_zone,
        "digest_today": digest_today,
        "matches": digest_today == signature.text_hash,
    }


def engagement_filename(signature: Signature) -> str:
    name = slugify(signature.typed_name)[:60] or str(signature.pk)
    return f"engagement-signe-{name}.pdf"


def engagement_pdf(signature: Signature) -> bytes:
    """A member's signed engagement (run in its organisation's scope)."""
    return render_pdf("pdf/engagement.html", engagement_context(signature))
