"""The PDFs a person keeps as proof, and what they share: a member's signed engagement
(its SHA-256 fingerprint recorded at signature, checked against the text as it reads
today); ``candidatures.receipts`` prints an application's receipt with the same helpers.
"""

import hashlib
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.text import slugify
from django.utils.translation import gettext as _

from parcours.models import Signature
from sillon.formatting import format_day, format_time
from sillon.pdf import render_pdf


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


def label_of(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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
