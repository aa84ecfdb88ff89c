"""How a generated document reads on a page: its state in words, its progress (« 37 sur
100 attestations »), what it is about, when it was asked for, its format and size."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents.models import Document
from sillon.formatting import format_day, format_time, local

FORMATS = {"application/pdf": "PDF", "application/zip": "ZIP"}


def person_name(user) -> str:
    return user.get_full_name() or user.email


def format_moment(moment, organisation) -> str:
    """« 24 novembre 2026 à 14 h 05 », on the organisation's clock."""
    moment = local(moment, organisation.time_zone)
    return _("%(day)s à %(time)s") % {
        "day": format_day(moment.date(), weekday=False),
        "time": format_time(moment),
    }


def format_size(size: int | None) -> str:
    """« 120 Ko », « 2,4 Mo »."""
    if size is None:
        return ""
    if size < 1024:
        return ngettext("%(size)s octet", "%(size)s octets", size) % {"size": size}
    if size < 1024 * 1024:
        return _("%(size)s Ko") % {"size": max(1, round(size / 1024))}
    return _("%(size)s Mo") % {"size": f"{size / 1024 / 1024:.1f}".replace(".", ",")}


def format_label(document: Document) -> str:
    if document.content_type in FORMATS:
        return FORMATS[document.content_type]
    extension = document.filename.rsplit(".", 1)[-1] if "." in document.filename else ""
    return extension.upper() or _("fichier")


def progress_text(document: Document) -> str:
    """« 37 sur 100 attestations », or the percentage when the builder gave no count."""
    done, total = document.steps_done, document.steps_total
    if not total:
        return _("%(percent)s %%") % {"percent": document.progress}
    if document.kind == Document.Kind.ATTESTATIONS:
        text = ngettext(
            "%(done)s sur %(total)s attestation", "%(done)s sur %(total)s attestations", total
        )
    else:
        text = ngettext("%(done)s sur %(total)s étape", "%(done)s sur %(total)s étapes", total)
    text = text % {"done": done, "total": total}
    if document.step and document.status == Document.Status.BUILDING:
        # The step a builder named (« Présences », « Évaluations »…).
        return _("%(step)s (%(progress)s)") % {"step": document.step, "progress": text}
    return text


def state(document: Document) -> tuple[str, str]:
    """(label, Bootstrap colour) of the document's state."""
    if document.is_stale:
        return _("Interrompu, reprise automatique"), "warning"
    if document.is_ready:
        return _("Prêt"), "success"
    if document.is_failed:
        return _("Échec"), "danger"
    if document.status == Document.Status.BUILDING:
        return _("En cours de création (%(percent)s %%)") % {"percent": document.progress}, "info"
    return _("En file d'attente"), "secondary"


def subject(document: Document) -> str:
    """What the document is about (needs its subjects loaded with select_related)."""
    if document.session_id:
        return document.session.title
    parts = []
    if document.person_id:
        parts.append(person_name(document.person))
    if document.programme_id:
        parts.append(document.programme.name)
    if document.cohort_id:
        parts.append(document.cohort.name)
    return " — ".join(parts)


def describe(document: Document, organisation) -> dict:
    label, tone = state(document)
    return {
        "document": document,
        "state_label": label,
        "state_tone": tone,
        "stale": document.is_stale,
        "resumed": document.interruptions > 0,
        "progress_text": progress_text(document),
        "subject": subject(document),
        "requested_when": format_moment(document.created_at, organisation),
        "requested_by": person_name(document.requested_by) if document.requested_by_id else "",
        "format": format_label(document),
        "size": format_size(document.size),
    }
