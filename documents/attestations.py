"""Attestations de participation: one person's PDF (ATTESTATION), or a ZIP of the whole
cohort's (ATTESTATIONS), from the attendance actually recorded
(``presences.records``).

Someone who attended no half-day gets no attestation: the single builder fails with a
message saying so, the batch skips them and lists them in « Lisez-moi.txt ». The batch
loads its data in a constant number of queries, then renders and writes each PDF into
the ZIP (a temporary file) as soon as it is made: memory holds one PDF at a time.
"""

import os
import tempfile
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.builders import BuildError, Built
from documents.filenames import UniqueNames, ascii_filename
from documents.models import Document
from presences.records import PersonRecord, format_duration, person_record, programme_records
from sillon.formatting import format_day, format_time
from sillon.pdf import html_to_pdf

TEMPLATE = "documents/pdf/attestation.html"
PDF = "application/pdf"
ZIP = "application/zip"
README_NAME = "Lisez-moi.txt"


def person_name(user) -> str:
    return user.get_full_name() or user.email


def attestation_filename(user) -> str:
    """« Attestation - Nom Prenom.pdf » (ASCII)."""
    name = f"{user.last_name} {user.first_name}".strip() or user.email.split("@")[0]
    return ascii_filename(f"Attestation - {name}", "pdf", fallback="Attestation")


def _identity(record: PersonRecord) -> str:
    """« Chargé·e de mission, PAT du Vimeu, CC du Vimeu »: how the person took part."""
    parts = []
    if record.role is not None:
        parts.append(record.role.name)
    if record.team is not None:
        parts.append(record.team.name)
        territory = record.team.territory
        if territory is not None and territory.name not in record.team.name:
            parts.append(territory.name)
    return ", ".join(parts)


def _session_rows(record: PersonRecord) -> list[dict]:
    rows = []
    for attended in record.sessions:
        days = [
            {
                "day": format_day(day),
                "hours": ", ".join(
                    f"{format_time(slot.starts_at)} – {format_time(slot.ends_at)}" for slot in slots
                ),
            }
            for day, slots in attended.days
        ]
        rows.append(
            {
                "title": attended.session.title,
                "kind": attended.session.kind.name,
                "days": days,
                "duration": format_duration(attended.duration),
                "partial": attended.partial,
            }
        )
    return rows


def _nature(record: PersonRecord) -> str:
    kinds = []
    for attended in record.sessions:
        if attended.session.kind.name not in kinds:
            kinds.append(attended.session.kind.name)
    return ", ".join(kinds)


def attestation_context(*, organisation, programme, record: PersonRecord, today) -> dict:
    return {
        "organisation": organisation,
        "programme": programme,
        "person_name": person_name(record.user),
        "identity": _identity(record),
        "sessions": _session_rows(record),
        "total": format_duration(record.duration),
        "nature": _nature(record),
        "made_on": format_day(today, weekday=False),
    }


def render_attestation(*, organisation, programme, record: PersonRecord, today) -> bytes:
    context = attestation_context(
        organisation=organisation, programme=programme, record=record, today=today
    )
    return html_to_pdf(render_to_string(TEMPLATE, context))


def no_attendance_message(user) -> str:
    return _(
        "%(name)s n'a assisté à aucune séance de ce programme : aucune attestation n'est délivrée."
    ) % {"name": person_name(user)}


def _today(organisation):
    return timezone.now().astimezone(ZoneInfo(organisation.time_zone)).date()


def _temporary(suffix: str) -> Path:
    handle, path = tempfile.mkstemp(prefix="sillon-", suffix=suffix)
    os.close(handle)
    return Path(path)


def _programme_of(document: Document):
    programme = document.programme
    if programme is None and document.cohort is not None:
        programme = document.cohort.programme
    if programme is None:
        raise BuildError(_("Ce document ne désigne aucun programme."))
    return programme


def build_attestation(document: Document, progress) -> Built:
    """One person's attestation for the document's programme."""
    organisation = document.organisation
    programme = _programme_of(document)
    if document.person is None:
        raise BuildError(_("Ce document ne désigne aucune personne."))
    progress(0, 2)
    record = person_record(programme=programme, user=document.person)
    if not record.attended:
        raise BuildError(no_attendance_message(document.person))
    progress(1, 2)
    content = render_attestation(
        organisation=organisation, programme=programme, record=record, today=_today(organisation)
    )
    # The last report before the file exists: a superseded build stops here, leaving none.
    progress(2, 2)
    path = _temporary(".pdf")
    path.write_bytes(content)
    return Built(path=path, filename=attestation_filename(document.person), content_type=PDF)


def _readme(*, programme, cohort, delivered: list[tuple[str, str]], absent: list[str]) -> str:
    lines = [
        _("Attestations de participation — %(programme)s") % {"programme": programme.name},
    ]
    if cohort is not None:
        lines.append(_("Promotion : %(cohort)s") % {"cohort": cohort.name})
    lines += ["", _("%(count)d attestation(s) dans cette archive :") % {"count": len(delivered)}]
    lines += [f"- {name} : {filename}" for name, filename in delivered]
    lines.append("")
    if absent:
        lines.append(
            _(
                "Aucune attestation pour les %(count)d personne(s) suivante(s), qui n'ont "
                "assisté à aucune séance :"
            )
            % {"count": len(absent)}
        )
        lines += [f"- {name}" for name in absent]
    else:
        lines.append(_("Toutes les personnes de la promotion ont assisté à au moins une séance."))
    # A byte order mark: Windows' Notepad then reads the accents right.
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def build_attestations(document: Document, progress) -> Built:
    """A ZIP of the attestations of the document's cohort (or of the whole programme),
    one PDF per person who attended something, and « Lisez-moi.txt »."""
    organisation = document.organisation
    programme = _programme_of(document)
    cohort = document.cohort
    records = programme_records(programme=programme, cohort=cohort)
    attendees = [r for r in records if r.attended]
    if not attendees:
        raise BuildError(
            _(
                "Personne n'a assisté à une séance de ce programme : aucune attestation "
                "n'est délivrée."
            )
        )
    today = _today(organisation)
    total = len(attendees)
    progress(0, total)
    unique = UniqueNames()
    delivered = []
    path = _temporary(".zip")
    try:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, record in enumerate(attendees, start=1):
                content = render_attestation(
                    organisation=organisation, programme=programme, record=record, today=today
                )
                filename = unique(attestation_filename(record.user))
                archive.writestr(filename, content)
                del content
                delivered.append((person_name(record.user), filename))
                progress(done, total)
            absent = [person_name(r.user) for r in records if not r.attended]
            readme = _readme(programme=programme, cohort=cohort, delivered=delivered, absent=absent)
            archive.writestr(README_NAME, readme.encode("utf-8"))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    name = cohort.name if cohort is not None else programme.name
    filename = ascii_filename(f"Attestations - {name}", "zip", fallback="Attestations")
    return Built(path=path, filename=filename, content_type=ZIP)
